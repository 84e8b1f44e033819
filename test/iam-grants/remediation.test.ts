import {
  AttachGroupPolicyCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListRoleTagsCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { remediationGrants } from "../../infra/permissions";
import type { Violation } from "../../shared/checks/define";
import type { RemediationClients } from "../../shared/remediations/define";
import { remediationById } from "../../shared/remediations/catalog";
import type { IamUserState } from "../../shared/resources/iam-user/state";
import { ADMIN_ARN, ADMIN_DOCUMENT, SCOPED_DOCUMENT, awsError, urlEncoded } from "./support";

const iamClient = new IAMClient({ region: "us-east-1" });
const iam = mockClient(iamClient);
const clients = { iam: () => iamClient } as unknown as RemediationClients;
afterEach(() => iam.reset());

const remediation = (id: string) => {
  const found = remediationById(id);
  if (!found) throw new Error(`no remediation ${id}`);
  return found;
};
const user = (...policies: { name: string; document?: string }[]): IamUserState => ({
  userName: "svc-reporting",
  userArn: "arn:aws:iam::111122223333:user/svc-reporting",
  grants: { inline: { complete: true, policies: policies.map((p) => ({ ...p, source: "PutUserPolicy" })) } },
});
const inlineViolation = (policyName: string): Violation => ({
  summary: "admin",
  evidence: { identityType: "user", identityName: "svc-reporting", policyName, statements: [{ index: 0 }] },
});

describe("remediation definitions", () => {
  it.each([
    [
      "delete-inline-admin-policy-user",
      "AWS::IAM::User",
      ["iam:GetUserPolicy", "iam:DeleteUserPolicy"],
      true,
    ],
    [
      "delete-inline-admin-policy-role",
      "AWS::IAM::Role",
      ["iam:GetRolePolicy", "iam:DeleteRolePolicy"],
      true,
    ],
    [
      "delete-inline-admin-policy-group",
      "AWS::IAM::Group",
      ["iam:GetGroupPolicy", "iam:DeleteGroupPolicy"],
      false,
    ],
    ["detach-admin-policy-user", "AWS::IAM::User", ["iam:DetachUserPolicy", "iam:GetPolicy"], true],
    ["detach-admin-policy-role", "AWS::IAM::Role", ["iam:DetachRolePolicy", "iam:GetPolicy"], true],
    ["detach-admin-policy-group", "AWS::IAM::Group", ["iam:DetachGroupPolicy", "iam:GetPolicy"], false],
  ])("%s: %s, %j, disruptive, undo exempts by tag: %s", (id, type, actions, byTag) => {
    const r = remediation(id);
    expect(r).toMatchObject({ resourceType: type, iamActions: actions, disruptive: true });
    expect(r.undoExemptsByTag !== false).toBe(byTag);
  });

  it("write actions are granted on this account's users, roles and groups only", () => {
    const grants = remediationGrants(
      ["detach-admin-policy-user", "delete-inline-admin-policy-role", "detach-admin-policy-group"].map(
        remediation,
      ),
      { partition: "aws", region: "us-east-1", account: "111122223333" },
    );
    expect(grants).toEqual([
      { actions: ["iam:GetPolicy", "iam:GetRolePolicy"], resources: ["*"] },
      { actions: ["iam:DeleteRolePolicy"], resources: ["arn:aws:iam::111122223333:role/*"] },
      { actions: ["iam:DetachGroupPolicy"], resources: ["arn:aws:iam::111122223333:group/*"] },
      { actions: ["iam:DetachUserPolicy"], resources: ["arn:aws:iam::111122223333:user/*"] },
    ]);
  });
});

describe("delete-inline-admin-policy", () => {
  const deleteUser = () => remediation("delete-inline-admin-policy-user");

  it("dry-run: the exact calls, nothing sent", async () => {
    const out = await deleteUser().apply(
      {
        state: user({ name: "a", document: JSON.stringify(ADMIN_DOCUMENT) }),
        violations: [inlineViolation("a")],
        dryRun: true,
      },
      clients,
    );
    expect(out).toEqual({
      result: "planned",
      action:
        "DeleteUserPolicy userName=svc-reporting PolicyName=a (after checking each is still the document judged)",
      awsCalls: 0,
    });
    expect(iam.calls()).toHaveLength(0);
  });

  it("the same document with other layout and key order is deleted; the undo keeps it compact", async () => {
    const sent = JSON.stringify(ADMIN_DOCUMENT, null, 4);
    const reordered =
      '{"Statement":[{"Resource":"*","Action":"*","Effect":"Allow","Sid":"BreakGlass"}],"Version":"2012-10-17"}';
    iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: urlEncoded(reordered) });
    iam.on(DeleteUserPolicyCommand).resolves({});
    const out = await deleteUser().apply(
      {
        state: user({ name: "a", document: sent }),
        violations: [inlineViolation("a"), inlineViolation("a")],
        dryRun: false,
      },
      clients,
    );
    expect(out).toMatchObject({
      result: "succeeded",
      action: "DeleteUserPolicy userName=svc-reporting PolicyName=a",
      awsCalls: 2,
      undo: {
        remediationId: "delete-inline-admin-policy-user",
        params: {
          identityType: "user",
          identityName: "svc-reporting",
          policies: [{ name: "a", document: reordered }],
        },
      },
    });
    expect(iam.commandCalls(DeleteUserPolicyCommand)).toHaveLength(1);
  });

  it("gone since: already-gone; a different document: skipped; no judged document: skipped", async () => {
    iam.on(GetUserPolicyCommand, { PolicyName: "gone" }).rejects(awsError("NoSuchEntityException"));
    iam
      .on(GetUserPolicyCommand, { PolicyName: "changed" })
      .resolves({ PolicyDocument: urlEncoded(SCOPED_DOCUMENT) });
    const state = user(
      { name: "gone", document: JSON.stringify(ADMIN_DOCUMENT) },
      { name: "changed", document: JSON.stringify(ADMIN_DOCUMENT) },
      { name: "unread" },
    );
    const gone = await deleteUser().apply(
      { state, violations: [inlineViolation("gone")], dryRun: false },
      clients,
    );
    expect(gone).toMatchObject({ result: "already-gone", detail: '"gone": already deleted' });
    const mixed = await deleteUser().apply(
      { state, violations: [inlineViolation("changed"), inlineViolation("unread")], dryRun: false },
      clients,
    );
    expect(mixed).toMatchObject({
      result: "skipped",
      detail:
        '"changed": changed since it was judged: left alone; "unread": no document to compare: left alone',
    });
    expect(iam.commandCalls(DeleteUserPolicyCommand)).toHaveLength(0);
  });

  it("undo on a role: tags it exempt (keeping other ids), then puts the document back", async () => {
    iam.on(ListRoleTagsCommand).resolves({ Tags: [{ Key: "vigil:exempt", Value: "VIGIL.IAM.RISKY_TRUST" }] });
    iam.on(TagRoleCommand).resolves({});
    iam.on(PutRolePolicyCommand).resolves({});
    const message = await remediation("delete-inline-admin-policy-role").undo(
      {
        remediationId: "delete-inline-admin-policy-role",
        params: {
          identityType: "role",
          identityName: "ci-deploy",
          policies: [{ name: "deploy-everything", document: JSON.stringify(ADMIN_DOCUMENT) }],
          exemptChecks: ["VIGIL.IAM.INLINE_ADMIN_ROLE"],
          exemptionTagKey: "vigil:exempt",
        },
      },
      clients,
    );
    expect(message).toBe(
      'role ci-deploy: put back inline policy "deploy-everything"; role ci-deploy tagged vigil:exempt=VIGIL.IAM.RISKY_TRUST VIGIL.IAM.INLINE_ADMIN_ROLE',
    );
    expect(iam.commandCalls(TagRoleCommand)[0]?.args[0].input.Tags).toContainEqual({
      Key: "vigil:exempt",
      Value: "VIGIL.IAM.RISKY_TRUST VIGIL.IAM.INLINE_ADMIN_ROLE",
    });
    expect(iam.commandCalls(PutRolePolicyCommand)[0]?.args[0].input).toEqual({
      RoleName: "ci-deploy",
      PolicyName: "deploy-everything",
      PolicyDocument: JSON.stringify(ADMIN_DOCUMENT),
    });
  });

  it("undo refuses a payload without the document", async () => {
    await expect(
      deleteUser().undo(
        {
          remediationId: "delete-inline-admin-policy-user",
          params: { identityType: "user", identityName: "x", policies: [] },
        },
        clients,
      ),
    ).rejects.toThrow();
    expect(iam.calls()).toHaveLength(0);
  });
});

