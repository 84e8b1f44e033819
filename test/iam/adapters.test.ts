import { describe, expect, it } from "vitest";
import { cloudTrailDetailSchema, type CloudTrailDetail } from "../../shared/events/cloudtrail";
import { UnusableEventError } from "../../shared/resources/adapter";
import account from "../../shared/resources/account/adapter";
import iamUser from "../../shared/resources/iam-user/adapter";
import passwordPolicy from "../../shared/resources/password-policy/adapter";
import { ACCOUNT, iamEvent, signInEvent } from "./support";

const detailOf = (
  event: { detail: Record<string, unknown> },
  edit?: (d: Record<string, unknown>) => void,
) => {
  const detail = structuredClone(event.detail);
  edit?.(detail);
  return cloudTrailDetailSchema.parse(detail) as CloudTrailDetail;
};

describe("account adapter (root activity, root keys)", () => {
  it("a root console sign-in without MFA is root activity, keyed by the account in the global Region", () => {
    const [obs] = account.fromCloudTrail(detailOf(signInEvent("ConsoleLogin-root-without-mfa")), ACCOUNT);
    expect(obs).toEqual({
      resource: {
        type: "AWS::::Account",
        id: ACCOUNT,
        arn: "arn:aws:iam::111122223333:root",
        account: ACCOUNT,
        region: "global",
        name: "AWS account 111122223333 (root user)",
      },
      state: {
        accountId: ACCOUNT,
        rootActivity: {
          eventSource: "signin.amazonaws.com",
          eventName: "ConsoleLogin",
          eventTime: "2025-03-16T06:58:11Z",
          region: "us-east-1",
          sourceIp: "198.51.100.23",
          userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:136.0) Gecko/20100101 Firefox/136.0",
          mfaUsed: false,
        },
      },
      complete: true,
      observedAt: "2025-03-16T06:58:11Z",
      tagsKnown: true,
    });
  });

  it("a failed root sign-in, an IAM user's sign-in and a role's calls say nothing about the account", () => {
    expect(account.fromCloudTrail(detailOf(signInEvent("ConsoleLogin-root-failed")), ACCOUNT)).toEqual([]);
    expect(account.fromCloudTrail(detailOf(signInEvent("ConsoleLogin-iam-user")), ACCOUNT)).toEqual([]);
    expect(account.fromCloudTrail(detailOf(iamEvent("CreateAccessKey-for-user")), ACCOUNT)).toEqual([]);
  });

  it("root creating its own key: activity and the key's id (the secret is never in the event)", () => {
    const [obs] = account.fromCloudTrail(detailOf(iamEvent("CreateAccessKey-root")), ACCOUNT);
    expect(obs?.state).toEqual({
      accountId: ACCOUNT,
      rootActivity: expect.objectContaining({ eventName: "CreateAccessKey", mfaUsed: false }),
      rootAccessKeys: { present: true, source: "CreateAccessKey", accessKeyId: "AKIAXMPLROOTK3Y7Q2W1" },
    });
    expect(obs?.needsRefresh).toBeUndefined();
  });

  it("root creating a key for an IAM user is activity, not a root key", () => {
    const [obs] = account.fromCloudTrail(
      detailOf(iamEvent("CreateAccessKey-root"), (d) => {
        d.requestParameters = { userName: "svc-reporting" };
      }),
      ACCOUNT,
    );
    expect(obs?.state?.rootAccessKeys).toBeUndefined();
    expect(obs?.state?.rootActivity?.eventName).toBe("CreateAccessKey");
  });

  it("root deleting its own key asks for a live read (it may have a second key)", () => {
    const [obs] = account.fromCloudTrail(detailOf(iamEvent("DeleteAccessKey-root")), ACCOUNT);
    expect(obs?.needsRefresh).toBe(true);
    expect(obs?.state?.rootAccessKeys).toBeUndefined();
  });

  it("a call an AWS service made for the root user (invokedBy) is not activity, but a root key still counts", () => {
    const [obs] = account.fromCloudTrail(
      detailOf(iamEvent("CreateAccessKey-root"), (d) => {
        (d.userIdentity as Record<string, unknown>).invokedBy = "cloudformation.amazonaws.com";
      }),
      ACCOUNT,
    );
    expect(obs?.state?.rootActivity).toBeUndefined();
    expect(obs?.state?.rootAccessKeys?.present).toBe(true);
    const createUser = detailOf(iamEvent("CreateAccessKey-root"), (d) => {
      d.eventName = "CreateUser";
      d.requestParameters = { userName: "x" };
      (d.userIdentity as Record<string, unknown>).invokedBy = "cloudformation.amazonaws.com";
    });
    expect(account.fromCloudTrail(createUser, ACCOUNT)).toEqual([]);
  });

  it("bad input: a root key event without the key, a sign-in without its result", () => {
    expect(() =>
      account.fromCloudTrail(
        detailOf(iamEvent("CreateAccessKey-root"), (d) => {
          d.responseElements = null;
        }),
        ACCOUNT,
      ),
    ).toThrow(UnusableEventError);
    expect(() =>
      account.fromCloudTrail(
        detailOf(signInEvent("ConsoleLogin-root-without-mfa"), (d) => {
          d.responseElements = null;
        }),
        ACCOUNT,
      ),
    ).toThrow(/ConsoleLogin/);
  });
});

