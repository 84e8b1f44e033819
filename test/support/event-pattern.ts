/**
 * A small EventBridge pattern matcher for tests, covering exactly what Vigil's rules use: exact
 * values, `exists`, `anything-but` (string or list), `prefix`, `$or`, nested objects, and event
 * arrays (a field matches when any element does). Anything else throws, so a rule can never pass a
 * test by using an operator this matcher does not understand.
 *
 * Semantics follow Event Ruler (the engine behind EventBridge): every field named in the pattern
 * must be present as a leaf, except under `exists: false`, which also matches when an intermediate
 * object is missing; `anything-but` does not match a missing field; objects are not leaves.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Leaf = null | boolean | number | string;
const MISSING = Symbol("missing");

export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  return matchObject(asPattern(pattern), event);
}

function asPattern(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`an event pattern must be an object, got ${JSON.stringify(value)}`);
  }
  return value as Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, Json> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function matchObject(pattern: Record<string, unknown>, event: unknown): boolean {
  // A missing or non-object node has no fields: only `exists: false` can match below it.
  const fields: Record<string, Json> = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === "$or") {
      if (!Array.isArray(sub) || sub.length < 2)
        throw new Error("$or needs an array of at least two patterns");
      return sub.some((alternative) => matchObject(asPattern(alternative), fields));
    }
    const value = fields[key] ?? (Object.hasOwn(fields, key) ? null : MISSING);
    if (Array.isArray(sub)) return matchField(sub, value);
    if (Array.isArray(value)) {
      // A nested pattern against an array of objects: any element may match.
      const objects = value.filter(isObject);
      if (objects.length === 0) return matchObject(asPattern(sub), undefined);
      return objects.some((object) => matchObject(asPattern(sub), object));
    }
    return matchObject(asPattern(sub), value === MISSING ? undefined : value);
  });
}

/** A field matches when any of the pattern's matchers matches it (or any element, for arrays). */
function matchField(matchers: unknown[], value: Json | typeof MISSING): boolean {
  if (matchers.length === 0) throw new Error("a pattern field needs at least one matcher");
  const leaves = value === MISSING ? [] : leavesOf(value);
  if (leaves.length === 0) {
    // Absent, an object (not a leaf) or an array without leaves: only `exists: false` matches.
    return matchers.some(
      (matcher) => isObject(matcher) && matcher.exists === false && onlyKey(matcher, "exists"),
    );
  }
  return matchers.some((matcher) => leaves.some((leaf) => matchLeaf(matcher, leaf)));
}

function leavesOf(value: Json): Leaf[] {
  if (isObject(value)) return [];
  if (Array.isArray(value)) return value.flatMap(leavesOf);
  return [value];
}

function onlyKey(matcher: Record<string, unknown>, key: string): boolean {
  const keys = Object.keys(matcher);
  return keys.length === 1 && keys[0] === key;
}

function matchLeaf(matcher: unknown, leaf: Leaf): boolean {
  if (!isObject(matcher)) {
    if (Array.isArray(matcher)) throw new Error("nested arrays are not pattern matchers");
    return matcher === leaf;
  }
  const [operator, ...others] = Object.keys(matcher);
  if (!operator || others.length > 0)
    throw new Error(`a matcher has exactly one operator: ${JSON.stringify(matcher)}`);
  const argument = matcher[operator];
  switch (operator) {
    case "exists":
      if (typeof argument !== "boolean") throw new Error("exists takes true or false");
      return argument;
    case "prefix":
      if (typeof argument !== "string") throw new Error("prefix takes a string");
      return typeof leaf === "string" && leaf.startsWith(argument);
    case "anything-but": {
      const excluded = Array.isArray(argument) ? argument : [argument];
      if (excluded.length === 0 || excluded.some((item) => isObject(item) || Array.isArray(item))) {
        throw new Error("this matcher supports anything-but with a value or a list of values only");
      }
      return !excluded.includes(leaf);
    }
    default:
      throw new Error(`unsupported pattern operator "${operator}"`);
  }
}
