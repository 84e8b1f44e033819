import type { RawDocument, RawStatement } from "./schema";
import type {
  ConditionEntry,
  Effect,
  PatternElement,
  PolicyDocument,
  PolicyStatement,
  Principal,
  PrincipalElement,
  PrincipalType,
} from "./types";
import { PRINCIPAL_TYPES } from "./types";

const toList = (value: string | readonly string[]): string[] =>
  typeof value === "string" ? [value] : [...value];

function patternElement(plain: string | string[] | undefined, negated: string | string[] | undefined) {
  if (plain !== undefined) return { not: false, values: toList(plain) } satisfies PatternElement;
  if (negated !== undefined) return { not: true, values: toList(negated) } satisfies PatternElement;
  return undefined;
}

function principal(raw: "*" | Record<string, string | string[]>): Principal {
  const lists: Record<PrincipalType, string[]> = { AWS: [], Service: [], Federated: [], CanonicalUser: [] };
  if (raw === "*") return { everyone: true, ...lists };
  for (const [key, value] of Object.entries(raw)) {
    const type = PRINCIPAL_TYPES.find((known) => known.toLowerCase() === key.toLowerCase());
    if (type) lists[type].push(...toList(value));
  }
  return { everyone: false, ...lists };
}

function principalElement(statement: RawStatement): PrincipalElement | undefined {
  if (statement.Principal !== undefined) return { not: false, value: principal(statement.Principal) };
  if (statement.NotPrincipal !== undefined) return { not: true, value: principal(statement.NotPrincipal) };
  return undefined;
}

/** Splits `ForAnyValue:StringLikeIfExists` into its parts; the base keeps the author's casing. */
function parseOperator(operator: string): Pick<ConditionEntry, "baseOperator" | "qualifier" | "ifExists"> {
  const qualified = /^(ForAnyValue|ForAllValues):(.*)$/i.exec(operator);
  const qualifier = qualified?.[1]?.toLowerCase() === "foranyvalue" ? "ForAnyValue" : "ForAllValues";
  const rest = qualified?.[2] ?? operator;
  const ifExists = /IfExists$/i.test(rest) && rest.length > "IfExists".length;
  const baseOperator = ifExists ? rest.slice(0, -"IfExists".length) : rest;
  return { baseOperator, ifExists, ...(qualified ? { qualifier } : {}) };
}

function conditions(raw: RawStatement["Condition"]): ConditionEntry[] {
  if (raw === undefined) return [];
  return Object.entries(raw).flatMap(([operator, keys]) =>
    Object.entries(keys).map(([key, value]) => ({
      operator,
      ...parseOperator(operator),
      key: key.toLowerCase(),
      values: (Array.isArray(value) ? value : [value]).map(String),
    })),
  );
}

function statement(raw: RawStatement, index: number): PolicyStatement {
  // The schema guarantees Action or NotAction; the fallback (no actions) only keeps the type honest.
  const action = patternElement(raw.Action, raw.NotAction) ?? { not: false, values: [] };
  const resource = patternElement(raw.Resource, raw.NotResource);
  const principal = principalElement(raw);
  const effect: Effect = raw.Effect.toLowerCase() === "allow" ? "Allow" : "Deny";
  return {
    index,
    ...(raw.Sid !== undefined ? { sid: String(raw.Sid) } : {}),
    effect,
    action,
    ...(resource ? { resource } : {}),
    ...(principal ? { principal } : {}),
    conditions: conditions(raw.Condition),
  };
}

/**
 * Turns a validated raw document into the normalised {@link PolicyDocument}: string-or-list elements become
 * lists, condition keys are lower-cased (the schema already made `Statement` a list).
 */
export function normaliseDocument(raw: RawDocument): PolicyDocument {
  return {
    ...(raw.Version !== undefined ? { version: raw.Version } : {}),
    ...(raw.Id !== undefined ? { id: raw.Id } : {}),
    statements: raw.Statement.map(statement),
  };
}
