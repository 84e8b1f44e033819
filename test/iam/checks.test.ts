import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import type { CheckContext, CheckDefinition } from "../../shared/checks/define";
import { iamChecks } from "../../shared/checks/iam";
import { iamSettings } from "../../shared/checks/iam/settings";
import { parseConfig } from "../../shared/config/load";
import { parseCredentialReport } from "../../shared/iam-credentials/report";
import type { AccountState } from "../../shared/resources/account/state";
import type { IamUserState } from "../../shared/resources/iam-user/state";
import type { PasswordPolicy, PasswordPolicyState } from "../../shared/resources/password-policy/state";
import type { ResourceStates, ResourceType } from "../../shared/resources/states";
import { base64, csv, row, type RowInput } from "./support";

const context: CheckContext = { config: parseConfig({}) };
const check = <T extends ResourceType>(id: string) => checkById(id) as unknown as CheckDefinition<T>;
const judge = <T extends ResourceType>(id: string, state: ResourceStates[T], ctx = context) => {
  const c = check<T>(id);
  const undecided = c.undecided?.(state, ctx);
  return undecided ? { undecided } : { violations: c.evaluate(state, ctx) };
};

describe("IAM checks in the catalog", () => {
  it("are registered with their ids, severities, controls, resource types and remediations", () => {
    expect(
      iamChecks.map((c) => [
        c.id,
        c.severity,
        c.resourceType,
        c.controls,
        c.remediation?.id ?? null,
        c.remediation?.defaultMode ?? null,
      ]),
    ).toEqual([
      ["IAM.4", "CRITICAL", "AWS::::Account", ["FSBP IAM.4", "CIS 1.4"], null, null],
      ["VIGIL.IAM.ROOT_ACTIVITY", "HIGH", "AWS::::Account", [], null, null],
      ["IAM.5", "MEDIUM", "AWS::IAM::User", ["FSBP IAM.5", "CIS 1.10"], null, null],
      [
        "IAM.7",
        "MEDIUM",
        "AWS::IAM::AccountPasswordPolicy",
        ["FSBP IAM.7"],
        "restore-password-policy",
        "dry-run",
      ],
      [
        "IAM.15",
        "MEDIUM",
        "AWS::IAM::AccountPasswordPolicy",
        ["SecurityHub IAM.15", "CIS 1.8"],
        "restore-password-policy",
        "dry-run",
      ],
      [
        "IAM.16",
        "LOW",
        "AWS::IAM::AccountPasswordPolicy",
        ["SecurityHub IAM.16", "CIS 1.9"],
        "restore-password-policy",
        "dry-run",
      ],
      ["IAM.3", "MEDIUM", "AWS::IAM::User", ["FSBP IAM.3", "CIS 1.14"], "deactivate-access-key", "dry-run"],
      [
        "IAM.8",
        "MEDIUM",
        "AWS::IAM::User",
        ["FSBP IAM.8", "CIS 1.2.0 1.3"],
        "deactivate-access-key",
        "dry-run",
      ],
      [
        "IAM.22",
        "MEDIUM",
        "AWS::IAM::User",
        ["SecurityHub IAM.22", "CIS 1.12"],
        "deactivate-access-key",
        "dry-run",
      ],
    ]);
    for (const c of iamChecks) expect(checkById(c.id)).toBe(c);
  });

  it("ask only for the reads their adapters make", () => {
    expect(check("IAM.4").iamActions).toEqual(["iam:GetAccountSummary"]);
    expect(check("IAM.5").iamActions).toEqual([
      "iam:ListMFADevices",
      "iam:GetLoginProfile",
      "iam:ListUserTags",
    ]);
    expect(check("IAM.7").iamActions).toEqual([]);
  });
});

