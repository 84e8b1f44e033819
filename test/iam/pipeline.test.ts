import { LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import {
  GetAccountPasswordPolicyCommand,
  GetAccountSummaryCommand,
  GetLoginProfileCommand,
  ListMFADevicesCommand,
  ListUserTagsCommand,
  UpdateAccountPasswordPolicyCommand,
} from "@aws-sdk/client-iam";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ACCOUNT, awsError, iamEvent, idFor, signInEvent } from "./support";

const ROOT = "VIGIL.IAM.ROOT_ACTIVITY";
const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status] as const).sort();
const iamCalls = (t: TestRuntime) => t.iam.calls().map((c) => [c.args[0].constructor.name, c.args[0].input]);
const noTags = (t: TestRuntime) => t.iam.on(ListUserTagsCommand).resolves({ Tags: [] });

describe("root activity and root access keys through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("root creating its own access key: IAM.4 (critical) and root activity, one alert, no AWS call", async () => {
    t = await testRuntime();
    const report = await processEvent(iamEvent("CreateAccessKey-root"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([
      ["IAM.4", ACCOUNT, "OPEN"],
      [ROOT, ACCOUNT, "OPEN"],
    ]);
    expect(await t.runtime.store.get(idFor("IAM.4", ACCOUNT))).toMatchObject({
      severity: "CRITICAL",
      summary: "the root user created access key AKIAXMPLROOTK3Y7Q2W1",
      actor: { type: "Root", arn: "arn:aws:iam::111122223333:root" },
    });
    expect(await t.runtime.store.get(idFor(ROOT, ACCOUNT))).toMatchObject({
      severity: "HIGH",
      summary: "the root user called CreateAccessKey from 203.0.113.57",
    });
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.findings.map((f) => f.checkId).sort()).toEqual(["IAM.4", ROOT]);
    expect(t.iam.calls()).toHaveLength(0);
  });

  it("root deleting its key resolves IAM.4 once GetAccountSummary says no key is left; root activity stays", async () => {
    t = await testRuntime();
    t.iam
      .on(GetAccountSummaryCommand)
      .resolves({ SummaryMap: { AccountAccessKeysPresent: 0, AccountMFAEnabled: 1 } });
    await processEvent(iamEvent("CreateAccessKey-root"), t.runtime);
    const report = await processEvent(iamEvent("DeleteAccessKey-root"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([
      ["IAM.4", ACCOUNT, "RESOLVED"],
      [ROOT, ACCOUNT, "OPEN"],
    ]);
    expect(iamCalls(t)).toEqual([["GetAccountSummaryCommand", {}]]);
  });

  it("root deleting one of two keys leaves IAM.4 open", async () => {
    t = await testRuntime();
    t.iam.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AccountAccessKeysPresent: 1 } });
    await processEvent(iamEvent("CreateAccessKey-root"), t.runtime);
    await processEvent(iamEvent("DeleteAccessKey-root"), t.runtime);
    expect(await statuses(t)).toContainEqual(["IAM.4", ACCOUNT, "OPEN"]);
  });

  it("compliant: an administrator creating a key for an IAM user opens nothing and reads nothing", async () => {
    t = await testRuntime();
    const report = await processEvent(iamEvent("CreateAccessKey-for-user"), t.runtime);
    expect(report).toMatchObject({ outcome: "processed", resources: [] });
    expect(await statuses(t)).toEqual([]);
    expect(t.iam.calls()).toHaveLength(0);
  });

  it("root giving an IAM user a password: root activity on the account and IAM.5 on the user", async () => {
    t = await testRuntime();
    t.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    noTags(t);
    const report = await processEvent(iamEvent("CreateLoginProfile-by-root"), t.runtime);
    expect(report.resources.map((r) => r.resource.id).sort()).toEqual([ACCOUNT, "intern-2025"]);
    expect(await statuses(t)).toEqual([
      ["IAM.5", "intern-2025", "OPEN"],
      [ROOT, ACCOUNT, "OPEN"],
    ]);
  });

  it("invalid: a root key event without the key's id changes nothing", async () => {
    t = await testRuntime();
    const event = iamEvent("CreateAccessKey-root");
    event.detail.responseElements = null;
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toMatch(/CreateAccessKey responseElements/);
    expect(await statuses(t)).toEqual([]);
    expect(t.notifier.alerts).toHaveLength(0);
  });
});

