import {
  AttachUserPolicyCommand,
  DeleteGroupPolicyCommand,
  DeleteRolePolicyCommand,
  DeleteUserPolicyCommand,
  DetachRolePolicyCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  GetUserPolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListMFADevicesCommand,
  ListRoleTagsCommand,
  ListUserPoliciesCommand,
  ListUserTagsCommand,
  PutUserPolicyCommand,
  TagUserCommand,
} from "@aws-sdk/client-iam";
import { afterEach, describe, expect, it } from "vitest";
import { undo } from "../../shared/cli/undo";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { loadEvent } from "../support/events";
import { ADMIN_ARN, ADMIN_DOCUMENT, SCOPED_DOCUMENT, grantEvent, idFor, urlEncoded } from "./support";

const INLINE_USER = "VIGIL.IAM.INLINE_ADMIN_USER";
const ATTACHED_USER = "VIGIL.IAM.ADMIN_POLICY_ATTACHED_USER";
const TRUST = "VIGIL.IAM.RISKY_TRUST";
const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status] as const).sort();
const writes = (t: TestRuntime) =>
  t.iam
    .calls()
    .map((c) => [c.args[0].constructor.name, c.args[0].input] as const)
    .filter(([name]) => !/^(Get|List)/.test(name));
const noUserTags = (t: TestRuntime) => t.iam.on(ListUserTagsCommand).resolves({ Tags: [] });
const noRoleTags = (t: TestRuntime) => t.iam.on(ListRoleTagsCommand).resolves({ Tags: [] });
/** The exact text the sample PutUserPolicy set, as IAM would return it (URL-encoded). */
const sampleDocument = () =>
  (grantEvent("PutUserPolicy-admin").detail.requestParameters as { policyDocument: string }).policyDocument;
/** The user's live policies after the sample's inline policy is gone. */
function userHasNothingLeft(t: TestRuntime) {
  t.iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] });
  t.iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
}

