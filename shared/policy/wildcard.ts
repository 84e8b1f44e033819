/**
 * IAM wildcard matching: `*` is any run of characters (possibly empty), `?` is exactly one character.
 *
 * Two dialects:
 * - **action**: case-insensitive, `*` and `?` match any character (`s3:Get*`, `*`, `ec2:Describe?nstances`).
 * - **arn** (resources): case-sensitive and segment-aware, as the IAM User Guide ("Using wildcards in resource
 *   ARNs") states: wildcards match within a colon-separated segment, except that a `*` that is the last
 *   character of a segment (followed by `:` or the end of the pattern) "can expand to match beyond the colon
 *   boundaries". `?` never matches `:`. Policy variables (`${aws:username}`) stand for a request value we do
 *   not know, so they match nothing; the escapes `${*}`, `${?}`, `${$}` are the literal characters.
 */

type Token =
  | { readonly kind: "literal"; readonly char: string }
  | { readonly kind: "one"; readonly colon: boolean }
  | { readonly kind: "star"; readonly colon: boolean }
  | { readonly kind: "never" };

/** The dialect of a pattern. */
export type WildcardDialect = "action" | "arn";

const ESCAPES: Readonly<Record<string, string>> = { "${*}": "*", "${?}": "?", "${$}": "$" };

function tokenise(pattern: string, dialect: WildcardDialect): Token[] {
  const tokens: Token[] = [];
  const arn = dialect === "arn";
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (arn && char === "$" && pattern.charAt(i + 1) === "{") {
      const end = pattern.indexOf("}", i + 2);
      if (end > 0) {
        const variable = pattern.slice(i, end + 1);
        const escaped = ESCAPES[variable];
        tokens.push(escaped === undefined ? { kind: "never" } : { kind: "literal", char: escaped });
        i = end;
        continue;
      }
    }
    if (char === "*") {
      const next = pattern.charAt(i + 1);
      tokens.push({ kind: "star", colon: !arn || next === ":" || next === "" });
    } else if (char === "?") {
      tokens.push({ kind: "one", colon: !arn });
    } else {
      tokens.push({ kind: "literal", char: dialect === "action" ? char.toLowerCase() : char });
    }
  }
  return tokens;
}

/**
 * True when `pattern` matches the whole of `value` in the given dialect. Linear memory, O(pattern × value)
 * time: no regular expressions, so no pathological backtracking on hostile patterns.
 */
export function wildcardMatches(pattern: string, value: string, dialect: WildcardDialect): boolean {
  const tokens = tokenise(pattern, dialect);
  const text = dialect === "action" ? value.toLowerCase() : value;
  // reach[j]: the tokens seen so far can match text[0..j).
  let reach: boolean[] = Array.from({ length: text.length + 1 }, (_, j) => j === 0);
  for (const token of tokens) {
    const next: boolean[] = new Array<boolean>(text.length + 1).fill(false);
    for (let j = 0; j <= text.length; j++) {
      const char = text.charAt(j - 1);
      const charOk = j > 0 && (char !== ":" || token.kind === "literal" || ("colon" in token && token.colon));
      switch (token.kind) {
        case "literal":
          next[j] = j > 0 && reach[j - 1] === true && char === token.char;
          break;
        case "one":
          next[j] = charOk && reach[j - 1] === true;
          break;
        case "star":
          next[j] = reach[j] === true || (charOk && next[j - 1] === true);
          break;
        case "never":
          break;
      }
    }
    reach = next;
  }
  return reach[text.length] === true;
}

/** True when the pattern holds a wildcard (`*` or `?`), i.e. may match more than one value. */
export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern.replace(/\$\{[*?$]\}/g, ""));
}
