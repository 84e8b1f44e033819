import {
  DescribeSecretCommand,
  ListSecretVersionIdsCommand,
  type DescribeSecretCommandOutput,
} from "@aws-sdk/client-secrets-manager";
import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import { findingId } from "../../shared/findings/id";
import type { SecretState } from "../../shared/resources/secret/state";
import { loadEvent } from "../support/events";
import type { TestRuntime } from "../support/runtime";

export const ACCOUNT = "111122223333";
export const NAME = "orders/prod/db-credentials";
export const ARN = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:${NAME}-Qm3Zt8`;
export const ROTATION_LAMBDA = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:orders-db-rotation`;
/** The CreateSecret fixture's time: a secret created then, evaluated then. */
export const CREATED = "2025-03-20T07:44:18Z";

export const DAY = 86_400_000;
export const at = (iso: string, days: number) => new Date(Date.parse(iso) + days * DAY);

export const context = (config: VigilConfigInput = {}) => ({ config: parseConfig(config) });
export const secretEvent = (name: string) => loadEvent(`secretsmanager/${name}.json`);
export const idFor = (checkId: string) =>
  findingId({ account: ACCOUNT, region: "us-east-1", checkId, resourceId: ARN });

/** A secret as a live read describes it, compliant with every check as of `asOf` unless overridden. */
export function secret(overrides: Partial<SecretState> = {}, asOf = "2025-06-01T12:00:00Z"): SecretState {
  return {
    arn: ARN,
    name: NAME,
    asOf,
    tags: { team: "orders" },
    rotationEnabled: true,
    rotationLambdaArn: ROTATION_LAMBDA,
    rotationRules: { automaticallyAfterDays: 30 },
    createdDate: at(asOf, -200).toISOString(),
    lastRotatedDate: at(asOf, -10).toISOString(),
    lastAccessedDate: at(asOf.slice(0, 10) + "T00:00:00Z", -1).toISOString(),
    nextRotationDate: at(asOf, 20).toISOString(),
    ...overrides,
  };
}

/**
 * What DescribeSecret answers: the secret as created at `CREATED`, rotating every 30 days and just
 * rotated, unless overridden. Never a value: DescribeSecret has none.
 */
export function liveSecret(
  overrides: Partial<DescribeSecretCommandOutput> = {},
): DescribeSecretCommandOutput {
  return {
    $metadata: {},
    ARN,
    Name: NAME,
    Description: "orders prod database credentials",
    RotationEnabled: true,
    RotationLambdaARN: ROTATION_LAMBDA,
    RotationRules: { AutomaticallyAfterDays: 30 },
    CreatedDate: new Date(CREATED),
    LastChangedDate: at(CREATED, 0),
    LastRotatedDate: new Date(Date.parse(CREATED) + 20_000),
    NextRotationDate: at(CREATED, 30),
    Tags: [{ Key: "team", Value: "orders" }],
    VersionIdsToStages: { "186c0223-6d4d-4067-beb4-050e945cf95a": ["AWSCURRENT"] },
    ...overrides,
  };
}

export function stubSecret(t: TestRuntime, overrides: Partial<DescribeSecretCommandOutput> = {}): void {
  t.secretsManager.on(DescribeSecretCommand).resolves(liveSecret(overrides));
}

/** The secret has a version staged AWSPENDING (not AWSCURRENT) created `ageMs` ago, by the real clock. */
export function pendingVersion(t: TestRuntime | undefined, ageMs: number) {
  const pending = "2d7f1c9e-4a6b-4e3d-9f8c-1b0a2e3d4c5f";
  const versions = {
    VersionIdsToStages: {
      "186c0223-6d4d-4067-beb4-050e945cf95a": ["AWSCURRENT"],
      [pending]: ["AWSPENDING"],
    },
  };
  const list = {
    Versions: [
      {
        VersionId: "186c0223-6d4d-4067-beb4-050e945cf95a",
        VersionStages: ["AWSCURRENT"],
        CreatedDate: new Date(CREATED),
      },
      { VersionId: pending, VersionStages: ["AWSPENDING"], CreatedDate: new Date(Date.now() - ageMs) },
    ],
  };
  if (t) t.secretsManager.on(ListSecretVersionIdsCommand).resolves(list);
  return { versions, list, pending };
}

export function awsError(name: string): Error {
  return Object.assign(new Error(`${name}: simulated`), { name, $metadata: {} });
}
