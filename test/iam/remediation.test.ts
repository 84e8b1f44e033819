import { CloudTrailClient, LookupEventsCommand } from "@aws-sdk/client-cloudtrail";
import {
  DeleteAccountPasswordPolicyCommand,
  GetAccessKeyLastUsedCommand,
  GetAccountPasswordPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import type { RemediationClients } from "../../shared/remediations/define";
import deactivateAccessKey from "../../shared/remediations/deactivate-access-key";
import { remediationById } from "../../shared/remediations/catalog";
import restorePasswordPolicy from "../../shared/remediations/restore-password-policy";
import type { IamUserState } from "../../shared/resources/iam-user/state";
import type { PasswordPolicy, PasswordPolicyState } from "../../shared/resources/password-policy/state";
import { ACCOUNT, awsError } from "./support";

const iamClient = new IAMClient({ region: "us-east-1" });
const cloudTrailClient = new CloudTrailClient({ region: "us-east-1" });
const iam = mockClient(iamClient);
const cloudTrail = mockClient(cloudTrailClient);
const refuse = () => Promise.reject(new Error("not this client"));
const clients = new Proxy({} as RemediationClients, {
  get: (_t, name) =>
    name === "iam" ? () => iamClient : name === "cloudTrail" ? () => cloudTrailClient : refuse,
});
const dryClients = new Proxy({} as RemediationClients, { get: () => refuse });
afterEach(() => {
  iam.reset();
  cloudTrail.reset();
});

const WEAK: PasswordPolicy = {
  MinimumPasswordLength: 8,
  RequireSymbols: false,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 5,
  HardExpiry: false,
};
const CHANGED_AT = "2025-03-15T08:52:19Z";
const policyState = (policy: PasswordPolicy | null): PasswordPolicyState => ({
  accountId: ACCOUNT,
  policy,
  changedAt: CHANGED_AT,
  changeRegion: "us-east-1",
});
const weakness = (weak: Record<string, unknown>[]): Violation => ({
  summary: "weak",
  evidence: { accountId: ACCOUNT, policy: "x", weak },
});
const ALL: Violation[] = [
  weakness([{ setting: "RequireSymbols", required: true, actual: false }]),
  weakness([{ setting: "MinimumPasswordLength", required: 14, actual: 8 }]),
  weakness([{ setting: "PasswordReusePrevention", required: 24, actual: 5 }]),
];
const STRONG_TARGET = {
  ...WEAK,
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  PasswordReusePrevention: 24,
};

function lookups(update: unknown[], remove: unknown[] = []) {
  const events = (records: unknown[]) => ({
    Events: records.map((r) => ({ CloudTrailEvent: JSON.stringify(r) })),
  });
  cloudTrail
    .on(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "UpdateAccountPasswordPolicy" }],
    })
    .resolves(events(update))
    .on(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: "DeleteAccountPasswordPolicy" }],
    })
    .resolves(events(remove));
}
const record = (eventName: string, eventTime: string, requestParameters: unknown = null, extra = {}) => ({
  eventSource: "iam.amazonaws.com",
  eventName,
  eventTime,
  requestParameters,
  ...extra,
});
const livePolicy = (policy: PasswordPolicy | null) =>
  policy
    ? iam
        .on(GetAccountPasswordPolicyCommand)
        .resolves({ PasswordPolicy: { ...policy, ExpirePasswords: policy.MaxPasswordAge !== undefined } })
    : iam.on(GetAccountPasswordPolicyCommand).rejects(awsError("NoSuchEntityException"));
const updates = () => iam.commandCalls(UpdateAccountPasswordPolicyCommand).map((c) => c.args[0].input);

