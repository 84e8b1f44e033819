import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";

/** The local KMS double speaks the SDK's wire protocol and answers with KMS's error names. */
describe("local KMS double", () => {
  let aws: LocalAws;
  let kms: KMSClient;
  beforeAll(async () => {
    aws = await startLocalAws();
    kms = new KMSClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    kms.destroy();
    await aws.close();
  });

  const errorOf = (promise: Promise<unknown>) =>
    promise.then(
      () => "no error",
      (error: Error) => error.name,
    );

  it("schedules and cancels a deletion; the cancelled key is Disabled", async () => {
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata?.KeyId ?? "";
    const scheduled = await kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }),
    );
    expect(scheduled).toMatchObject({
      KeyId: KeyMetadata?.Arn,
      KeyState: "PendingDeletion",
      PendingWindowInDays: 7,
    });
    expect(scheduled.DeletionDate).toBeInstanceOf(Date);
    await kms.send(new CancelKeyDeletionCommand({ KeyId: KeyMetadata?.Arn }));
    expect((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState).toBe("Disabled");
    expect(await errorOf(kms.send(new CancelKeyDeletionCommand({ KeyId: keyId })))).toBe(
      "KMSInvalidStateException",
    );
  });

  it("answers KMS's errors: unknown key, other Region, rotation of a disabled or asymmetric key", async () => {
    const other = "arn:aws:kms:us-west-2:111122223333:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    expect(await errorOf(kms.send(new DescribeKeyCommand({ KeyId: other })))).toBe("NotFoundException");
    const rsa = (await kms.send(new CreateKeyCommand({ KeySpec: "RSA_2048", KeyUsage: "SIGN_VERIFY" })))
      .KeyMetadata;
    expect(await errorOf(kms.send(new GetKeyRotationStatusCommand({ KeyId: rsa?.KeyId })))).toBe(
      "UnsupportedOperationException",
    );
    const key = (await kms.send(new CreateKeyCommand({}))).KeyMetadata;
    expect(await errorOf(kms.send(new DisableKeyCommand({ KeyId: key?.KeyId })))).toBe(
      "UnknownOperationException",
    );
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key?.KeyId, PendingWindowInDays: 7 }));
    await kms.send(new CancelKeyDeletionCommand({ KeyId: key?.KeyId }));
    expect(await errorOf(kms.send(new EnableKeyRotationCommand({ KeyId: key?.KeyId })))).toBe(
      "DisabledException",
    );
  });
});
