import type { ServerSideEncryptionRule } from "@aws-sdk/client-s3";
import { z } from "zod";
import type { EncryptionRule } from "./state";

/** What S3 applies to a bucket with no (or a deleted) default encryption configuration, since January 2023. */
export const SSE_S3: EncryptionRule = { algorithm: "AES256" };

/** CloudTrail renders request XML as JSON, so booleans may arrive as JSON booleans or as text. */
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** `PutBucketEncryption`'s request as CloudTrail logs it: the XML body's elements, PascalCase. */
const requestRuleSchema = z.looseObject({
  ApplyServerSideEncryptionByDefault: z.looseObject({
    SSEAlgorithm: z.string().min(1),
    KMSMasterKeyID: z.string().min(1).optional(),
  }),
  BucketKeyEnabled: flag.optional(),
  BlockedEncryptionTypes: z.looseObject({ EncryptionType: oneOrMany(z.string()).optional() }).optional(),
});
const requestSchema = z.looseObject({
  // One `<Rule>` element comes out as an object, several as a list; tolerate the API's `Rules` too.
  Rule: oneOrMany(requestRuleSchema).optional(),
  Rules: oneOrMany(requestRuleSchema).optional(),
});

/** Config's `supplementaryConfiguration.ServerSideEncryptionConfiguration`: camelCase, nulls for unset. */
const configSchema = z.looseObject({
  rules: z
    .array(
      z.looseObject({
        applyServerSideEncryptionByDefault: z.looseObject({
          sseAlgorithm: z.string().min(1),
          kmsMasterKeyID: z.string().nullable().optional(),
        }),
        bucketKeyEnabled: z.boolean().nullable().optional(),
      }),
    )
    .nullable()
    .optional(),
});

function rule(
  algorithm: string,
  kmsKeyId: string | null | undefined,
  bucketKeyEnabled: boolean | null | undefined,
  blocked?: string[],
): EncryptionRule {
  return {
    algorithm,
    ...(kmsKeyId ? { kmsKeyId } : {}),
    ...(bucketKeyEnabled !== undefined && bucketKeyEnabled !== null ? { bucketKeyEnabled } : {}),
    ...(blocked?.length ? { blockedEncryptionTypes: blocked } : {}),
  };
}

/** The rules a `PutBucketEncryption` call set, or undefined when CloudTrail's copy can't be read. */
export function encryptionFromRequest(value: unknown): EncryptionRule[] | undefined {
  const parsed = requestSchema.safeParse(value);
  const rules = parsed.success ? (parsed.data.Rule ?? parsed.data.Rules) : undefined;
  if (!rules?.length) return undefined;
  return rules.map((r) =>
    rule(
      r.ApplyServerSideEncryptionByDefault.SSEAlgorithm,
      r.ApplyServerSideEncryptionByDefault.KMSMasterKeyID,
      r.BucketKeyEnabled,
      r.BlockedEncryptionTypes?.EncryptionType,
    ),
  );
}

/** Config's rules (an object in notifications, JSON text in the history API); undefined when unreadable. */
export function encryptionFromConfig(value: unknown): EncryptionRule[] | null | undefined {
  if (value === null || value === "null") return null;
  let raw = value;
  if (typeof value === "string") {
    try {
      raw = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const rules = parsed.data.rules ?? [];
  return rules.map((r) =>
    rule(
      r.applyServerSideEncryptionByDefault.sseAlgorithm,
      r.applyServerSideEncryptionByDefault.kmsMasterKeyID,
      r.bucketKeyEnabled,
    ),
  );
}

/** `GetBucketEncryption`'s rules. */
export function encryptionFromApi(rules: ServerSideEncryptionRule[] | undefined): EncryptionRule[] {
  return (rules ?? []).flatMap((r) =>
    r.ApplyServerSideEncryptionByDefault?.SSEAlgorithm
      ? [
          rule(
            r.ApplyServerSideEncryptionByDefault.SSEAlgorithm,
            r.ApplyServerSideEncryptionByDefault.KMSMasterKeyID,
            r.BucketKeyEnabled,
            r.BlockedEncryptionTypes?.EncryptionType,
          ),
        ]
      : [],
  );
}

/** The rule as `PutBucketEncryption` takes it. */
export function encryptionToApi(r: EncryptionRule): ServerSideEncryptionRule {
  return {
    ApplyServerSideEncryptionByDefault: {
      SSEAlgorithm: r.algorithm as NonNullable<
        ServerSideEncryptionRule["ApplyServerSideEncryptionByDefault"]
      >["SSEAlgorithm"],
      ...(r.kmsKeyId ? { KMSMasterKeyID: r.kmsKeyId } : {}),
    },
    ...(r.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: r.bucketKeyEnabled } : {}),
    ...(r.blockedEncryptionTypes?.length
      ? {
          BlockedEncryptionTypes: {
            EncryptionType: r.blockedEncryptionTypes as NonNullable<
              ServerSideEncryptionRule["BlockedEncryptionTypes"]
            >["EncryptionType"],
          },
        }
      : {}),
  };
}

/** SSE-KMS or DSSE-KMS: objects are encrypted with a KMS key whose policy controls who can read them. */
export function usesKms(rules: readonly EncryptionRule[] | null | undefined): boolean {
  return (rules ?? []).some((r) => r.algorithm.startsWith("aws:kms"));
}

function ruleKey(r: EncryptionRule): string {
  return JSON.stringify([
    r.algorithm,
    r.kmsKeyId ?? null,
    r.bucketKeyEnabled ?? false,
    [...(r.blockedEncryptionTypes ?? [])].sort(),
  ]);
}

export function sameEncryption(a: readonly EncryptionRule[], b: readonly EncryptionRule[]): boolean {
  return a.length === b.length && a.every((r, i) => ruleKey(r) === ruleKey(b[i] ?? SSE_S3));
}

const ALGORITHM_NAMES: Record<string, string> = {
  AES256: "SSE-S3 (AES256)",
  "aws:kms": "SSE-KMS",
  "aws:kms:dsse": "DSSE-KMS",
};

/** e.g. `SSE-KMS key arn:aws:kms:…:key/… with an S3 Bucket Key`, for actions and summaries. */
export function describeEncryption(rules: readonly EncryptionRule[] | null): string {
  if (!rules?.length) return "no default encryption configuration";
  return rules
    .map((r) => {
      const name = ALGORITHM_NAMES[r.algorithm] ?? r.algorithm;
      const key = r.algorithm.startsWith("aws:kms") ? ` key ${r.kmsKeyId ?? "aws/s3 (AWS managed)"}` : "";
      const bucketKey = r.bucketKeyEnabled ? " with an S3 Bucket Key" : "";
      const blocked = r.blockedEncryptionTypes?.length
        ? `, blocking ${r.blockedEncryptionTypes.join(", ")}`
        : "";
      return `${name}${key}${bucketKey}${blocked}`;
    })
    .join("; ");
}