describe("restore-password-policy", () => {
  it("is registered as disruptive, account-level (no tag exemption), with its read and write actions", () => {
    expect(remediationById("restore-password-policy")).toBe(restorePasswordPolicy);
    expect(restorePasswordPolicy).toMatchObject({
      resourceType: "AWS::IAM::AccountPasswordPolicy",
      disruptive: true,
      undoExemptsByTag: false,
      iamActions: [
        "iam:GetAccountPasswordPolicy",
        "iam:UpdateAccountPasswordPolicy",
        "cloudtrail:LookupEvents",
      ],
      undoIamActions: [
        "iam:GetAccountPasswordPolicy",
        "iam:UpdateAccountPasswordPolicy",
        "iam:DeleteAccountPasswordPolicy",
      ],
    });
  });

  it("dry-run: plans from the event alone and touches no client", async () => {
    const out = await restorePasswordPolicy.apply(
      { state: policyState(WEAK), violations: ALL, dryRun: true },
      dryClients,
    );
    expect(out).toEqual({
      result: "planned",
      action:
        "UpdateAccountPasswordPolicy for account 111122223333: put back the policy in force before 2025-03-15T08:52:19Z " +
        "(per CloudTrail event history; the current one when unknown), raised to RequireSymbols=true MinimumPasswordLength>=14 PasswordReusePrevention>=24",
      awsCalls: 0,
    });
  });

  it("no earlier change in the history: the current policy, raised; undo keeps what the user set", async () => {
    livePolicy(WEAK);
    lookups([]);
    iam.on(UpdateAccountPasswordPolicyCommand).resolves({});
    const out = await restorePasswordPolicy.apply(
      { state: policyState(WEAK), violations: ALL, dryRun: false },
      clients,
    );
    expect(updates()).toEqual([STRONG_TARGET]);
    expect(out).toMatchObject({
      result: "succeeded",
      action: expect.stringContaining(
        "from no earlier password-policy change in CloudTrail's 90-day event history (us-east-1), so the current policy",
      ),
      undo: {
        remediationId: "restore-password-policy",
        params: { accountId: ACCOUNT, before: WEAK, after: STRONG_TARGET },
      },
    });
  });

  it("picks the newest successful change strictly before this one (not this one, not a failed call)", async () => {
    livePolicy(WEAK);
    lookups([
      record("UpdateAccountPasswordPolicy", CHANGED_AT, { minimumPasswordLength: 8 }),
      record(
        "UpdateAccountPasswordPolicy",
        "2025-03-10T00:00:00Z",
        { minimumPasswordLength: 30 },
        { errorCode: "AccessDenied" },
      ),
      record("UpdateAccountPasswordPolicy", "2025-02-01T00:00:00Z", {
        minimumPasswordLength: 18,
        requireSymbols: true,
        hardExpiry: true,
      }),
      record("UpdateAccountPasswordPolicy", "2024-12-01T00:00:00Z", { minimumPasswordLength: 40 }),
    ]);
    iam.on(UpdateAccountPasswordPolicyCommand).resolves({});
    await restorePasswordPolicy.apply({ state: policyState(WEAK), violations: ALL, dryRun: false }, clients);
    // 18 from before; HardExpiry and AllowUsersToChangePassword are the earlier policy's, not strength.
    expect(updates()).toEqual([
      { ...STRONG_TARGET, MinimumPasswordLength: 18, HardExpiry: true, AllowUsersToChangePassword: false },
    ]);
  });

  it("an earlier deletion means no earlier policy: the current one is raised", async () => {
    livePolicy(WEAK);
    lookups(
      [record("UpdateAccountPasswordPolicy", "2025-01-01T00:00:00Z", { minimumPasswordLength: 30 })],
      [record("DeleteAccountPasswordPolicy", "2025-02-01T00:00:00Z")],
    );
    iam.on(UpdateAccountPasswordPolicyCommand).resolves({});
    await restorePasswordPolicy.apply({ state: policyState(WEAK), violations: ALL, dryRun: false }, clients);
    expect(updates()).toEqual([STRONG_TARGET]);
  });

  it("history unreadable (denied): falls back to the current policy and says why", async () => {
    livePolicy(WEAK);
    cloudTrail.on(LookupEventsCommand).rejects(awsError("AccessDeniedException"));
    iam.on(UpdateAccountPasswordPolicyCommand).resolves({});
    const out = await restorePasswordPolicy.apply(
      { state: policyState(WEAK), violations: ALL, dryRun: false },
      clients,
    );
    expect(updates()).toEqual([STRONG_TARGET]);
    expect(out.action).toContain("CloudTrail event history unavailable (AccessDeniedException)");
  });

  it("asks the Region the change was logged in when Vigil's own client is elsewhere (a forwarded IAM event)", async () => {
    const homeClient = new CloudTrailClient({ region: "eu-west-1" });
    const everyClient = mockClient(CloudTrailClient);
    try {
      everyClient.on(LookupEventsCommand).resolves({ Events: [] });
      livePolicy(WEAK);
      iam.on(UpdateAccountPasswordPolicyCommand).resolves({});
      const home = new Proxy({} as RemediationClients, {
        get: (_t, name) =>
          name === "iam" ? () => iamClient : name === "cloudTrail" ? () => homeClient : refuse,
      });
      await restorePasswordPolicy.apply({ state: policyState(WEAK), violations: ALL, dryRun: false }, home);
      const calls = everyClient.commandCalls(LookupEventsCommand);
      expect(calls).toHaveLength(2);
      const regions = await Promise.all(calls.map((c) => (c.thisValue as CloudTrailClient).config.region()));
      expect(regions).toEqual(["us-east-1", "us-east-1"]);
    } finally {
      everyClient.restore();
      homeClient.destroy();
    }
  });

  it("no policy now and none known before: a policy built from the requirements, users may change passwords", async () => {
    livePolicy(null);
    lookups([]);
    iam.on(UpdateAccountPasswordPolicyCommand).resolves({});
    const out = await restorePasswordPolicy.apply(
      { state: policyState(null), violations: ALL, dryRun: false },
      clients,
    );
    expect(updates()).toEqual([
      {
        MinimumPasswordLength: 14,
        RequireSymbols: true,
        RequireNumbers: false,
        RequireUppercaseCharacters: false,
        RequireLowercaseCharacters: false,
        AllowUsersToChangePassword: true,
        PasswordReusePrevention: 24,
        HardExpiry: false,
      },
    ]);
    expect(out.undo?.params).toMatchObject({ before: null });
  });

  it("already strong enough now (someone fixed it): already-gone, nothing written", async () => {
    livePolicy(STRONG_TARGET);
    lookups([]);
    const out = await restorePasswordPolicy.apply(
      { state: policyState(WEAK), violations: ALL, dryRun: false },
      clients,
    );
    expect(out.result).toBe("already-gone");
    expect(updates()).toEqual([]);
  });

  it("a denied update is a failure that says what is missing", async () => {
    livePolicy(WEAK);
    lookups([]);
    iam.on(UpdateAccountPasswordPolicyCommand).rejects(awsError("AccessDenied"));
    const out = await restorePasswordPolicy.apply(
      { state: policyState(WEAK), violations: ALL, dryRun: false },
      clients,
    );
    expect(out).toMatchObject({
      result: "failed",
      detail: expect.stringContaining("iam:UpdateAccountPasswordPolicy"),
    });
  });

  it("undo puts back what the user set, or deletes the policy if there was none", async () => {
    livePolicy(STRONG_TARGET);
    iam.on(UpdateAccountPasswordPolicyCommand).resolves({});
    iam.on(DeleteAccountPasswordPolicyCommand).resolves({});
    const payload = (before: PasswordPolicy | null) => ({
      remediationId: "restore-password-policy",
      params: {
        accountId: ACCOUNT,
        before,
        after: STRONG_TARGET,
        exemptChecks: ["IAM.7"],
        exemptionTagKey: "vigil:exempt",
      },
    });
    expect(await restorePasswordPolicy.undo(payload(WEAK), clients)).toContain(
      "put back to MinimumPasswordLength=8",
    );
    expect(updates()).toEqual([WEAK]);
    expect(await restorePasswordPolicy.undo(payload(null), clients)).toContain(
      "put back to no password policy",
    );
    expect(iam.commandCalls(DeleteAccountPasswordPolicyCommand)).toHaveLength(1);
  });

  it("undo refuses to overwrite a policy changed since", async () => {
    livePolicy({ ...STRONG_TARGET, MinimumPasswordLength: 32 });
    await expect(
      restorePasswordPolicy.undo(
        {
          remediationId: "restore-password-policy",
          params: { accountId: ACCOUNT, before: WEAK, after: STRONG_TARGET },
        },
        clients,
      ),
    ).rejects.toThrow(/changed since Vigil set it/);
    expect(updates()).toEqual([]);
  });
});

