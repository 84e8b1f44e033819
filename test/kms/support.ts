import type { DescribeKeyCommandOutput } from "@aws-sdk/client-kms";
import { findingId } from "../../shared/findings/id";
import type { KeyFacts } from "../../shared/resources/kms-key/state";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
/** The key of the ScheduleKeyDeletion / DisableKeyRotation samples. */
export const KEY = "7d2f9b4e-1a6c-4e83-b5d0-3c8a6f1e9b27";
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY}`;
/** The key of the CreateKey-symmetric sample. */
export const NEW_KEY = "0b4e8f2a-6c1d-4f7e-9a3b-5d8c2e6f1a40";
export const NEW_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${NEW_KEY}`;

export const kmsEvent = (name: string) => loadEvent(`kms/${name}.json`);

export const idFor = (checkId: string, resourceId = KEY) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}

export const symmetricCustomerKey: KeyFacts = {
  keySpec: "SYMMETRIC_DEFAULT",
  keyManager: "CUSTOMER",
  origin: "AWS_KMS",
  keyState: "Enabled",
};

/** A DescribeKey answer for the sample key. */
export function describeKey(overrides: Record<string, unknown> = {}): DescribeKeyCommandOutput {
  return {
    KeyMetadata: {
      AWSAccountId: ACCOUNT,
      KeyId: KEY,
      Arn: KEY_ARN,
      Enabled: true,
      KeyUsage: "ENCRYPT_DECRYPT",
      KeyState: "Enabled",
      Origin: "AWS_KMS",
      KeyManager: "CUSTOMER",
      KeySpec: "SYMMETRIC_DEFAULT",
      CustomerMasterKeySpec: "SYMMETRIC_DEFAULT",
      ...overrides,
    },
    $metadata: {},
  } as DescribeKeyCommandOutput;
}
