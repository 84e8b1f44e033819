import { isSecretName } from "./secret-names";
import { credentialKind, valueFacts, withArticle, type ValueFacts } from "./secret-values";

/** One leaked secret, described without its value (findings and logs must never carry it). */
export interface SecretLeak {
  /** Where it was found, e.g. `environment`, `label`, `history[3]`. */
  location: string;
  /** The variable or label name; absent for free text such as history lines. */
  name?: string;
  /** Why it counts: a secret-looking name with a value, or a credential-shaped value. */
  reason: string;
  /** Length of the value, so a human can tell a placeholder from a real key without seeing it. */
  valueLength: number;
}

export interface LeakScanOptions {
  /** Names accepted as not secret (config). */
  acceptedNames?: readonly string[];
  /** Names that always count when set, whatever the value (ECS.8's fixed keys). */
  alwaysSecretNames?: readonly string[];
}

/**
 * Judges one `NAME=value` pair. A credential-shaped value counts whatever its name; a
 * secret-looking name counts when its value is not empty or obviously harmless (a path, a flag,
 * a Secrets Manager ARN); a long random-looking value counts only under a secret-looking name,
 * since random ids are everywhere.
 */
export function judgeVariable(
  name: string,
  value: string,
  location: string,
  options: LeakScanOptions = {},
): SecretLeak | undefined {
  return judgeFacts(name, valueFacts(value), location, options);
}

/**
 * `judgeVariable` from what is known about the value (`valueFacts`) instead of the value, for
 * states that must not carry secrets (a Lambda function's environment, an ECS container's).
 */
export function judgeFacts(
  name: string,
  facts: ValueFacts,
  location: string,
  options: LeakScanOptions = {},
): SecretLeak | undefined {
  const leak = (reason: string): SecretLeak => ({ location, name, reason, valueLength: facts.length });
  if (options.alwaysSecretNames?.includes(name) && facts.length > 0)
    return leak(`${name} is a credential and must not be set in plain text`);
  if (facts.credentialKind) return leak(`the value is ${withArticle(facts.credentialKind)}`);
  if (isSecretName(name, options.acceptedNames) && !facts.harmless)
    return leak(
      facts.random ? "secret-like name with a random-looking value" : "secret-like name with a value",
    );
  return undefined;
}

/** Scans variables given as `{ name, value }` pairs (ECS, Lambda) or `NAME=value` strings (image config). */
export function scanVariables(
  variables: Iterable<{ name: string; value: string }>,
  location: string,
  options: LeakScanOptions = {},
): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  for (const { name, value } of variables) {
    const leak = judgeVariable(name, value, location, options);
    if (leak) leaks.push(leak);
  }
  return leaks;
}

/** `NAME=value` (Docker's `Env` entries) to a pair; a bare `NAME` has an empty value. */
export function splitEnvEntry(entry: string): { name: string; value: string } {
  const at = entry.indexOf("=");
  return at < 0 ? { name: entry, value: "" } : { name: entry.slice(0, at), value: entry.slice(at + 1) };
}

/**
 * Free text (an image history line such as `/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2`, a label
 * value): credential-shaped values anywhere, and `NAME=value` assignments with secret-looking names.
 */
export function scanText(text: string, location: string, options: LeakScanOptions = {}): SecretLeak[] {
  const leaks: SecretLeak[] = [];
  const kind = credentialKind(text);
  if (kind) leaks.push({ location, reason: `contains ${withArticle(kind)}`, valueLength: text.length });
  for (const match of text.matchAll(/(?:^|[\s;&|])([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|]*)/g)) {
    const name = match[1] ?? "";
    const value = (match[2] ?? "").replace(/^["']|["']$/g, "");
    if (kind && credentialKind(value)) continue; // already reported for the whole line
    const leak = judgeVariable(name, value, location, options);
    if (leak) leaks.push(leak);
  }
  return leaks;
}