const NOW = Date.now();
const ago = (days: number) => new Date(NOW - days * 86_400_000);
const user: IamUserState = { userName: "old-app", userArn: "arn:aws:iam::111122223333:user/old-app" };
const keyViolation = (slot: 1 | 2, lastRotated: Date, limits: Record<string, number>): Violation => ({
  summary: "old",
  evidence: {
    userName: "old-app",
    credential: "accessKey",
    keySlot: slot,
    lastRotated: lastRotated.toISOString(),
    ...limits,
  },
});
const passwordViolation: Violation = {
  summary: "unused password",
  evidence: {
    userName: "old-app",
    credential: "password",
    lastUsed: null,
    since: ago(100).toISOString(),
    unusedDays: 100,
  },
};
const KEY1 = {
  UserName: "old-app",
  AccessKeyId: "AKIAXMPLOLDKEY000001",
  Status: "Active" as const,
  CreateDate: ago(200),
};
const KEY2 = {
  UserName: "old-app",
  AccessKeyId: "AKIAXMPLNEWKEY000002",
  Status: "Active" as const,
  CreateDate: ago(10),
};
const keyUpdates = () => iam.commandCalls(UpdateAccessKeyCommand).map((c) => c.args[0].input);

describe("deactivate-access-key", () => {
  it("is registered as disruptive with its read and write actions", () => {
    expect(deactivateAccessKey).toMatchObject({
      resourceType: "AWS::IAM::User",
      disruptive: true,
      iamActions: ["iam:ListAccessKeys", "iam:GetAccessKeyLastUsed", "iam:UpdateAccessKey"],
      undoIamActions: ["iam:ListUserTags", "iam:TagUser", "iam:UpdateAccessKey"],
    });
  });

  it("dry-run: names the key by slot and creation time; passwords are left alone", async () => {
    const out = await deactivateAccessKey.apply(
      {
        state: user,
        violations: [keyViolation(1, ago(200), { maxAccessKeyAge: 90 }), passwordViolation],
        dryRun: true,
      },
      dryClients,
    );
    expect(out).toEqual({
      result: "planned",
      action: `UpdateAccessKey Status=Inactive for user old-app: access key 1 (created or rotated ${ago(200).toISOString()})`,
      detail: "console passwords are left as they are: delete an unused login profile yourself",
      awsCalls: 0,
    });
    const onlyPassword = await deactivateAccessKey.apply(
      { state: user, violations: [passwordViolation], dryRun: true },
      dryClients,
    );
    expect(onlyPassword.result).toBe("skipped");
  });

  it("IAM.3: deactivates exactly the old key (found by its creation time), not the new one", async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [KEY2, KEY1] });
    iam.on(UpdateAccessKeyCommand).resolves({});
    const out = await deactivateAccessKey.apply(
      { state: user, violations: [keyViolation(1, KEY1.CreateDate, { maxAccessKeyAge: 90 })], dryRun: false },
      clients,
    );
    expect(keyUpdates()).toEqual([
      { UserName: "old-app", AccessKeyId: KEY1.AccessKeyId, Status: "Inactive" },
    ]);
    expect(iam.commandCalls(GetAccessKeyLastUsedCommand)).toHaveLength(0);
    expect(out).toMatchObject({
      result: "succeeded",
      action: `user old-app: deactivated access key ${KEY1.AccessKeyId}`,
      undo: {
        remediationId: "deactivate-access-key",
        params: { userName: "old-app", accessKeyIds: [KEY1.AccessKeyId] },
      },
    });
  });

  it("IAM.8/22: confirms the key is still unused before deactivating it", async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [KEY1] });
    iam
      .on(GetAccessKeyLastUsedCommand)
      .resolves({ AccessKeyLastUsed: { LastUsedDate: ago(100), ServiceName: "s3", Region: "us-east-1" } });
    iam.on(UpdateAccessKeyCommand).resolves({});
    const out = await deactivateAccessKey.apply(
      {
        state: user,
        violations: [keyViolation(1, KEY1.CreateDate, { maxCredentialUsageAge: 90 })],
        dryRun: false,
      },
      clients,
    );
    expect(iam.commandCalls(GetAccessKeyLastUsedCommand).map((c) => c.args[0].input)).toEqual([
      { AccessKeyId: KEY1.AccessKeyId },
    ]);
    expect(keyUpdates()).toHaveLength(1);
    expect(out.result).toBe("succeeded");
  });

  it("a key used since the report is left active (skipped, the finding stays for the next report)", async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [KEY1] });
    iam
      .on(GetAccessKeyLastUsedCommand)
      .resolves({ AccessKeyLastUsed: { LastUsedDate: ago(0), ServiceName: "s3", Region: "us-east-1" } });
    const out = await deactivateAccessKey.apply(
      {
        state: user,
        violations: [keyViolation(1, KEY1.CreateDate, { maxCredentialUsageAge: 45 })],
        dryRun: false,
      },
      clients,
    );
    expect(keyUpdates()).toEqual([]);
    expect(out).toMatchObject({
      result: "skipped",
      detail: expect.stringContaining("used or rotated since the report, left active"),
    });
  });

  it("already inactive, or deleted since: already-gone; the user deleted: already-gone", async () => {
    iam.on(ListAccessKeysCommand).resolves({ AccessKeyMetadata: [{ ...KEY1, Status: "Inactive" }] });
    const inactive = await deactivateAccessKey.apply(
      {
        state: user,
        violations: [
          keyViolation(1, KEY1.CreateDate, { maxAccessKeyAge: 90 }),
          keyViolation(2, ago(300), { maxAccessKeyAge: 90 }),
        ],
        dryRun: false,
      },
      clients,
    );
    expect(inactive).toMatchObject({
      result: "already-gone",
      detail: expect.stringContaining("already inactive"),
    });
    expect(inactive.detail).toContain("no longer exists");
    iam.on(ListAccessKeysCommand).rejects(awsError("NoSuchEntityException"));
    const gone = await deactivateAccessKey.apply(
      { state: user, violations: [keyViolation(1, KEY1.CreateDate, { maxAccessKeyAge: 90 })], dryRun: false },
      clients,
    );
    expect(gone.result).toBe("already-gone");
    expect(keyUpdates()).toEqual([]);
  });

  it("undo tags the user exempt (keeping other ids) and reactivates the key", async () => {
    iam.on(ListUserTagsCommand).resolves({ Tags: [{ Key: "vigil:exempt", Value: "IAM.5" }] });
    iam.on(TagUserCommand).resolves({});
    iam.on(UpdateAccessKeyCommand).resolves({});
    const message = await deactivateAccessKey.undo(
      {
        remediationId: "deactivate-access-key",
        params: {
          userName: "old-app",
          accessKeyIds: [KEY1.AccessKeyId],
          exemptChecks: ["IAM.3"],
          exemptionTagKey: "vigil:exempt",
        },
      },
      clients,
    );
    expect(iam.commandCalls(TagUserCommand).map((c) => c.args[0].input)).toEqual([
      {
        UserName: "old-app",
        Tags: [
          { Key: "vigil:exempt", Value: "IAM.5 IAM.3" },
          { Key: "vigil:exempt-reason", Value: "restored with vigil undo" },
        ],
      },
    ]);
    expect(keyUpdates()).toEqual([{ UserName: "old-app", AccessKeyId: KEY1.AccessKeyId, Status: "Active" }]);
    expect(message).toContain("reactivated access key AKIAXMPLOLDKEY000001");
  });
});
