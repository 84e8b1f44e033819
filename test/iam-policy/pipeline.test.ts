import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
} from "@aws-sdk/client-iam";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ACCOUNT,
  BREAK_GLASS_ARN,
  POLICY_ARN,
  POLICY_ID,
  READ_STATEMENT,
  encoded,
  idFor,
  policyEvent,
} from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status] as const).sort();
const iamCalls = (t: TestRuntime) => t.iam.calls().map((c) => c.args[0].constructor.name);
const noTags = (t: TestRuntime) => t.iam.on(ListPolicyTagsCommand).resolves({ Tags: [] });
/** reporting-ops as IAM answers after the CreatePolicyVersion: v2 default, attached once. */
const liveV2 = (t: TestRuntime, extra: Record<string, unknown> = {}) =>
  t.iam.on(GetPolicyCommand).resolves({
    Policy: {
      PolicyName: "reporting-ops",
      PolicyId: POLICY_ID,
      Arn: POLICY_ARN,
      DefaultVersionId: "v2",
      AttachmentCount: 1,
      PermissionsBoundaryUsageCount: 0,
      ...extra,
    },
  });

describe("customer managed policies through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("CreatePolicy of an admin document: IAM.1, IAM.21 and KMS.1 open in `global`, one alert, detect only", async () => {
    t = await testRuntime();
    noTags(t);
    const report = await processEvent(policyEvent("CreatePolicy-admin"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([
      ["IAM.1", BREAK_GLASS_ARN, "OPEN"],
      ["IAM.21", BREAK_GLASS_ARN, "OPEN"],
      ["KMS.1", BREAK_GLASS_ARN, "OPEN"],
    ]);
    const finding = await t.runtime.store.get(idFor("IAM.1", BREAK_GLASS_ARN));
    expect(finding).toMatchObject({
      severity: "HIGH",
      resource: { region: "global", account: ACCOUNT },
      summary:
        'policy ops-break-glass (default version v1): statement 0 (Sid "ReportingAdmin") allows every action on every resource',
      remediation: { mode: "dry-run", result: "skipped" },
    });
    expect(finding?.remediation?.action).toMatch(
      /^nothing to revert on .*ops-break-glass: it was created with this document/,
    );
    expect(t.notifier.alerts).toHaveLength(1);
    // The event holds the whole document: only the tag read (exemptions).
    expect(iamCalls(t)).toEqual(["ListPolicyTagsCommand"]);
  });

  it("compliant: CreatePolicy of a read-only document opens nothing and reads nothing", async () => {
    t = await testRuntime();
    const report = await processEvent(policyEvent("CreatePolicy-read-only"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([]);
    expect(t.iam.calls()).toHaveLength(0);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("CreatePolicyVersion making an admin document default: open, dry-run plans the revert to v1, no write", async () => {
    t = await testRuntime();
    liveV2(t);
    noTags(t);
    await processEvent(policyEvent("CreatePolicyVersion-admin-default"), t.runtime);
    const finding = await t.runtime.store.get(idFor("IAM.1"));
    expect(finding).toMatchObject({
      status: "OPEN",
      actor: { arn: expect.stringContaining("dana.lee@example.com") },
      remediation: {
        mode: "dry-run",
        result: "planned",
        action: `set the default version of ${POLICY_ARN} from v2 back to v1; v2 would be kept`,
      },
    });
    expect(iamCalls(t).sort()).toEqual(["GetPolicyCommand", "ListPolicyTagsCommand"]);
    expect(t.iam.commandCalls(SetDefaultPolicyVersionCommand)).toHaveLength(0);
  });

  it("--mode auto reverts exactly: v1 back as default (checked compliant first), undo payload kept", async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    liveV2(t);
    noTags(t);
    t.iam.on(ListPolicyVersionsCommand).resolves({
      Versions: [
        { VersionId: "v2", IsDefaultVersion: true },
        { VersionId: "v1", IsDefaultVersion: false },
      ],
    });
    t.iam
      .on(GetPolicyVersionCommand, { PolicyArn: POLICY_ARN, VersionId: "v1" })
      .resolves({ PolicyVersion: { VersionId: "v1", Document: encoded(READ_STATEMENT) } });
    t.iam.on(SetDefaultPolicyVersionCommand).resolves({});
    await processEvent(policyEvent("CreatePolicyVersion-admin-default"), t.runtime);
    expect(t.iam.commandCalls(SetDefaultPolicyVersionCommand).map((c) => c.args[0].input)).toEqual([
      { PolicyArn: POLICY_ARN, VersionId: "v1" },
    ]);
    // No Config read: v2's predecessor can only be v1.
    expect(t.configService.commandCalls(GetResourceConfigHistoryCommand)).toHaveLength(0);
    const finding = await t.runtime.store.get(idFor("IAM.1"));
    expect(finding).toMatchObject({
      status: "REMEDIATED",
      remediation: {
        mode: "auto",
        result: "succeeded",
        action: `${POLICY_ARN}: default version set back from v2 to v1; v2 is kept`,
        undo: {
          remediationId: "revert-policy-default-version",
          params: {
            policyArn: POLICY_ARN,
            versionId: "v2",
            revertedTo: "v1",
            exemptChecks: ["IAM.1", "KMS.1", "IAM.21"],
          },
        },
      },
    });
    for (const id of ["KMS.1", "IAM.21"])
      expect(await t.runtime.store.get(idFor(id))).toMatchObject({ status: "REMEDIATED" });
  });

  it("not applicable: a version created without setAsDefault is ignored without any read", async () => {
    t = await testRuntime();
    const report = await processEvent(policyEvent("CreatePolicyVersion-admin-not-default"), t.runtime);
    expect(report).toMatchObject({ outcome: "processed", resources: [] });
    expect(t.iam.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });

  it("not applicable: an AWS managed policy's Config item opens nothing", async () => {
    t = await testRuntime();
    const report = await processEvent(policyEvent("Config-aws-managed-policy"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([]);
    expect(t.iam.calls()).toHaveLength(0);
  });

  it("not applicable: a policy used only as a permissions boundary opens nothing", async () => {
    t = await testRuntime();
    liveV2(t, { AttachmentCount: 0, PermissionsBoundaryUsageCount: 4 });
    await processEvent(policyEvent("CreatePolicyVersion-admin-default"), t.runtime);
    expect(await statuses(t)).toEqual([]);
  });

  it("CloudTrail and Config land on the same finding; a compliant default resolves it", async () => {
    t = await testRuntime();
    liveV2(t);
    noTags(t);
    await processEvent(policyEvent("CreatePolicyVersion-admin-default"), t.runtime);
    await processEvent(policyEvent("Config-policy-admin-version"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["IAM.1", POLICY_ARN, "OPEN"],
      ["IAM.21", POLICY_ARN, "OPEN"],
      ["KMS.1", POLICY_ARN, "OPEN"],
    ]);
    const finding = await t.runtime.store.get(idFor("IAM.1"));
    expect(finding?.eventIds).toHaveLength(2);

    // SetDefaultPolicyVersion to v3, a read-only document read live: everything resolves.
    t.iam.on(GetPolicyCommand).resolves({ Policy: { DefaultVersionId: "v3", AttachmentCount: 1 } });
    t.iam
      .on(GetPolicyVersionCommand, { PolicyArn: POLICY_ARN, VersionId: "v3" })
      .resolves({ PolicyVersion: { VersionId: "v3", Document: encoded(READ_STATEMENT) } });
    await processEvent(policyEvent("SetDefaultPolicyVersion"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["IAM.1", POLICY_ARN, "RESOLVED"],
      ["IAM.21", POLICY_ARN, "RESOLVED"],
      ["KMS.1", POLICY_ARN, "RESOLVED"],
    ]);
  });

  it("DeletePolicy resolves the policy's findings", async () => {
    t = await testRuntime();
    liveV2(t);
    noTags(t);
    await processEvent(policyEvent("CreatePolicyVersion-admin-default"), t.runtime);
    await processEvent(policyEvent("DeletePolicy"), t.runtime);
    expect((await statuses(t)).map(([, , status]) => status)).toEqual(["RESOLVED", "RESOLVED", "RESOLVED"]);
  });

  it("a policy tagged exempt from IAM.1 is suppressed for IAM.1 and not reverted", async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    liveV2(t);
    t.iam.on(ListPolicyTagsCommand).resolves({ Tags: [{ Key: "vigil:exempt", Value: "*" }] });
    await processEvent(policyEvent("CreatePolicyVersion-admin-default"), t.runtime);
    expect((await statuses(t)).map(([, , status]) => status)).toEqual([
      "SUPPRESSED",
      "SUPPRESSED",
      "SUPPRESSED",
    ]);
    expect(t.iam.commandCalls(SetDefaultPolicyVersionCommand)).toHaveLength(0);
  });

  it("bad input: a SetDefaultPolicyVersion without versionId is invalid and changes nothing", async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    const event = policyEvent("SetDefaultPolicyVersion");
    event.detail.requestParameters = { policyArn: POLICY_ARN };
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toMatch(/SetDefaultPolicyVersion requestParameters/);
    expect(t.iam.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });

  it("bad input: a Config item without its version list is invalid", async () => {
    t = await testRuntime();
    const event = policyEvent("Config-policy-admin-version");
    const item = (event.detail as { configurationItem: { configuration: Record<string, unknown> } })
      .configurationItem;
    delete item.configuration.policyVersionList;
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(await statuses(t)).toEqual([]);
  });

  it("a failed call (errorCode) changed nothing and is ignored", async () => {
    t = await testRuntime();
    const event = policyEvent("CreatePolicyVersion-admin-default");
    Object.assign(event.detail, { errorCode: "AccessDenied", responseElements: null });
    expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
    expect(t.iam.calls()).toHaveLength(0);
  });
});