/** Console sign-ins arrive as "AWS Console Sign In via CloudTrail", routed like CloudTrail calls. */
describe("console sign-ins through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: a root sign-in without MFA is a critical root-activity finding", async () => {
    t = await testRuntime();
    await processEvent(signInEvent("ConsoleLogin-root-without-mfa"), t.runtime);
    expect(await t.runtime.store.get(idFor(ROOT, ACCOUNT))).toMatchObject({
      status: "OPEN",
      severity: "CRITICAL",
      summary: "the root user signed in to the console without MFA from 198.51.100.23",
    });
  });

  it("a later root sign-in (with MFA: high) joins the open finding without a second alert", async () => {
    t = await testRuntime();
    await processEvent(signInEvent("ConsoleLogin-root-without-mfa"), t.runtime);
    await processEvent(signInEvent("ConsoleLogin-root-with-mfa"), t.runtime);
    const finding = await t.runtime.store.get(idFor(ROOT, ACCOUNT));
    expect(finding).toMatchObject({
      status: "OPEN",
      severity: "HIGH",
      summary: expect.stringContaining("signed in to the console from"),
    });
    expect(finding?.eventIds).toHaveLength(2);
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: a failed root sign-in and an IAM user's sign-in open nothing", async () => {
    t = await testRuntime();
    await processEvent(signInEvent("ConsoleLogin-root-failed"), t.runtime);
    await processEvent(signInEvent("ConsoleLogin-iam-user"), t.runtime);
    expect(await statuses(t)).toEqual([]);
  });
});

