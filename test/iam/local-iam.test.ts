import {
  DeleteAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListMFADevicesCommand,
  UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RemediationClients } from "../../shared/remediations/define";
import deactivateAccessKey from "../../shared/remediations/deactivate-access-key";
import type { IamDouble } from "../support/local-aws/iam";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";

/** The IAM double over the SDK's real wire protocol (query + XML), and a remediation run against it. */
describe("local IAM double", () => {
  let aws: LocalAws;
  let iam: IAMClient;
  let double: IamDouble;
  beforeAll(async () => {
    aws = await startLocalAws();
    iam = new IAMClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
    });
    double = aws.double<IamDouble>("iam");
  });
  afterAll(async () => {
    iam.destroy();
    await aws.close();
  });

  it("password policy: NoSuchEntity when none, no partial updates, IAM's range checks", async () => {
    await expect(iam.send(new GetAccountPasswordPolicyCommand({}))).rejects.toMatchObject({
      name: "NoSuchEntityException",
    });
    await expect(iam.send(new DeleteAccountPasswordPolicyCommand({}))).rejects.toMatchObject({
      name: "NoSuchEntityException",
    });
    await iam.send(
      new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, PasswordReusePrevention: 3 }),
    );
    const out = await iam.send(new GetAccountPasswordPolicyCommand({}));
    expect(out.PasswordPolicy).toEqual({
      MinimumPasswordLength: 12,
      RequireSymbols: false,
      RequireNumbers: false,
      RequireUppercaseCharacters: false,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false,
      ExpirePasswords: false,
      PasswordReusePrevention: 3,
      HardExpiry: false,
    });
    await expect(
      iam.send(new UpdateAccountPasswordPolicyCommand({ PasswordReusePrevention: 25 })),
    ).rejects.toMatchObject({
      name: "ValidationError",
    });
    await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    expect(double.passwordPolicy).toBeUndefined();
  });

  it("users: MFA devices and access keys as seeded; unknown users and keys are NoSuchEntity", async () => {
    double.addUser({
      name: "carol",
      mfaSerials: ["arn:aws:iam::111122223333:mfa/carol"],
      accessKeys: [{ id: "AKIAXMPLCAROL0000001", status: "Active", created: "2024-03-01T10:00:00Z" }],
    });
    const mfa = await iam.send(new ListMFADevicesCommand({ UserName: "carol" }));
    expect(mfa.MFADevices?.map((d) => d.SerialNumber)).toEqual(["arn:aws:iam::111122223333:mfa/carol"]);
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: "carol" }));
    expect(keys.AccessKeyMetadata).toEqual([
      {
        UserName: "carol",
        AccessKeyId: "AKIAXMPLCAROL0000001",
        Status: "Active",
        CreateDate: new Date("2024-03-01T10:00:00Z"),
      },
    ]);
    await expect(iam.send(new ListMFADevicesCommand({ UserName: "nobody" }))).rejects.toMatchObject({
      name: "NoSuchEntityException",
    });
    await expect(
      iam.send(
        new UpdateAccessKeyCommand({
          UserName: "carol",
          AccessKeyId: "AKIAXMPLNOPE00000000",
          Status: "Inactive",
        }),
      ),
    ).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });

  it("deactivate-access-key against it: the old key is made inactive, the new one stays", async () => {
    double.addUser({
      name: "old-app",
      accessKeys: [
        { id: "AKIAXMPLOLDAPP000001", status: "Active", created: "2023-01-01T00:00:00Z" },
        { id: "AKIAXMPLOLDAPP000002", status: "Active", created: new Date().toISOString() },
      ],
    });
    const clients = new Proxy({} as RemediationClients, {
      get: (_t, name) =>
        name === "iam" ? () => iam : () => Promise.reject(new Error(`${String(name)} not used`)),
    });
    const out = await deactivateAccessKey.apply(
      {
        state: { userName: "old-app", userArn: "arn:aws:iam::111122223333:user/old-app" },
        violations: [
          {
            summary: "old",
            evidence: {
              userName: "old-app",
              credential: "accessKey",
              keySlot: 1,
              lastRotated: "2023-01-01T00:00:00.000Z",
              maxAccessKeyAge: 90,
            },
          },
        ],
        dryRun: false,
      },
      clients,
    );
    expect(out.result).toBe("succeeded");
    expect(double.users.get("old-app")?.accessKeys.map((k) => [k.id, k.status])).toEqual([
      ["AKIAXMPLOLDAPP000001", "Inactive"],
      ["AKIAXMPLOLDAPP000002", "Active"],
    ]);
    expect(aws.calls("iam", "UpdateAccessKey").at(-1)?.params).toEqual({
      UserName: "old-app",
      AccessKeyId: "AKIAXMPLOLDAPP000001",
      Status: "Inactive",
    });
  });
});
