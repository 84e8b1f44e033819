import { z } from "zod";
import type { PolicyCondition, PolicyStatement, RepositoryPolicy } from "./state";

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

/** `"*"`, `{ "AWS": "*" }` or `{ "AWS": ["arn:…", "*"] }`: any AWS principal in any account. */
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

function normalise(statement: z.infer<typeof statementSchema>): PolicyStatement {
  const notAction = statement.NotAction !== undefined;
  return {
    ...(statement.Sid ? { sid: statement.Sid } : {}),
    effect: statement.Effect,
    anyPrincipal: isAnyPrincipal(statement.Principal),
    notPrincipal: statement.NotPrincipal !== undefined,
    actions: list(notAction ? statement.NotAction : statement.Action),
    notAction,
    conditions: conditionsOf(statement.Condition),
  };
}

/**
 * A repository policy from its JSON text (CloudTrail `policyText`, `GetRepositoryPolicy`) or the
 * object Config puts in `RepositoryPolicyText`. Undefined when it can't be read (CloudTrail may hide
 * it as `HIDDEN_DUE_TO_SECURITY_REASONS`): the caller then reads the live policy instead.
 */
export function parseRepositoryPolicy(text: unknown): RepositoryPolicy | undefined {
  if (text === undefined || text === null || text === "") return { kind: "none" };
  let raw: unknown = text;
  if (typeof text === "string") {
    try {
      raw = JSON.parse(text);
    } catch {
      return undefined;
    }
  }
  const parsed = documentSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const statements = Array.isArray(parsed.data.Statement) ? parsed.data.Statement : [parsed.data.Statement];
  return { kind: "document", statements: statements.map(normalise) };
}