describe("IAM.5 console users without MFA through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: CreateLoginProfile for a user with no MFA device opens IAM.5 (detect only)", async () => {
    t = await testRuntime();
    t.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [], IsTruncated: false });
    noTags(t);
    const report = await processEvent(iamEvent("CreateLoginProfile"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(iamCalls(t)).toEqual([
      ["ListMFADevicesCommand", { UserName: "svc-reporting" }],
      ["ListUserTagsCommand", { UserName: "svc-reporting" }],
    ]);
    expect(await t.runtime.store.get(idFor("IAM.5", "svc-reporting"))).toMatchObject({
      status: "OPEN",
      severity: "MEDIUM",
      summary: "user svc-reporting has a console password and no MFA device",
      evidence: [
        {
          userName: "svc-reporting",
          passwordEnabled: true,
          mfaActive: false,
          source: "CreateLoginProfile + ListMFADevices",
        },
      ],
      resource: {
        type: "AWS::IAM::User",
        arn: "arn:aws:iam::111122223333:user/svc-reporting",
        region: "global",
      },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: CreateLoginProfile for a user with an MFA device opens nothing", async () => {
    t = await testRuntime();
    t.iam.on(ListMFADevicesCommand).resolves({
      MFADevices: [
        {
          UserName: "svc-reporting",
          SerialNumber: "arn:aws:iam::111122223333:mfa/p",
          EnableDate: new Date(),
        },
      ],
    });
    await processEvent(iamEvent("CreateLoginProfile"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.iam.commandCalls(ListUserTagsCommand)).toHaveLength(0);
  });

  it.each(["EnableMFADevice", "DeleteLoginProfile", "DeleteUser"])(
    "%s resolves the open finding without a read",
    async (name) => {
      t = await testRuntime();
      t.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
      noTags(t);
      await processEvent(iamEvent("CreateLoginProfile"), t.runtime);
      const before = t.iam.calls().length;
      await processEvent(iamEvent(name), t.runtime);
      expect(await statuses(t)).toEqual([["IAM.5", "svc-reporting", "RESOLVED"]]);
      expect(t.iam.calls()).toHaveLength(before);
    },
  );

  it("DeactivateMFADevice: the last device gone while a password remains opens IAM.5 (both read live)", async () => {
    t = await testRuntime();
    t.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    t.iam
      .on(GetLoginProfileCommand)
      .resolves({ LoginProfile: { UserName: "svc-reporting", CreateDate: new Date() } });
    noTags(t);
    await processEvent(iamEvent("DeactivateMFADevice"), t.runtime);
    expect(await t.runtime.store.get(idFor("IAM.5", "svc-reporting"))).toMatchObject({
      status: "OPEN",
      evidence: [{ source: "DeactivateMFADevice + GetLoginProfile + ListMFADevices" }],
    });
  });

  it("DeactivateMFADevice for a user without a password opens nothing", async () => {
    t = await testRuntime();
    t.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    t.iam.on(GetLoginProfileCommand).rejects(awsError("NoSuchEntityException"));
    await processEvent(iamEvent("DeactivateMFADevice"), t.runtime);
    expect(await statuses(t)).toEqual([]);
  });

  it("a user deleted before the read: nothing to judge, nothing opened", async () => {
    t = await testRuntime();
    t.iam.on(ListMFADevicesCommand).rejects(awsError("NoSuchEntityException"));
    const report = await processEvent(iamEvent("CreateLoginProfile"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([]);
  });

  it("exempt by the user's vigil:exempt tag: SUPPRESSED, no alert", async () => {
    t = await testRuntime();
    t.iam.on(ListMFADevicesCommand).resolves({ MFADevices: [] });
    t.iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: "vigil:exempt", Value: "IAM.5" }] });
    await processEvent(iamEvent("CreateLoginProfile"), t.runtime);
    expect(await statuses(t)).toEqual([["IAM.5", "svc-reporting", "SUPPRESSED"]]);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("a throttled MFA read fails the event so it is retried", async () => {
    t = await testRuntime();
    t.iam.on(ListMFADevicesCommand).rejects(awsError("Throttling", { $retryable: { throttling: true } }));
    await expect(processEvent(iamEvent("CreateLoginProfile"), t.runtime)).rejects.toThrow(/Throttling/);
    expect(await statuses(t)).toEqual([]);
  });

  it("invalid: a role's CreateLoginProfile that names no user changes nothing", async () => {
    t = await testRuntime();
    const event = iamEvent("CreateLoginProfile");
    event.detail.requestParameters = { passwordResetRequired: false };
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(t.iam.calls()).toHaveLength(0);
  });
});

describe("IAM.7 / IAM.15 / IAM.16 password policy through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());
  const POLICY_CHECKS = ["IAM.15", "IAM.16", "IAM.7"];

  it("non-compliant (default dry-run): a weakened policy opens all three with a plan, and calls nothing", async () => {
    t = await testRuntime();
    const report = await processEvent(iamEvent("UpdateAccountPasswordPolicy-weakened"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual(POLICY_CHECKS.map((id) => [id, ACCOUNT, "OPEN"]));
    expect(await t.runtime.store.get(idFor("IAM.15", ACCOUNT))).toMatchObject({
      summary: "the account password policy misses MinimumPasswordLength>=14 (is 8)",
      remediation: {
        mode: "dry-run",
        result: "planned",
        action:
          "UpdateAccountPasswordPolicy for account 111122223333: put back the policy in force before 2025-03-15T08:52:19Z " +
          "(per CloudTrail event history; the current one when unknown), raised to RequireSymbols=true MinimumPasswordLength>=14 PasswordReusePrevention>=24",
      },
    });
    expect(await t.runtime.store.get(idFor("IAM.7", ACCOUNT))).toMatchObject({
      summary: "the account password policy misses RequireSymbols=true (is false)",
    });
    expect(t.iam.calls()).toHaveLength(0);
    expect(t.cloudTrail.calls()).toHaveLength(0);
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("auto: puts back the earlier policy from CloudTrail history, raised to every check's requirement", async () => {
    t = await testRuntime({ config: { modes: { "IAM.7": "auto", "IAM.15": "auto", "IAM.16": "auto" } } });
    t.iam.on(GetAccountPasswordPolicyCommand).resolves({
      PasswordPolicy: {
        MinimumPasswordLength: 8,
        RequireSymbols: false,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        AllowUsersToChangePassword: true,
        ExpirePasswords: true,
        MaxPasswordAge: 90,
        PasswordReusePrevention: 5,
        HardExpiry: false,
      },
    });
    const earlier = {
      eventSource: "iam.amazonaws.com",
      eventName: "UpdateAccountPasswordPolicy",
      eventTime: "2025-01-20T10:00:00Z",
      requestParameters: {
        minimumPasswordLength: 20,
        requireSymbols: true,
        requireNumbers: true,
        requireUppercaseCharacters: true,
        requireLowercaseCharacters: true,
        allowUsersToChangePassword: true,
        passwordReusePrevention: 12,
      },
    };
    t.cloudTrail
      .on(LookupEventsCommand, {
        LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "UpdateAccountPasswordPolicy" }],
      })
      .resolves({
        Events: [{ EventName: "UpdateAccountPasswordPolicy", CloudTrailEvent: JSON.stringify(earlier) }],
      })
      .on(LookupEventsCommand, {
        LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DeleteAccountPasswordPolicy" }],
      })
      .resolves({ Events: [] });
    t.iam.on(UpdateAccountPasswordPolicyCommand).resolves({});

    await processEvent(iamEvent("UpdateAccountPasswordPolicy-weakened"), t.runtime);

    expect(t.iam.commandCalls(UpdateAccountPasswordPolicyCommand).map((c) => c.args[0].input)).toEqual([
      {
        // Length 20 and symbols from before; reuse raised to 24 (IAM.16); the expiry set since is kept.
        MinimumPasswordLength: 20,
        RequireSymbols: true,
        RequireNumbers: true,
        RequireUppercaseCharacters: true,
        RequireLowercaseCharacters: true,
        AllowUsersToChangePassword: true,
        MaxPasswordAge: 90,
        PasswordReusePrevention: 24,
        HardExpiry: false,
      },
    ]);
    expect(t.cloudTrail.commandCalls(LookupEventsCommand).map((c) => c.args[0].input.EndTime)).toEqual([
      new Date("2025-03-15T08:52:19Z"),
      new Date("2025-03-15T08:52:19Z"),
    ]);
    expect(await statuses(t)).toEqual(POLICY_CHECKS.map((id) => [id, ACCOUNT, "REMEDIATED"]));
    const finding = await t.runtime.store.get(idFor("IAM.16", ACCOUNT));
    expect(finding?.remediation?.undo).toMatchObject({
      remediationId: "restore-password-policy",
      params: {
        accountId: ACCOUNT,
        before: { MinimumPasswordLength: 8, PasswordReusePrevention: 5 },
        after: { MinimumPasswordLength: 20 },
      },
    });
  });

  it("compliant: a strong policy resolves the open findings", async () => {
    t = await testRuntime();
    await processEvent(iamEvent("UpdateAccountPasswordPolicy-weakened"), t.runtime);
    await processEvent(iamEvent("UpdateAccountPasswordPolicy-strong"), t.runtime);
    expect(await statuses(t)).toEqual(POLICY_CHECKS.map((id) => [id, ACCOUNT, "RESOLVED"]));
  });

  it("compliant: a strong policy alone opens nothing", async () => {
    t = await testRuntime();
    await processEvent(iamEvent("UpdateAccountPasswordPolicy-strong"), t.runtime);
    expect(await statuses(t)).toEqual([]);
  });

  it("non-compliant: deleting the policy fails all three", async () => {
    t = await testRuntime();
    await processEvent(iamEvent("DeleteAccountPasswordPolicy"), t.runtime);
    expect(await statuses(t)).toEqual(POLICY_CHECKS.map((id) => [id, ACCOUNT, "OPEN"]));
    expect(await t.runtime.store.get(idFor("IAM.16", ACCOUNT))).toMatchObject({
      summary: "the account password policy was deleted: nothing requires PasswordReusePrevention>=24",
      evidence: [{ policy: "deleted" }],
      actor: { arn: expect.stringContaining("dana.lee@example.com") },
    });
  });

  it("a config exemption for the account suppresses the findings", async () => {
    t = await testRuntime({
      config: { exemptions: [{ checks: ["IAM.16"], accounts: [ACCOUNT], reason: "SSO users only" }] },
    });
    await processEvent(iamEvent("DeleteAccountPasswordPolicy"), t.runtime);
    expect(await statuses(t)).toContainEqual(["IAM.16", ACCOUNT, "SUPPRESSED"]);
  });

  it("invalid: a policy with a non-numeric length changes nothing", async () => {
    t = await testRuntime();
    const event = iamEvent("UpdateAccountPasswordPolicy-weakened");
    (event.detail.requestParameters as Record<string, unknown>).minimumPasswordLength = "long";
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(await statuses(t)).toEqual([]);
  });

  it("Vigil's own restore coming back is ignored", async () => {
    t = await testRuntime();
    const event = iamEvent("UpdateAccountPasswordPolicy-weakened");
    (
      event.detail.userIdentity as { sessionContext: { sessionIssuer: { arn: string } } }
    ).sessionContext.sessionIssuer.arn = "arn:aws:iam::111122223333:role/vigil-remediation-us-east-1";
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("ignored");
  });
});
