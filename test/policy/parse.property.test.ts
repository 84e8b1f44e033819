import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePolicyDocument } from "../../shared/policy";
import type { ConditionEntry, PolicyDocument, PolicyStatement, Principal } from "../../shared/policy";

const RUNS = { numRuns: 300 };

/** Text values with the characters that trip decoders: %, escapes, braces, plus, quotes, unicode. */
const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.constantFrom("%7B", "%25", "100%", "%", "{", "}", "a+b", '"', "\\", "\n", "é", "🙂", "%E0%A4%A"),
);
const actionText = fc.oneof(
  fc.constantFrom(
    "s3:GetObject",
    "iam:*",
    "*",
    "ec2:Describe?nstances",
    "kms:Decrypt",
    "sts:AssumeRole",
    "*:*",
  ),
  text,
);
const resourceText = fc.oneof(fc.constantFrom("*", "arn:aws:s3:::b/*", "arn:aws:kms:*:*:key/*"), text);
const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });

/** Operators with the parts the normaliser must find, written out independently of its parser. */
const OPERATORS: [string, Pick<ConditionEntry, "baseOperator" | "qualifier" | "ifExists">][] = [
  ["StringEquals", { baseOperator: "StringEquals", ifExists: false }],
  ["StringLikeIfExists", { baseOperator: "StringLike", ifExists: true }],
  ["ForAnyValue:StringLike", { baseOperator: "StringLike", qualifier: "ForAnyValue", ifExists: false }],
  [
    "ForAllValues:StringEqualsIfExists",
    { baseOperator: "StringEquals", qualifier: "ForAllValues", ifExists: true },
  ],
  ["IpAddress", { baseOperator: "IpAddress", ifExists: false }],
  ["Bool", { baseOperator: "Bool", ifExists: false }],
  ["NumericLessThan", { baseOperator: "NumericLessThan", ifExists: false }],
];
const KEYS = [
  "aws:sourceip",
  "aws:principalorgid",
  "aws:securetransport",
  "s3:prefix",
  "sts:externalid",
  "kms:viaservice",
];
const scalar = fc.oneof(
  text,
  fc.integer(),
  fc.boolean(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

interface Model {
  sid?: string;
  effect: "Allow" | "Deny";
  action: { not: boolean; values: string[] };
  resource?: { not: boolean; values: string[] };
  principal?: {
    not: boolean;
    everyone: boolean;
    types: Partial<Record<"AWS" | "Service" | "Federated" | "CanonicalUser", string[]>>;
  };
  conditions: { operator: number; entries: { key: string; values: (string | number | boolean)[] }[] }[];
}

const modelStatement: fc.Arbitrary<Model> = fc.record(
  {
    sid: text,
    effect: fc.constantFrom("Allow" as const, "Deny" as const),
    action: fc.record({ not: fc.boolean(), values: list(actionText) }),
    resource: fc.record({ not: fc.boolean(), values: list(resourceText) }),
    principal: fc.record({
      not: fc.boolean(),
      everyone: fc.boolean(),
      types: fc.record(
        { AWS: list(text), Service: list(text), Federated: list(text), CanonicalUser: list(text) },
        { requiredKeys: [] },
      ),
    }),
    conditions: fc.uniqueArray(
      fc.record({
        operator: fc.integer({ min: 0, max: OPERATORS.length - 1 }),
        entries: fc.uniqueArray(
          fc.record({
            key: fc.constantFrom(...KEYS),
            values: fc.array(scalar, { minLength: 1, maxLength: 3 }),
          }),
          {
            selector: (entry) => entry.key,
            maxLength: 3,
          },
        ),
      }),
      { selector: (block) => block.operator, maxLength: 3 },
    ),
  },
  { requiredKeys: ["effect", "action", "conditions"] },
);

/** How a model is written: each single-item list may be a bare string, keys and Effect in any case. */
interface Style {
  scalars: boolean[];
  upperKeys: boolean[];
  lowerEffect: boolean;
}
const style: fc.Arbitrary<Style> = fc.record({
  scalars: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
  upperKeys: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
  lowerEffect: fc.boolean(),
});

function write(model: Model, how: Style): Record<string, unknown> {
  let slot = 0;
  const maybeScalar = (values: readonly string[]): string | string[] =>
    values.length === 1 && how.scalars[slot++ % 16] === true ? (values[0] as string) : [...values];
  const recase = (key: string) => (how.upperKeys[slot++ % 16] === true ? key.toUpperCase() : key);
  const raw: Record<string, unknown> = {
    Effect: how.lowerEffect ? model.effect.toLowerCase() : model.effect,
    [model.action.not ? "NotAction" : "Action"]: maybeScalar(model.action.values),
  };
  if (model.sid !== undefined) raw.Sid = model.sid;
  if (model.resource)
    raw[model.resource.not ? "NotResource" : "Resource"] = maybeScalar(model.resource.values);
  if (model.principal) {
    const types = Object.fromEntries(
      Object.entries(model.principal.types).map(([type, values]) => [recase(type), maybeScalar(values)]),
    );
    raw[model.principal.not ? "NotPrincipal" : "Principal"] = model.principal.everyone ? "*" : types;
  }
  if (model.conditions.length > 0) {
    raw.Condition = Object.fromEntries(
      model.conditions.map((block) => [
        OPERATORS[block.operator]?.[0],
        Object.fromEntries(
          block.entries.map(({ key, values }) => [
            recase(key),
            values.length === 1 && how.scalars[slot++ % 16] === true ? values[0] : values,
          ]),
        ),
      ]),
    );
  }
  return raw;
}

/** The normalised statement the model must produce, built without the normaliser. */
function expected(model: Model, index: number): PolicyStatement {
  const principalValue = (p: NonNullable<Model["principal"]>): Principal => ({
    everyone: p.everyone,
    AWS: p.everyone ? [] : (p.types.AWS ?? []),
    Service: p.everyone ? [] : (p.types.Service ?? []),
    Federated: p.everyone ? [] : (p.types.Federated ?? []),
    CanonicalUser: p.everyone ? [] : (p.types.CanonicalUser ?? []),
  });
  return {
    index,
    ...(model.sid !== undefined ? { sid: model.sid } : {}),
    effect: model.effect,
    action: model.action,
    ...(model.resource ? { resource: model.resource } : {}),
    ...(model.principal
      ? { principal: { not: model.principal.not, value: principalValue(model.principal) } }
      : {}),
    conditions: model.conditions.flatMap((block) => {
      const [operator, parts] = OPERATORS[block.operator] ?? ["", { baseOperator: "", ifExists: false }];
      return block.entries.map(({ key, values }) => ({
        operator,
        ...parts,
        key,
        values: values.map(String),
      }));
    }),
  };
}

const documentOf = (statements: Record<string, unknown>[] | Record<string, unknown>) => ({
  Version: "2012-10-17",
  Statement: statements,
});

function parsed(input: unknown): PolicyDocument {
  const result = parsePolicyDocument(input);
  if (!result.ok) throw new Error(`${result.error.message}: ${result.error.issues.join("; ")}`);
  return result.document;
}

describe("normaliser properties", () => {
  it("matches an independent model, however the statements are written (scalars, key case, Effect case)", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(modelStatement, style), { minLength: 1, maxLength: 4 }), (written) => {
        const document = parsed(documentOf(written.map(([model, how]) => write(model, how))));
        expect(document.statements).toEqual(written.map(([model], index) => expected(model, index)));
      }),
      RUNS,
    );
  });

  it("a bare string and a one-item list normalise alike", () => {
    fc.assert(
      fc.property(modelStatement, style, (model, how) => {
        const asLists = write(model, { ...how, scalars: how.scalars.map(() => false) });
        const asScalars = write(model, { ...how, scalars: how.scalars.map(() => true) });
        expect(parsed(documentOf([asScalars]))).toEqual(parsed(documentOf([asLists])));
      }),
      RUNS,
    );
  });

  it("a single Statement object and a one-item list normalise alike", () => {
    fc.assert(
      fc.property(modelStatement, style, (model, how) => {
        const raw = write(model, how);
        expect(parsed(documentOf(raw))).toEqual(parsed(documentOf([raw])));
      }),
      RUNS,
    );
  });

  it("object, JSON text (any indentation) and URL-encoded JSON text give the same document", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(modelStatement, style), { minLength: 1, maxLength: 3 }),
        fc.constantFrom(undefined, 2, 4, "\t"),
        (written, indent) => {
          const raw = documentOf(written.map(([model, how]) => write(model, how)));
          const jsonText = JSON.stringify(raw, null, indent);
          const results = [raw, jsonText, encodeURIComponent(jsonText)].map(parsePolicyDocument);
          expect(results.map((result) => result.ok && result.encoding)).toEqual([
            "object",
            "json",
            "url-encoded-json",
          ]);
          const [first, ...rest] = results.map((result) => result.ok && result.document);
          for (const other of rest) expect(other).toEqual(first);
        },
      ),
      RUNS,
    );
  });

  it("never throws, whatever it is given", () => {
    const anyInput = fc.oneof(
      fc.anything(),
      fc.string(),
      fc.json(),
      fc.json().map(encodeURIComponent),
      fc.string().map((s) => `%7B${s}`),
      fc.string().map((s) => `{${s}`),
      fc.anything().map((value) => ({ Statement: value })),
      fc.anything().map((value) => ({ Statement: [{ Effect: "Allow", Action: "*", Condition: value }] })),
      fc.anything().map((value) => ({ Statement: [{ Effect: "Allow", Action: "*", Principal: value }] })),
    );
    fc.assert(
      fc.property(anyInput, (input) => {
        const result = parsePolicyDocument(input);
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 1000 },
    );
  });
});