describe("IAM user adapter (console access)", () => {
  it("CreateLoginProfile: the password is proven, MFA is read live", () => {
    expect(iamUser.fromCloudTrail(detailOf(iamEvent("CreateLoginProfile")), ACCOUNT)).toEqual([
      {
        resource: {
          type: "AWS::IAM::User",
          id: "svc-reporting",
          arn: "arn:aws:iam::111122223333:user/svc-reporting",
          account: ACCOUNT,
          region: "global",
          name: "svc-reporting",
        },
        state: {
          userName: "svc-reporting",
          userArn: "arn:aws:iam::111122223333:user/svc-reporting",
          console: { passwordEnabled: true, source: "CreateLoginProfile" },
        },
        complete: true,
        observedAt: "2025-03-15T08:31:17Z",
        tagsKnown: false,
        needsRefresh: true,
      },
    ]);
  });

  it.each([
    ["EnableMFADevice", { mfaActive: true, source: "EnableMFADevice" }, undefined],
    ["DeleteLoginProfile", { passwordEnabled: false, source: "DeleteLoginProfile" }, undefined],
    ["DeactivateMFADevice", { source: "DeactivateMFADevice" }, true],
  ])("%s states %o", (name, console, refresh) => {
    const [obs] = iamUser.fromCloudTrail(detailOf(iamEvent(name)), ACCOUNT);
    expect(obs?.state?.console).toEqual(console);
    expect(obs?.needsRefresh).toBe(refresh);
  });

  it("DeleteUser: the user is gone (its findings resolve)", () => {
    const [obs] = iamUser.fromCloudTrail(detailOf(iamEvent("DeleteUser")), ACCOUNT);
    expect(obs).toMatchObject({ resource: { id: "svc-reporting" }, state: undefined, complete: true });
  });

  it("a call without userName acts on the calling IAM user; the root user acting on itself is no IAM user", () => {
    const self = detailOf(iamEvent("EnableMFADevice"), (d) => {
      d.requestParameters = { serialNumber: "arn:aws:iam::111122223333:mfa/bob" };
      d.userIdentity = {
        type: "IAMUser",
        arn: "arn:aws:iam::111122223333:user/bob",
        accountId: ACCOUNT,
        userName: "bob",
      };
    });
    expect(iamUser.fromCloudTrail(self, ACCOUNT)[0]?.resource.id).toBe("bob");
    const rootPassword = detailOf(iamEvent("CreateLoginProfile-by-root"), (d) => {
      d.requestParameters = null;
    });
    expect(iamUser.fromCloudTrail(rootPassword, ACCOUNT)).toEqual([]);
  });

  it("bad input: a role's call that names no user", () => {
    const bad = detailOf(iamEvent("CreateLoginProfile"), (d) => {
      d.requestParameters = { passwordResetRequired: false };
    });
    expect(() => iamUser.fromCloudTrail(bad, ACCOUNT)).toThrow(
      /CreateLoginProfile names no user and was called by a AssumedRole/,
    );
  });

  it("refuses a Config item without the fields every item has, rather than guessing a user", () => {
    expect(() => iamUser.fromConfigItem({} as never)).toThrow(UnusableEventError);
  });
});

describe("password policy adapter", () => {
  it("UpdateAccountPasswordPolicy: the request is the whole policy", () => {
    const [obs] = passwordPolicy.fromCloudTrail(
      detailOf(iamEvent("UpdateAccountPasswordPolicy-weakened")),
      ACCOUNT,
    );
    expect(obs).toEqual({
      resource: {
        type: "AWS::IAM::AccountPasswordPolicy",
        id: ACCOUNT,
        arn: "arn:aws:iam::111122223333:account-password-policy",
        account: ACCOUNT,
        region: "global",
        name: "IAM account password policy",
      },
      state: {
        accountId: ACCOUNT,
        changedAt: "2025-03-15T08:52:19Z",
        changeRegion: "us-east-1",
        policy: {
          MinimumPasswordLength: 8,
          RequireSymbols: false,
          RequireNumbers: true,
          RequireUppercaseCharacters: true,
          RequireLowercaseCharacters: true,
          AllowUsersToChangePassword: true,
          MaxPasswordAge: 90,
          PasswordReusePrevention: 5,
          HardExpiry: false,
        },
      },
      complete: true,
      observedAt: "2025-03-15T08:52:19Z",
      tagsKnown: true,
    });
  });

  it("what a request leaves out takes the API default (no partial updates); string values are read too", () => {
    const [obs] = passwordPolicy.fromCloudTrail(
      detailOf(iamEvent("UpdateAccountPasswordPolicy-weakened"), (d) => {
        d.requestParameters = { minimumPasswordLength: "12", requireSymbols: "true" };
      }),
      ACCOUNT,
    );
    expect(obs?.state?.policy).toEqual({
      MinimumPasswordLength: 12,
      RequireSymbols: true,
      RequireNumbers: false,
      RequireUppercaseCharacters: false,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false,
      HardExpiry: false,
    });
    const [empty] = passwordPolicy.fromCloudTrail(
      detailOf(iamEvent("UpdateAccountPasswordPolicy-weakened"), (d) => {
        d.requestParameters = null;
      }),
      ACCOUNT,
    );
    expect(empty?.state?.policy?.MinimumPasswordLength).toBe(6);
  });

  it("DeleteAccountPasswordPolicy: no policy", () => {
    const [obs] = passwordPolicy.fromCloudTrail(detailOf(iamEvent("DeleteAccountPasswordPolicy")), ACCOUNT);
    expect(obs?.state).toEqual({
      accountId: ACCOUNT,
      policy: null,
      changedAt: "2025-03-15T08:40:02Z",
      changeRegion: "us-east-1",
    });
  });

  it("bad input: a length that is not a number", () => {
    const bad = detailOf(iamEvent("UpdateAccountPasswordPolicy-weakened"), (d) => {
      d.requestParameters = { minimumPasswordLength: "long" };
    });
    expect(() => passwordPolicy.fromCloudTrail(bad, ACCOUNT)).toThrow(
      /UpdateAccountPasswordPolicy requestParameters/,
    );
  });
});