describe("IAM.4 and VIGIL.IAM.ROOT_ACTIVITY (pure)", () => {
  const account = (extra: Partial<AccountState>): AccountState => ({ accountId: "111122223333", ...extra });
  const login = (mfaUsed?: boolean) => ({
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    eventTime: "2025-03-16T06:58:11Z",
    region: "us-east-1",
    sourceIp: "198.51.100.23",
    ...(mfaUsed === undefined ? {} : { mfaUsed }),
  });

  it("IAM.4: a root key is critical; none is compliant; a state without keys is undecided", () => {
    expect(
      judge(
        "IAM.4",
        account({
          rootAccessKeys: { present: true, source: "CreateAccessKey", accessKeyId: "AKIAXMPLROOT" },
        }),
      ),
    ).toEqual({
      violations: [
        {
          summary: "the root user created access key AKIAXMPLROOT",
          evidence: {
            accountId: "111122223333",
            present: true,
            source: "CreateAccessKey",
            accessKeyId: "AKIAXMPLROOT",
          },
        },
      ],
    });
    expect(
      judge("IAM.4", account({ rootAccessKeys: { present: false, source: "GetAccountSummary" } })),
    ).toEqual({ violations: [] });
    expect(judge("IAM.4", account({ rootActivity: login(true) }))).toEqual({
      undecided: "this event does not say whether the root user has access keys",
    });
  });

  it("ROOT_ACTIVITY: a sign-in without MFA is critical, with MFA high; an API call names the call", () => {
    const noMfa = judge("VIGIL.IAM.ROOT_ACTIVITY", account({ rootActivity: login(false) }));
    expect(noMfa).toEqual({
      violations: [
        {
          summary: "the root user signed in to the console without MFA from 198.51.100.23",
          evidence: { accountId: "111122223333", ...login(false) },
          severity: "CRITICAL",
        },
      ],
    });
    const withMfa = judge("VIGIL.IAM.ROOT_ACTIVITY", account({ rootActivity: login(true) }));
    expect(withMfa).toMatchObject({
      violations: [{ summary: "the root user signed in to the console from 198.51.100.23" }],
    });
    expect((withMfa as { violations: { severity?: string }[] }).violations[0]?.severity).toBeUndefined();
    const call = {
      ...login(),
      eventSource: "iam.amazonaws.com",
      eventName: "CreateUser",
      sourceIp: undefined,
    };
    expect(judge("VIGIL.IAM.ROOT_ACTIVITY", account({ rootActivity: call }))).toMatchObject({
      violations: [{ summary: "the root user called CreateUser" }],
    });
    expect(
      judge(
        "VIGIL.IAM.ROOT_ACTIVITY",
        account({ rootAccessKeys: { present: true, source: "credential report" } }),
      ),
    ).toEqual({
      undecided: "this event is not root activity",
    });
  });
});

describe("IAM.5 (pure)", () => {
  const user = (console?: IamUserState["console"]): IamUserState => ({
    userName: "svc-reporting",
    userArn: "arn:aws:iam::111122223333:user/svc-reporting",
    ...(console ? { console } : {}),
  });

  it("non-compliant: a password and no MFA device", () => {
    expect(
      judge(
        "IAM.5",
        user({ passwordEnabled: true, mfaActive: false, source: "CreateLoginProfile + ListMFADevices" }),
      ),
    ).toEqual({
      violations: [
        {
          summary: "user svc-reporting has a console password and no MFA device",
          evidence: {
            userName: "svc-reporting",
            passwordEnabled: true,
            mfaActive: false,
            source: "CreateLoginProfile + ListMFADevices",
          },
        },
      ],
    });
  });

  it("compliant: MFA on (whatever the password), or no password (whatever the MFA)", () => {
    expect(judge("IAM.5", user({ mfaActive: true, source: "EnableMFADevice" }))).toEqual({ violations: [] });
    expect(judge("IAM.5", user({ passwordEnabled: false, source: "DeleteLoginProfile" }))).toEqual({
      violations: [],
    });
    expect(judge("IAM.5", user({ passwordEnabled: true, mfaActive: true, source: "x" }))).toEqual({
      violations: [],
    });
  });

  it("undecided: a password without knowing the MFA, MFA off without knowing the password, or nothing", () => {
    const why = { undecided: "this event does not say both whether the user has a password and MFA" };
    expect(judge("IAM.5", user({ passwordEnabled: true, source: "x" }))).toEqual(why);
    expect(judge("IAM.5", user({ mfaActive: false, source: "x" }))).toEqual(why);
    expect(judge("IAM.5", user())).toEqual(why);
  });
});

