import { z } from "zod";
import type { PolicyCondition } from "./ecr-repository/state";

/**
 * Resource policies (S3 bucket policies, ECR repository policies) read into the small statement
 * form the public-exposure checks judge. Both arrive as JSON text or an already-parsed object.
 */

const oneOrMany = z.union([z.string(), z.array(z.string())]).optional();
/** Condition values are strings in practice; numbers and booleans are legal JSON and read as text. */
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

export interface ResourcePolicyStatement {
  sid?: string;
  effect: string;
  /** `Principal: "*"` or `Principal: { "AWS": "*" }` (string or in a list). */
  anyPrincipal: boolean;
  /** The statement names a `NotPrincipal` (with Allow: everyone except those). */
  notPrincipal: boolean;
  actions: string[];
  /** `actions` come from `NotAction`. */
  notAction: boolean;
  resources: string[];
  /** `resources` come from `NotResource`. */
  notResource: boolean;
  conditions: PolicyCondition[];
}

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

function normalise(statement: z.infer<typeof statementSchema>): ResourcePolicyStatement {
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

/** The document as an object: parsed already, or JSON text. Undefined when it is neither. */
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

/** The statements of a policy, or undefined when it can't be read (hidden, cut or malformed). */
export function readPolicyStatements(value: unknown): ResourcePolicyStatement[] | undefined {
  const parsed = documentSchema.safeParse(policyDocument(value));
  if (!parsed.success) return undefined;
  const statements = Array.isArray(parsed.data.Statement) ? parsed.data.Statement : [parsed.data.Statement];
  return statements.map(normalise);
}
