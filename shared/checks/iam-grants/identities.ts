import {
  IDENTITY,
  identityReadActions,
  policyCalls,
  type IdentityKind,
} from "../../resources/iam-identity/kinds";
import type { IdentityGrants } from "../../resources/iam-identity/state";
import type { ResourceStates } from "../../resources/states";
import type { CheckTriggers } from "../define";

export type IdentityType = "AWS::IAM::User" | "AWS::IAM::Role" | "AWS::IAM::Group";

/** What the grant checks read of a user, role or group state. */
export interface IdentityView {
  kind: IdentityKind;
  name: string;
  arn: string;
  grants?: IdentityGrants;
  /**
   * Why Vigil does not judge this identity's policies: roles IAM Identity Center provisions (their policies
   * come from permission sets, and IAM refuses edits to them) and service-linked roles (AWS owns them).
   */
  managedBy?: string;
}

/** One kind of identity as the checks see it; the checks are built once per kind from these. */
export interface IdentitySpec<T extends IdentityType> {
  kind: IdentityKind;
  resourceType: T;
  /** `USER`, `ROLE`, `GROUP`: the suffix of the kind's check ids. */
  idSuffix: string;
  /** `IAM users`, for titles. */
  plural: string;
  view(state: ResourceStates[T]): IdentityView;
}

/** Roles IAM Identity Center provisions, by their reserved name prefix or path. */
function roleManager(roleName: string, path: string | undefined): string | undefined {
  if (roleName.startsWith("AWSReservedSSO_") || path?.startsWith("/aws-reserved/sso.amazonaws.com/"))
    return "IAM Identity Center (permission set)";
  if (path?.startsWith("/aws-service-role/")) return "AWS (service-linked role)";
  return undefined;
}

export const USERS: IdentitySpec<"AWS::IAM::User"> = {
  kind: "user",
  resourceType: "AWS::IAM::User",
  idSuffix: "USER",
  plural: "IAM users",
  view: (s) => ({
    kind: "user",
    name: s.userName,
    arn: s.userArn,
    ...(s.grants ? { grants: s.grants } : {}),
  }),
};

export const ROLES: IdentitySpec<"AWS::IAM::Role"> = {
  kind: "role",
  resourceType: "AWS::IAM::Role",
  idSuffix: "ROLE",
  plural: "IAM roles",
  view: (s) => {
    const managedBy = roleManager(s.roleName, s.path);
    return {
      kind: "role",
      name: s.roleName,
      arn: s.roleArn,
      ...(s.grants ? { grants: s.grants } : {}),
      ...(managedBy ? { managedBy } : {}),
    };
  },
};

export const GROUPS: IdentitySpec<"AWS::IAM::Group"> = {
  kind: "group",
  resourceType: "AWS::IAM::Group",
  idSuffix: "GROUP",
  plural: "IAM groups",
  view: (s) => ({
    kind: "group",
    name: s.groupName,
    arn: s.groupArn,
    ...(s.grants ? { grants: s.grants } : {}),
  }),
};

const IAM = "iam.amazonaws.com";

/** Inline policy checks: the inline policy calls, the identity's deletion, Config items. */
export function inlineTriggers(kind: IdentityKind): CheckTriggers {
  const calls = policyCalls(kind);
  return {
    cloudTrail: [{ eventSource: IAM, eventNames: [calls.put, calls.delete, calls.deleteIdentity] }],
    config: [IDENTITY[kind].resourceType],
  };
}

/** Attached policy checks: attach and detach, the identity's deletion, Config items. */
export function attachedTriggers(kind: IdentityKind): CheckTriggers {
  const calls = policyCalls(kind);
  return {
    cloudTrail: [{ eventSource: IAM, eventNames: [calls.attach, calls.detach, calls.deleteIdentity] }],
    config: [IDENTITY[kind].resourceType],
  };
}

/** Every read the kind's adapter may make (refresh, customer managed documents, tags). */
export const readActionsFor = identityReadActions;

/** `user svc-reporting`, `role deploy`, for summaries. */
export const describeIdentity = (view: IdentityView) => `${view.kind} ${view.name}`;