describe("IAM.7 / IAM.15 / IAM.16 (pure)", () => {
  const strong: PasswordPolicy = {
    MinimumPasswordLength: 16,
    RequireSymbols: true,
    RequireNumbers: true,
    RequireUppercaseCharacters: true,
    RequireLowercaseCharacters: true,
    AllowUsersToChangePassword: true,
    PasswordReusePrevention: 24,
    HardExpiry: false,
  };
  const state = (policy: PasswordPolicy | null): PasswordPolicyState => ({
    accountId: "111122223333",
    policy,
    changedAt: "2025-03-15T08:52:19Z",
    changeRegion: "us-east-1",
  });

  it("compliant: a strong policy passes all three", () => {
    for (const id of ["IAM.7", "IAM.15", "IAM.16"])
      expect(judge(id, state(strong))).toEqual({ violations: [] });
  });

  it("non-compliant: each check lists exactly the requirements it misses, with the actual values", () => {
    const weak = { ...strong, MinimumPasswordLength: 8, RequireSymbols: false, PasswordReusePrevention: 5 };
    expect(judge("IAM.7", state(weak))).toEqual({
      violations: [
        {
          summary: "the account password policy misses RequireSymbols=true (is false)",
          evidence: {
            accountId: "111122223333",
            policy: weak,
            weak: [{ setting: "RequireSymbols", required: true, actual: false }],
          },
        },
      ],
    });
    expect(judge("IAM.15", state(weak))).toMatchObject({
      violations: [{ evidence: { weak: [{ setting: "MinimumPasswordLength", required: 14, actual: 8 }] } }],
    });
    const noReuse: PasswordPolicy = { ...strong };
    delete noReuse.PasswordReusePrevention;
    expect(judge("IAM.16", state(noReuse))).toMatchObject({
      violations: [
        {
          summary: "the account password policy misses PasswordReusePrevention>=24 (is unset)",
          evidence: { weak: [{ setting: "PasswordReusePrevention", required: 24, actual: null }] },
        },
      ],
    });
  });

  it("non-compliant: a deleted policy misses everything", () => {
    expect(judge("IAM.7", state(null))).toEqual({
      violations: [
        {
          summary:
            "the account password policy was deleted: nothing requires RequireUppercaseCharacters=true, RequireLowercaseCharacters=true, RequireNumbers=true, RequireSymbols=true, MinimumPasswordLength>=8",
          evidence: {
            accountId: "111122223333",
            policy: "deleted",
            weak: [
              { setting: "RequireUppercaseCharacters", required: true, actual: null },
              { setting: "RequireLowercaseCharacters", required: true, actual: null },
              { setting: "RequireNumbers", required: true, actual: null },
              { setting: "RequireSymbols", required: true, actual: null },
              { setting: "MinimumPasswordLength", required: 8, actual: null },
            ],
          },
        },
      ],
    });
  });

  it("thresholds come from the config's iam section: optional reuse and age for IAM.7, CIS numbers for 15/16", () => {
    const config = parseConfig({
      iam: {
        passwordPolicy: { RequireSymbols: false, MaxPasswordAge: 90, PasswordReusePrevention: 10 },
        cisMinimumPasswordLength: 20,
        cisPasswordReusePrevention: 12,
      },
    });
    const ctx: CheckContext = { config };
    const policy = { ...strong, RequireSymbols: false, PasswordReusePrevention: 12 };
    // No symbols needed now; but no expiry is set while 90 days is required.
    expect(judge("IAM.7", state(policy), ctx)).toMatchObject({
      violations: [{ evidence: { weak: [{ setting: "MaxPasswordAge", required: 90, actual: null }] } }],
    });
    expect(judge("IAM.7", state({ ...policy, MaxPasswordAge: 120 }), ctx)).toMatchObject({
      violations: [{ evidence: { weak: [{ setting: "MaxPasswordAge", required: 90, actual: 120 }] } }],
    });
    expect(judge("IAM.7", state({ ...policy, MaxPasswordAge: 60 }), ctx)).toEqual({ violations: [] });
    expect(judge("IAM.15", state(policy), ctx)).toMatchObject({
      violations: [{ evidence: { weak: [{ setting: "MinimumPasswordLength", required: 20, actual: 16 }] } }],
    });
    expect(judge("IAM.16", state(policy), ctx)).toEqual({ violations: [] });
  });

  it("rejects a config iam section with an unknown key or an out-of-range value", () => {
    // Validated where all config is: parseConfig fails with the path of the bad key.
    expect(() => parseConfig({ iam: { cisPasswordReusePrevention: 30 } })).toThrow(/iam/);
    expect(() => parseConfig({ iam: { maxKeyAge: 30 } } as never)).toThrow(/maxKeyAge/);
    expect(iamSettings(parseConfig({}))).toMatchObject({
      maxAccessKeyAge: 90,
      maxCredentialUsageAge: 90,
      cisMaxCredentialUsageAge: 45,
    });
  });
});