describe("grants to IAM identities through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  describe("inline admin policies", () => {
    it("non-compliant: PutUserPolicy */* opens INLINE_ADMIN (HIGH) and IAM.2 (LOW); dry-run plans the exact delete, sends none", async () => {
      t = await testRuntime();
      noUserTags(t);
      const report = await processEvent(grantEvent("PutUserPolicy-admin"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(await statuses(t)).toEqual([
        ["IAM.2", "svc-reporting", "OPEN"],
        [INLINE_USER, "svc-reporting", "OPEN"],
      ]);
      expect(await t.runtime.store.get(idFor(INLINE_USER, "svc-reporting"))).toMatchObject({
        severity: "HIGH",
        resource: { type: "AWS::IAM::User", region: "global" },
        summary:
          'inline policy "break-glass-inline" of user svc-reporting allows every action on every resource: statement 0 (Sid "BreakGlass")',
        actor: { arn: expect.stringContaining("dana.lee@example.com"), sourceIp: "203.0.113.57" },
        remediation: {
          mode: "dry-run",
          result: "planned",
          action:
            "DeleteUserPolicy userName=svc-reporting PolicyName=break-glass-inline (after checking each is still the document judged)",
        },
      });
      // The call alone decides: only the exemption tags were read, nothing was written.
      expect(t.iam.calls().map((c) => c.args[0].constructor.name)).toEqual(["ListUserTagsCommand"]);
      expect(t.notifier.alerts).toHaveLength(1);
    });

    it("auto: reads the policy live, deletes exactly it when it is still the document set; undo puts it back", async () => {
      t = await testRuntime({ config: { modes: { [INLINE_USER]: "auto" } } });
      noUserTags(t);
      t.iam.on(GetUserPolicyCommand).resolves({
        UserName: "svc-reporting",
        PolicyName: "break-glass-inline",
        PolicyDocument: urlEncoded(sampleDocument()),
      });
      t.iam.on(DeleteUserPolicyCommand).resolves({});
      await processEvent(grantEvent("PutUserPolicy-admin"), t.runtime);
      expect(writes(t)).toEqual([
        ["DeleteUserPolicyCommand", { UserName: "svc-reporting", PolicyName: "break-glass-inline" }],
      ]);
      const finding = await t.runtime.store.get(idFor(INLINE_USER, "svc-reporting"));
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        remediation: {
          result: "succeeded",
          action: "DeleteUserPolicy userName=svc-reporting PolicyName=break-glass-inline",
          undo: {
            remediationId: "delete-inline-admin-policy-user",
            params: {
              identityType: "user",
              identityName: "svc-reporting",
              policies: [{ name: "break-glass-inline", document: JSON.stringify(ADMIN_DOCUMENT) }],
              exemptChecks: [INLINE_USER],
            },
          },
        },
      });
      // The document is in the undo payload only, never in the evidence.
      expect(JSON.stringify(finding?.evidence)).not.toContain("Statement");

      t.iam.on(TagUserCommand).resolves({});
      t.iam.on(PutUserPolicyCommand).resolves({});
      const message = await undo(idFor(INLINE_USER, "svc-reporting"), t.runtime);
      expect(message).toContain('user svc-reporting: put back inline policy "break-glass-inline"');
      expect(writes(t).slice(1)).toEqual([
        [
          "TagUserCommand",
          {
            UserName: "svc-reporting",
            Tags: [
              { Key: "vigil:exempt", Value: INLINE_USER },
              { Key: "vigil:exempt-reason", Value: "restored with vigil undo" },
            ],
          },
        ],
        [
          "PutUserPolicyCommand",
          {
            UserName: "svc-reporting",
            PolicyName: "break-glass-inline",
            PolicyDocument: JSON.stringify(ADMIN_DOCUMENT),
          },
        ],
      ]);
      expect((await t.runtime.store.get(idFor(INLINE_USER, "svc-reporting")))?.status).toBe("SUPPRESSED");
    });

    it("auto: a policy changed since the event is left alone (the finding stays open)", async () => {
      t = await testRuntime({ config: { modes: { [INLINE_USER]: "auto" } } });
      noUserTags(t);
      t.iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: urlEncoded(SCOPED_DOCUMENT) });
      await processEvent(grantEvent("PutUserPolicy-admin"), t.runtime);
      expect(writes(t)).toEqual([]);
      expect(await t.runtime.store.get(idFor(INLINE_USER, "svc-reporting"))).toMatchObject({
        status: "OPEN",
        remediation: {
          result: "skipped",
          detail: '"break-glass-inline": changed since it was judged: left alone',
        },
      });
    });

    it("compliant: DeleteUserPolicy resolves INLINE_ADMIN and IAM.2 once the live read shows nothing left", async () => {
      t = await testRuntime();
      noUserTags(t);
      await processEvent(grantEvent("PutUserPolicy-admin"), t.runtime);
      // Still listed right after the call (eventual consistency): the call's word counts.
      t.iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ["break-glass-inline"] });
      t.iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
      const report = await processEvent(grantEvent("DeleteUserPolicy"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(await statuses(t)).toEqual([
        ["IAM.2", "svc-reporting", "RESOLVED"],
        [INLINE_USER, "svc-reporting", "RESOLVED"],
      ]);
      expect(t.iam.commandCalls(GetUserPolicyCommand)).toHaveLength(0);
    });

    it("DeleteUserPolicy of one policy while another admin one remains: the finding stays open, about that one", async () => {
      t = await testRuntime();
      noUserTags(t);
      await processEvent(grantEvent("PutUserPolicy-admin"), t.runtime);
      t.iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ["legacy-admin"] });
      t.iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: urlEncoded(ADMIN_DOCUMENT) });
      t.iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
      await processEvent(grantEvent("DeleteUserPolicy"), t.runtime);
      expect(await t.runtime.store.get(idFor(INLINE_USER, "svc-reporting"))).toMatchObject({
        status: "OPEN",
        evidence: [expect.objectContaining({ policyName: "legacy-admin", policySource: "GetUserPolicy" })],
      });
    });

    it("without AWS access a partial view opens but never resolves: DeleteUserPolicy is skipped as needing AWS", async () => {
      t = await testRuntime();
      t.runtime.readClients = undefined;
      t.runtime.remediationClients = undefined;
      await processEvent(grantEvent("PutUserPolicy-admin"), t.runtime);
      expect((await statuses(t)).filter(([, , s]) => s === "OPEN")).toHaveLength(2);
      const report = await processEvent(grantEvent("DeleteUserPolicy"), t.runtime);
      expect(report.outcome).toBe("ignored");
      expect(await statuses(t)).toEqual([
        ["IAM.2", "svc-reporting", "OPEN"],
        [INLINE_USER, "svc-reporting", "OPEN"],
      ]);
    });

    it("a policy call leaves the user's console finding (IAM.5) as it is", async () => {
      t = await testRuntime();
      noUserTags(t);
      t.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
      await processEvent(loadEvent("iam/CreateLoginProfile.json"), t.runtime);
      expect((await t.runtime.store.get(idFor("IAM.5", "svc-reporting")))?.status).toBe("OPEN");
      userHasNothingLeft(t);
      await processEvent(grantEvent("DeleteUserPolicy"), t.runtime);
      expect((await t.runtime.store.get(idFor("IAM.5", "svc-reporting")))?.status).toBe("OPEN");
    });

    it("PutRolePolicy admin on a role, auto: DeleteRolePolicy after GetRolePolicy", async () => {
      t = await testRuntime({ config: { modes: { "VIGIL.IAM.INLINE_ADMIN_ROLE": "auto" } } });
      noRoleTags(t);
      const sent = (grantEvent("PutRolePolicy-admin").detail.requestParameters as { policyDocument: string })
        .policyDocument;
      t.iam.on(GetRolePolicyCommand).resolves({ PolicyDocument: urlEncoded(sent) });
      t.iam.on(DeleteRolePolicyCommand).resolves({});
      await processEvent(grantEvent("PutRolePolicy-admin"), t.runtime);
      expect(writes(t)).toEqual([
        ["DeleteRolePolicyCommand", { RoleName: "ci-deploy", PolicyName: "deploy-everything" }],
      ]);
      expect(await statuses(t)).toEqual([["VIGIL.IAM.INLINE_ADMIN_ROLE", "ci-deploy", "REMEDIATED"]]);
    });

    it("PutGroupPolicy admin, auto: DeleteGroupPolicy; no tag read (groups have none); undo reopens the finding", async () => {
      t = await testRuntime({ config: { modes: { "VIGIL.IAM.INLINE_ADMIN_GROUP": "auto" } } });
      const sent = (grantEvent("PutGroupPolicy-admin").detail.requestParameters as { policyDocument: string })
        .policyDocument;
      t.iam.on(GetRolePolicyCommand).rejects(new Error("wrong kind"));
      t.iam.on(DeleteGroupPolicyCommand).resolves({});
      const { GetGroupPolicyCommand, PutGroupPolicyCommand } = await import("@aws-sdk/client-iam");
      t.iam.on(GetGroupPolicyCommand).resolves({ PolicyDocument: urlEncoded(sent) });
      t.iam.on(PutGroupPolicyCommand).resolves({});
      await processEvent(grantEvent("PutGroupPolicy-admin"), t.runtime);
      expect(t.iam.calls().map((c) => c.args[0].constructor.name)).toEqual([
        "GetGroupPolicyCommand",
        "DeleteGroupPolicyCommand",
      ]);
      const id = idFor("VIGIL.IAM.INLINE_ADMIN_GROUP", "developers");
      expect((await t.runtime.store.get(id))?.status).toBe("REMEDIATED");
      const message = await undo(id, t.runtime);
      expect(message).toContain("groups can't be tagged");
      expect((await t.runtime.store.get(id))?.status).toBe("OPEN");
    });
  });

  describe("admin managed policies", () => {
    it("non-compliant: AttachUserPolicy AdministratorAccess opens ADMIN_POLICY_ATTACHED (dry-run plan) and IAM.2", async () => {
      t = await testRuntime();
      noUserTags(t);
      await processEvent(grantEvent("AttachUserPolicy-AdministratorAccess"), t.runtime);
      expect(await statuses(t)).toEqual([
        ["IAM.2", "svc-reporting", "OPEN"],
        [ATTACHED_USER, "svc-reporting", "OPEN"],
      ]);
      expect(await t.runtime.store.get(idFor(ATTACHED_USER, "svc-reporting"))).toMatchObject({
        severity: "HIGH",
        remediation: {
          result: "planned",
          action: `DetachUserPolicy userName=svc-reporting PolicyArn=${ADMIN_ARN}`,
        },
      });
      expect(writes(t)).toEqual([]);
    });

    it("auto: detaches exactly that policy; undo tags the user exempt and re-attaches it", async () => {
      t = await testRuntime({ config: { modes: { [ATTACHED_USER]: "auto" } } });
      noUserTags(t);
      t.iam.on(DetachUserPolicyCommand).resolves({});
      await processEvent(grantEvent("AttachUserPolicy-AdministratorAccess"), t.runtime);
      expect(writes(t)).toEqual([
        ["DetachUserPolicyCommand", { UserName: "svc-reporting", PolicyArn: ADMIN_ARN }],
      ]);
      expect((await t.runtime.store.get(idFor(ATTACHED_USER, "svc-reporting")))?.status).toBe("REMEDIATED");
      t.iam.on(TagUserCommand).resolves({});
      t.iam.on(AttachUserPolicyCommand).resolves({});
      await undo(idFor(ATTACHED_USER, "svc-reporting"), t.runtime);
      expect(
        writes(t)
          .slice(1)
          .map(([name]) => name),
      ).toEqual(["TagUserCommand", "AttachUserPolicyCommand"]);
      expect(t.iam.commandCalls(AttachUserPolicyCommand)[0]?.args[0].input).toEqual({
        UserName: "svc-reporting",
        PolicyArn: ADMIN_ARN,
      });
    });

    it("auto: a policy already detached is 'already gone' (the finding counts as fixed)", async () => {
      t = await testRuntime({ config: { modes: { [ATTACHED_USER]: "auto" } } });
      noUserTags(t);
      t.iam
        .on(DetachUserPolicyCommand)
        .rejects(Object.assign(new Error("not attached"), { name: "NoSuchEntityException", $metadata: {} }));
      await processEvent(grantEvent("AttachUserPolicy-AdministratorAccess"), t.runtime);
      expect(await t.runtime.store.get(idFor(ATTACHED_USER, "svc-reporting"))).toMatchObject({
        status: "REMEDIATED",
        remediation: { result: "already-gone" },
      });
    });

    it("compliant: DetachUserPolicy resolves ADMIN_POLICY_ATTACHED and IAM.2 when nothing is left", async () => {
      t = await testRuntime();
      noUserTags(t);
      await processEvent(grantEvent("AttachUserPolicy-AdministratorAccess"), t.runtime);
      userHasNothingLeft(t);
      await processEvent(grantEvent("DetachUserPolicy-AdministratorAccess"), t.runtime);
      expect(await statuses(t)).toEqual([
        ["IAM.2", "svc-reporting", "RESOLVED"],
        [ATTACHED_USER, "svc-reporting", "RESOLVED"],
      ]);
    });

    it("compliant: AttachUserPolicy ReadOnlyAccess opens only IAM.2 (read live: it is the only policy)", async () => {
      t = await testRuntime();
      noUserTags(t);
      t.iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: [] });
      t.iam.on(ListAttachedUserPoliciesCommand).resolves({
        AttachedPolicies: [
          { PolicyName: "ReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
        ],
      });
      await processEvent(grantEvent("AttachUserPolicy-ReadOnlyAccess"), t.runtime);
      expect(await statuses(t)).toEqual([["IAM.2", "svc-reporting", "OPEN"]]);
      // AWS managed policies are judged by the configured list: their documents are not read.
      expect(t.iam.commandCalls(GetPolicyCommand)).toHaveLength(0);
    });

    it("a customer managed policy whose default version is full admin: read live, detached only while still default", async () => {
      const arn = "arn:aws:iam::111122223333:policy/deploy-all";
      t = await testRuntime({ config: { modes: { "VIGIL.IAM.ADMIN_POLICY_ATTACHED_ROLE": "auto" } } });
      noRoleTags(t);
      t.iam
        .on(ListAttachedRolePoliciesCommand)
        .resolves({ AttachedPolicies: [{ PolicyName: "deploy-all", PolicyArn: arn }] });
      t.iam.on(GetPolicyCommand).resolves({ Policy: { Arn: arn, DefaultVersionId: "v2" } });
      t.iam
        .on(GetPolicyVersionCommand)
        .resolves({ PolicyVersion: { VersionId: "v2", Document: urlEncoded(ADMIN_DOCUMENT) } });
      t.iam.on(DetachRolePolicyCommand).resolves({});
      await processEvent(grantEvent("AttachRolePolicy-customer-managed"), t.runtime);
      expect(writes(t)).toEqual([["DetachRolePolicyCommand", { RoleName: "ci-deploy", PolicyArn: arn }]]);
      expect(
        await t.runtime.store.get(idFor("VIGIL.IAM.ADMIN_POLICY_ATTACHED_ROLE", "ci-deploy")),
      ).toMatchObject({
        status: "REMEDIATED",
        evidence: [expect.objectContaining({ judgedBy: "document", versionId: "v2" })],
      });
    });

    it("a customer managed policy whose default version changed before the detach is left attached", async () => {
      const arn = "arn:aws:iam::111122223333:policy/deploy-all";
      t = await testRuntime({ config: { modes: { "VIGIL.IAM.ADMIN_POLICY_ATTACHED_ROLE": "auto" } } });
      noRoleTags(t);
      t.iam
        .on(ListAttachedRolePoliciesCommand)
        .resolves({ AttachedPolicies: [{ PolicyName: "deploy-all", PolicyArn: arn }] });
      t.iam
        .on(GetPolicyCommand)
        .resolvesOnce({ Policy: { Arn: arn, DefaultVersionId: "v2" } })
        .resolves({ Policy: { Arn: arn, DefaultVersionId: "v3" } });
      t.iam
        .on(GetPolicyVersionCommand)
        .resolves({ PolicyVersion: { VersionId: "v2", Document: urlEncoded(ADMIN_DOCUMENT) } });
      await processEvent(grantEvent("AttachRolePolicy-customer-managed"), t.runtime);
      expect(writes(t)).toEqual([]);
      expect(
        await t.runtime.store.get(idFor("VIGIL.IAM.ADMIN_POLICY_ATTACHED_ROLE", "ci-deploy")),
      ).toMatchObject({
        status: "OPEN",
        remediation: {
          result: "skipped",
          detail: `${arn}: default version is now v3, not the admin v2: left attached`,
        },
      });
    });

    it("not applicable: IAM Identity Center attaching AdministratorAccess to its permission-set role", async () => {
      t = await testRuntime();
      const report = await processEvent(grantEvent("AttachRolePolicy-identity-center"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(await statuses(t)).toEqual([]);
      expect(t.iam.calls()).toHaveLength(0);
    });

    it("exempt by tag: suppressed, never detached", async () => {
      t = await testRuntime({ config: { modes: { [ATTACHED_USER]: "auto" } } });
      t.iam
        .on(ListUserTagsCommand)
        .resolves({ Tags: [{ Key: "vigil:exempt", Value: `${ATTACHED_USER} IAM.2` }] });
      await processEvent(grantEvent("AttachUserPolicy-AdministratorAccess"), t.runtime);
      expect(writes(t)).toEqual([]);
      expect(await statuses(t)).toEqual([
        ["IAM.2", "svc-reporting", "SUPPRESSED"],
        [ATTACHED_USER, "svc-reporting", "SUPPRESSED"],
      ]);
    });
  });

  describe("role trust", () => {
    it("non-compliant, CRITICAL: CreateRole trusting everyone; nothing read (the call carries the tags)", async () => {
      t = await testRuntime();
      await processEvent(grantEvent("CreateRole-public-trust"), t.runtime);
      expect(await t.runtime.store.get(idFor(TRUST, "partner-import"))).toMatchObject({
        status: "OPEN",
        severity: "CRITICAL",
        summary: "role partner-import: statement 0 lets anyone assume the role (Principal AWS:*)",
      });
      expect(t.iam.calls()).toHaveLength(0);
    });

    it("non-compliant, HIGH: an unknown account without external ID; fixed with UpdateAssumeRolePolicy (external ID) → RESOLVED", async () => {
      t = await testRuntime();
      await processEvent(grantEvent("CreateRole-external-account-no-external-id"), t.runtime);
      expect(await t.runtime.store.get(idFor(TRUST, "vendor-audit"))).toMatchObject({
        status: "OPEN",
        severity: "HIGH",
      });
      await processEvent(grantEvent("UpdateAssumeRolePolicy-external-id"), t.runtime);
      expect((await t.runtime.store.get(idFor(TRUST, "vendor-audit")))?.status).toBe("RESOLVED");
    });

    it("compliant: the vendor's account in iam.knownAccounts; a role for EC2", async () => {
      t = await testRuntime({ config: { iam: { knownAccounts: ["444455556666"] } } });
      await processEvent(grantEvent("CreateRole-external-account-no-external-id"), t.runtime);
      await processEvent(grantEvent("CreateRole-ec2-service"), t.runtime);
      expect(await statuses(t)).toEqual([]);
    });

    it("UpdateAssumeRolePolicy opening a role to everyone", async () => {
      t = await testRuntime();
      noRoleTags(t);
      await processEvent(grantEvent("UpdateAssumeRolePolicy-public"), t.runtime);
      expect(await statuses(t)).toEqual([[TRUST, "app-server", "OPEN"]]);
    });
  });

  describe("Config items and the other checks", () => {
    it("a role's Config item opens INLINE_ADMIN, KMS.2 and RISKY_TRUST; a clean one resolves them", async () => {
      t = await testRuntime();
      await processEvent(grantEvent("config-role-admin-inline"), t.runtime);
      expect(await statuses(t)).toEqual([
        ["VIGIL.IAM.INLINE_ADMIN_ROLE", "ci-deploy", "OPEN"],
        ["VIGIL.IAM.INLINE_KMS_DECRYPT_ROLE", "ci-deploy", "OPEN"],
        [TRUST, "ci-deploy", "OPEN"],
      ]);
      await processEvent(grantEvent("config-role-clean"), t.runtime);
      expect((await statuses(t)).map(([, , s]) => s)).toEqual(["RESOLVED", "RESOLVED", "RESOLVED"]);
      // Nothing was read: Config items carry the tags.
      expect(t.iam.calls()).toHaveLength(0);
    });

    it("a deleted role's Config item resolves its findings", async () => {
      t = await testRuntime();
      await processEvent(grantEvent("config-role-admin-inline"), t.runtime);
      await processEvent(grantEvent("config-role-deleted"), t.runtime);
      expect((await statuses(t)).map(([, , s]) => s)).toEqual(["RESOLVED", "RESOLVED", "RESOLVED"]);
    });

    it("KMS.2 on a role (MEDIUM) and escalation on a user (MEDIUM), detect only", async () => {
      t = await testRuntime();
      noRoleTags(t);
      noUserTags(t);
      await processEvent(grantEvent("PutRolePolicy-kms-decrypt-all-keys"), t.runtime);
      await processEvent(grantEvent("PutUserPolicy-escalation"), t.runtime);
      expect(await statuses(t)).toEqual([
        ["IAM.2", "svc-reporting", "OPEN"],
        ["VIGIL.IAM.ESCALATION_USER", "svc-reporting", "OPEN"],
        ["VIGIL.IAM.INLINE_KMS_DECRYPT_ROLE", "report-exporter", "OPEN"],
      ]);
      const kms = await t.runtime.store.get(idFor("VIGIL.IAM.INLINE_KMS_DECRYPT_ROLE", "report-exporter"));
      expect(kms).toMatchObject({ severity: "MEDIUM", controls: ["FSBP KMS.2"] });
      expect(kms?.remediation).toBeUndefined();
    });
  });

  describe("bad and irrelevant input", () => {
    it("invalid: a PutUserPolicy without its document changes nothing and calls nothing", async () => {
      t = await testRuntime();
      const event = grantEvent("PutUserPolicy-admin");
      delete (event.detail.requestParameters as Record<string, unknown>).policyDocument;
      const report = await processEvent(event, t.runtime);
      expect(report).toMatchObject({ outcome: "invalid", reason: expect.stringContaining("policyDocument") });
      expect(await statuses(t)).toEqual([]);
      expect(t.iam.calls()).toHaveLength(0);
    });

    it("ignored: a failed AttachUserPolicy (AccessDenied) changed nothing", async () => {
      t = await testRuntime();
      const event = grantEvent("AttachUserPolicy-AdministratorAccess");
      event.detail.errorCode = "AccessDenied";
      expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
      expect(await statuses(t)).toEqual([]);
    });
  });
});
