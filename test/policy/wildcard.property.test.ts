import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { actionMatches, resourceMatches } from "../../shared/policy";

const RUNS = { numRuns: 2000 };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/** Reference model for actions: a regular expression, case-insensitive, `*` -> `.*`, `?` -> `.`. */
function actionModel(pattern: string): RegExp {
  const body = [...pattern].map((c) => (c === "*" ? ".*" : c === "?" ? "." : escapeRegExp(c))).join("");
  return new RegExp(`^${body}$`, "is");
}

/**
 * Reference model for ARNs, from the IAM User Guide's words: a `*` that ends a segment (followed by `:` or the
 * end) matches anything, other `*` match within a segment, `?` is one non-colon character, `${var}` matches
 * nothing, `${*}`/`${?}`/`${$}` are literals.
 */
function arnModel(pattern: string): RegExp {
  let body = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    const variable =
      c === "$" && pattern.charAt(i + 1) === "{" ? /^\$\{[^}]*\}/.exec(pattern.slice(i)) : null;
    if (variable) {
      const literal = { "${*}": "*", "${?}": "?", "${$}": "$" }[variable[0]];
      body += literal === undefined ? "(?!)" : escapeRegExp(literal);
      i += variable[0].length - 1;
    } else if (c === "*") {
      const next = pattern.charAt(i + 1);
      body += next === ":" || next === "" ? ".*" : "[^:]*";
    } else if (c === "?") {
      body += "[^:]";
    } else {
      body += escapeRegExp(c);
    }
  }
  return new RegExp(`^${body}$`, "s");
}

const from = (alphabet: string[], maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((parts) => parts.join(""));
const actionPattern = from(["a", "B", "b", ":", "*", "?", "-", "Get"], 8);
const actionValue = from(["a", "A", "b", "B", ":", "-", "get", "GET"], 10);
const arnPattern = from(
  ["a", "b", ":", "/", "*", "?", "${*}", "${?}", "${$}", "${aws:username}", "$", "{", "}"],
  8,
);
const arnValue = from(["a", "b", ":", "/", "*", "?", "$", "{", "}", "${aws:username}"], 10);

/** What replaces a `?` when building a value from a pattern: colons included, where ARN rules differ. */
const oneChar = fc.constantFrom("x", ":", "/", "A");

/** The value with each letter's case flipped at random. */
const recased = (value: string, flips: boolean[]) =>
  [...value]
    .map((c, i) =>
      flips[i % flips.length] ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c,
    )
    .join("");

describe("wildcard matching agrees with a reference regular-expression model", () => {
  it("actions", () => {
    fc.assert(
      fc.property(actionPattern, actionValue, (pattern, action) => {
        expect(actionMatches(pattern, action)).toBe(actionModel(pattern).test(action));
      }),
      RUNS,
    );
  });

  it("actions, on values built from the pattern (so matches are common)", () => {
    fc.assert(
      fc.property(
        actionPattern,
        fc.array(actionValue, { minLength: 1, maxLength: 4 }),
        oneChar,
        (pattern, fillers, one) => {
          let n = 0;
          const action = pattern.replace(/[*?]/g, (w) =>
            w === "?" ? one : (fillers[n++ % fillers.length] ?? ""),
          );
          expect(actionMatches(pattern, action)).toBe(true);
          expect(actionModel(pattern).test(action)).toBe(true);
        },
      ),
      RUNS,
    );
  });

  it("short patterns and values over a tiny alphabet (where matches and colon rules collide)", () => {
    const tinyPattern = from(["a", ":", "*", "?"], 5);
    const tinyValue = from(["a", ":"], 5);
    fc.assert(
      fc.property(tinyPattern, tinyValue, (pattern, value) => {
        expect(resourceMatches(pattern, value)).toBe(arnModel(pattern).test(value));
        expect(actionMatches(pattern, value)).toBe(actionModel(pattern).test(value));
      }),
      RUNS,
    );
  });

  it("ARNs", () => {
    fc.assert(
      fc.property(arnPattern, arnValue, (pattern, resource) => {
        expect(resourceMatches(pattern, resource)).toBe(arnModel(pattern).test(resource));
      }),
      RUNS,
    );
  });

  it("ARNs, on values built from the pattern", () => {
    fc.assert(
      fc.property(
        arnPattern,
        fc.array(arnValue, { minLength: 1, maxLength: 4 }),
        oneChar,
        (pattern, fillers, one) => {
          let n = 0;
          const resource = pattern.replace(/\*|\?/g, (w) =>
            w === "?" ? one : (fillers[n++ % fillers.length] ?? ""),
          );
          expect(resourceMatches(pattern, resource)).toBe(arnModel(pattern).test(resource));
        },
      ),
      RUNS,
    );
  });
});

describe("matching laws", () => {
  it("actions ignore case on both sides", () => {
    fc.assert(
      fc.property(
        actionPattern,
        actionValue,
        fc.array(fc.boolean(), { minLength: 1 }),
        (pattern, action, flips) => {
          expect(actionMatches(recased(pattern, flips), recased(action, [...flips].reverse()))).toBe(
            actionMatches(pattern, action),
          );
        },
      ),
      RUNS,
    );
  });

  it("a pattern without wildcards matches only itself (actions: in any case)", () => {
    const literal = from(["a", "B", ":", "-", "/"], 8);
    fc.assert(
      fc.property(literal, literal, (pattern, other) => {
        expect(actionMatches(pattern, other)).toBe(pattern.toLowerCase() === other.toLowerCase());
        expect(resourceMatches(pattern, other)).toBe(pattern === other);
      }),
      RUNS,
    );
  });

  it("* matches everything, in both dialects", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (value) => {
        expect(actionMatches("*", value)).toBe(true);
        expect(resourceMatches("*", value)).toBe(true);
      }),
      RUNS,
    );
  });
});