describe("detach-admin-policy (groups)", () => {
  const detachGroup = () => remediation("detach-admin-policy-group");
  const state = { groupName: "developers", groupArn: "arn:aws:iam::111122223333:group/developers" };
  const violation: Violation = {
    summary: "admin",
    evidence: { policyArn: ADMIN_ARN, judgedBy: "iam.adminManagedPolicies", identityName: "developers" },
  };

  it("detaches the ARN; undo re-attaches it without tagging (groups can't be tagged) and says what to do", async () => {
    iam.on(DetachGroupPolicyCommand).resolves({});
    iam.on(AttachGroupPolicyCommand).resolves({});
    const out = await detachGroup().apply({ state, violations: [violation], dryRun: false }, clients);
    expect(out).toMatchObject({
      result: "succeeded",
      action: `DetachGroupPolicy groupName=developers PolicyArn=${ADMIN_ARN}`,
      undo: { params: { identityType: "group", identityName: "developers", policyArns: [ADMIN_ARN] } },
    });
    const message = await detachGroup().undo(
      {
        remediationId: "detach-admin-policy-group",
        params: { ...out.undo?.params, exemptChecks: ["VIGIL.IAM.ADMIN_POLICY_ATTACHED_GROUP"] },
      },
      clients,
    );
    expect(message).toContain(`group developers: re-attached ${ADMIN_ARN}; groups can't be tagged`);
    expect(message).toContain("resourceId developers");
    expect(iam.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "DetachGroupPolicyCommand",
      "AttachGroupPolicyCommand",
    ]);
  });

  it("violations without a policy ARN: nothing to do", async () => {
    const out = await detachGroup().apply(
      { state, violations: [{ summary: "x", evidence: { policyName: "dev-admin" } }], dryRun: false },
      clients,
    );
    expect(out).toEqual({ result: "skipped", action: "no attached policy to detach", awsCalls: 0 });
  });
});
