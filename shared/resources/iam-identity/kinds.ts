/**
 * The three kinds of IAM identity that hold policies (users, roles, groups) and the names IAM's API,
 * CloudTrail and AWS Config use for each. One table, so the adapters, checks and remediations of the
 * three share their code and differ only here.
 */

export type IdentityKind = "user" | "role" | "group";

export const IDENTITY_KINDS: readonly IdentityKind[] = ["user", "role", "group"];

export interface IdentityNames {
  kind: IdentityKind;
  resourceType: "AWS::IAM::User" | "AWS::IAM::Role" | "AWS::IAM::Group";
  /** `User`, `Role`, `Group`: the word in IAM's API names (`PutUserPolicy`, `ListAttachedRolePolicies`). */
  noun: "User" | "Role" | "Group";
  /** The identity's name field in CloudTrail requests and Config configurations (`userName`, …). */
  nameField: "userName" | "roleName" | "groupName";
  /** The inline policy list of a Config item (`userPolicyList`, …). */
  configPolicyList: "userPolicyList" | "rolePolicyList" | "groupPolicyList";
  /** Groups carry no tags: nothing to read, nothing `vigil undo` can tag. */
  taggable: boolean;
}

export const IDENTITY: Readonly<Record<IdentityKind, IdentityNames>> = {
  user: {
    kind: "user",
    resourceType: "AWS::IAM::User",
    noun: "User",
    nameField: "userName",
    configPolicyList: "userPolicyList",
    taggable: true,
  },
  role: {
    kind: "role",
    resourceType: "AWS::IAM::Role",
    noun: "Role",
    nameField: "roleName",
    configPolicyList: "rolePolicyList",
    taggable: true,
  },
  group: {
    kind: "group",
    resourceType: "AWS::IAM::Group",
    noun: "Group",
    nameField: "groupName",
    configPolicyList: "groupPolicyList",
    taggable: false,
  },
};

/** The CloudTrail calls that change an identity's policies, and the one that deletes it. */
export function policyCalls(kind: IdentityKind) {
  const { noun } = IDENTITY[kind];
  return {
    put: `Put${noun}Policy`,
    delete: `Delete${noun}Policy`,
    attach: `Attach${noun}Policy`,
    detach: `Detach${noun}Policy`,
    deleteIdentity: `Delete${noun}`,
  } as const;
}

/** The read-only IAM actions the adapters make for one kind (refresh and tag reads). */
export function identityReadActions(kind: IdentityKind): string[] {
  const { noun, taggable } = IDENTITY[kind];
  return [
    `iam:List${noun}Policies`,
    `iam:Get${noun}Policy`,
    `iam:ListAttached${noun}Policies`,
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    ...(taggable ? [`iam:List${noun}Tags`] : []),
  ];
}