describe("IAM.3 / IAM.8 / IAM.22 (pure, on report rows)", () => {
  const NOW = new Date("2025-06-01T12:00:00Z");
  const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
  const userFrom = (input: RowInput): IamUserState => {
    const report = parseCredentialReport(base64(csv(row(input))), "2025-06-01T08:00:00Z");
    const facts = report.users[1];
    if (!facts) throw new Error("no row");
    return {
      userName: facts.user,
      userArn: facts.arn,
      credentials: { facts, reportGeneratedAt: report.generatedTime, asOf: NOW.toISOString() },
    };
  };

  it("IAM.3: an active key of 100 days fails with its slot and age; rotated keys pass", () => {
    expect(judge("IAM.3", userFrom({ user: "ci-deploy", key1: ["true", ago(100), ago(1)] }))).toEqual({
      violations: [
        {
          summary: `access key 1 of user ci-deploy is 100 days old (created or rotated ${ago(100).slice(0, 10)}; limit 90 days)`,
          evidence: {
            userName: "ci-deploy",
            credential: "accessKey",
            keySlot: 1,
            lastRotated: ago(100),
            ageDays: 100,
            maxAccessKeyAge: 90,
            reportGeneratedAt: "2025-06-01T08:00:00.000Z",
          },
        },
      ],
    });
    expect(judge("IAM.3", userFrom({ user: "ci-deploy", key1: ["true", ago(30), ago(1)] }))).toEqual({
      violations: [],
    });
  });

  it("IAM.8 at 90 days and IAM.22 at 45: a key unused for 60 days fails IAM.22 only", () => {
    const state = userFrom({ user: "old-app", key1: ["true", ago(200), ago(60)] });
    expect(judge("IAM.8", state)).toEqual({ violations: [] });
    expect(judge("IAM.22", state)).toEqual({
      violations: [
        {
          summary: `access key 1 of user old-app unused for 60 days (last used ${ago(60).slice(0, 10)}; limit 45 days)`,
          evidence: {
            userName: "old-app",
            credential: "accessKey",
            keySlot: 1,
            lastUsed: ago(60),
            since: ago(60),
            unusedDays: 60,
            maxCredentialUsageAge: 45,
            lastRotated: ago(200),
            reportGeneratedAt: "2025-06-01T08:00:00.000Z",
          },
        },
      ],
    });
  });

  it("IAM.22: a never-used password says so and is not remediated as a key", () => {
    const state = userFrom({
      user: "temp",
      password: { enabled: "true", lastUsed: "no_information", changed: ago(50) },
    });
    expect(judge("IAM.22", state)).toEqual({
      violations: [
        {
          summary: `console password of user temp unused for 50 days (never used since it was set ${ago(50).slice(0, 10)}; limit 45 days)`,
          evidence: {
            userName: "temp",
            credential: "password",
            lastUsed: null,
            since: ago(50),
            unusedDays: 50,
            maxCredentialUsageAge: 45,
            reportGeneratedAt: "2025-06-01T08:00:00.000Z",
          },
        },
      ],
    });
  });

  it("not applicable: a user without keys or password passes all three", () => {
    const state = userFrom({ user: "role-only" });
    for (const id of ["IAM.3", "IAM.8", "IAM.22"]) expect(judge(id, state)).toEqual({ violations: [] });
  });

  it("undecided without a report row (an event's view of the user)", () => {
    const state: IamUserState = {
      userName: "x",
      userArn: "arn:aws:iam::111122223333:user/x",
      console: { mfaActive: true, source: "EnableMFADevice" },
    };
    for (const id of ["IAM.3", "IAM.8", "IAM.22"])
      expect(judge(id, state)).toEqual({
        undecided: "this event does not carry the user's credential report",
      });
  });

  it("thresholds come from the config", () => {
    const ctx: CheckContext = {
      config: { ...parseConfig({}), iam: { maxAccessKeyAge: 30, cisMaxCredentialUsageAge: 90 } } as never,
    };
    const state = userFrom({ user: "x", key1: ["true", ago(40), ago(60)] });
    expect(judge("IAM.3", state, ctx)).toMatchObject({
      violations: [{ evidence: { ageDays: 40, maxAccessKeyAge: 30 } }],
    });
    expect(judge("IAM.22", state, ctx)).toEqual({ violations: [] });
  });

  it("every IAM check is pure: the state it reads is left unchanged", () => {
    const state = userFrom({
      user: "x",
      key1: ["true", ago(400), "N/A"],
      password: { enabled: "true", lastUsed: ago(300), changed: ago(500) },
    });
    const before = structuredClone(state);
    for (const id of ["IAM.3", "IAM.5", "IAM.8", "IAM.22"]) judge(id, state);
    expect(state).toEqual(before);
  });
});
