import { z } from "zod";
import type { PolicyCondition } from "../ecr-repository/state";
import type { BucketPolicy, BucketPolicyStatement } from "./state";

const oneOrMany = z.union([z.string(), z.array(z.string())]).optional();
/** Condition values are strings in practice; CloudTrail's parsed copy may hold JSON booleans or numbers. */
const conditionValue = z.union([z.string(), z.number(), z.boolean()]);

const statementSchema = z.looseObject({
  Sid: z.string().optional(),
  Effect: z.string(),
  Principal: z.unknown().optional(),
  NotPrincipal: z.unknown().optional(),
  Action: oneOrMany,
  NotAction: oneOrMany,
  Resource: oneOrMany,
  NotResource: oneOrMany,
  Condition: z
    .record(z.string(), z.record(z.string(), z.union([conditionValue, z.array(conditionValue)])))
    .optional(),
});

const documentSchema = z.looseObject({
  Version: z.string().optional(),
  // IAM accepts a single statement object as well as a list.
  Statement: z.union([statementSchema, z.array(statementSchema)]),
});

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** `"*"`, `{ "AWS": "*" }` or `{ "AWS": ["arn:…", "*"] }`: any principal in any account (or anonymous). */
function isAnyPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  if (!principal || typeof principal !== "object") return false;
  return Object.entries(principal).some(
    ([type, value]) =>
      type.toUpperCase() === "AWS" && (value === "*" || (Array.isArray(value) && value.includes("*"))),
  );
}

function conditionsOf(condition: z.infer<typeof statementSchema>["Condition"]): PolicyCondition[] {
  return Object.entries(condition ?? {}).flatMap(([operator, byKey]) =>
    Object.entries(byKey).map(([key, value]) => ({
      operator,
      key,
      values: (Array.isArray(value) ? value : [value]).map(String),
    })),
  );
}

function normalise(statement: z.infer<typeof statementSchema>): BucketPolicyStatement {
  const notAction = statement.NotAction !== undefined;
  const notResource = statement.NotResource !== undefined;
  return {
    ...(statement.Sid ? { sid: statement.Sid } : {}),
    effect: statement.Effect,
    anyPrincipal: isAnyPrincipal(statement.Principal),
    notPrincipal: statement.NotPrincipal !== undefined,
    actions: list(notAction ? statement.NotAction : statement.Action),
    notAction,
    resources: list(notResource ? statement.NotResource : statement.Resource),
    notResource,
    conditions: conditionsOf(statement.Condition),
  };
}

/** The document as an object: CloudTrail logs `bucketPolicy` already parsed, the APIs and Config give JSON text. */
export function policyDocument(value: unknown): Record<string, unknown> | undefined {
  let raw = value;
  if (typeof value === "string") {
    try {
      raw = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return raw && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : undefined;
}

/**
 * A bucket policy from CloudTrail's parsed `bucketPolicy`, `GetBucketPolicy`'s text or Config's
 * `policyText`. Undefined when it can't be read (CloudTrail may hide or cut it): the caller then
 * reads the live policy instead.
 */
export function parseBucketPolicy(value: unknown): BucketPolicy | undefined {
  const document = policyDocument(value);
  const parsed = documentSchema.safeParse(document);
  if (!parsed.success) return undefined;
  const statements = Array.isArray(parsed.data.Statement) ? parsed.data.Statement : [parsed.data.Statement];
  return { statements: statements.map(normalise) };
}
