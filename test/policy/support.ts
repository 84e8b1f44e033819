import { readFileSync } from "node:fs";
import { expect } from "vitest";
import { parsePolicyDocument } from "../../shared/policy";
import type { PolicyDocument } from "../../shared/policy";

/** A real-shape event from test/policy/fixtures (copies of the project's reference samples). */
export function loadFixture(name: string): { detail: Record<string, unknown> } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8")) as {
    detail: Record<string, unknown>;
  };
}

/** Parses a document that must be valid, failing the test with the parse error otherwise. */
export function policy(input: unknown): PolicyDocument {
  const parsed = parsePolicyDocument(input);
  if (!parsed.ok)
    expect.fail(`expected a valid policy: ${parsed.error.message} ${parsed.error.issues.join("; ")}`);
  return parsed.document;
}

/** A one-statement identity policy. */
export function allow(statement: Record<string, unknown>): PolicyDocument {
  return policy({ Version: "2012-10-17", Statement: [{ Effect: "Allow", ...statement }] });
}

/** A document from several statements. */
export function statements(...list: Record<string, unknown>[]): PolicyDocument {
  return policy({ Version: "2012-10-17", Statement: list });
}
