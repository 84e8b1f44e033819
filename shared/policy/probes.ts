import { actionMatches, resourceMatches } from "./match";
import { hasWildcard } from "./wildcard";

/**
 * "Does this pattern cover EVERY resource of a type / EVERY action of a service?" is answered with probes:
 * resource names and actions built from control characters that no policy contains, so a pattern can only
 * match them through wildcards. Two probes per question, of different lengths and with no character in
 * common (one holds `/`, and for free-form tails `:`), so a run of `?` cannot match both and a literal cannot
 * match either. A pattern that matches both therefore covers every value of that shape (up to single-character
 * names, which do not occur; account ids, always 12 characters, get two 12-character probes). The property
 * tests check this against random concrete names.
 */

const SHORT = "\u0001";
const LONG = "\u0002\u0003\u0002";
const LONG_PATH = "\u0002/\u0003\u0002";
const LONG_TAIL = "\u0002/\u0003:\u0002";
// Account ids are always 12 characters, so `????????????` does cover every account: same length, no common character.
const SHORT_ACCOUNT = SHORT.repeat(12);
const LONG_ACCOUNT = "\u0002\u0003".repeat(6);

/**
 * A resource type as an ARN template. Slots: `{partition}`, `{region}`, `{account}` (whole ARN segments),
 * `{name}` (free text that may hold `/`), `{service}` and `{tail}` (free text that may also hold `:`).
 */
export interface ResourceType {
  readonly name: string;
  readonly template: string;
}

/**
 * How widely a slot must be covered: `every` needs a wildcard (any account); `any-literal` also accepts the
 * pattern's own literal (e.g. every role in account 111122223333 counts as "every role").
 */
export type SlotScope = "every" | "any-literal";

/** Per-slot scope for {@link probesFor}; partition is always `any-literal` (a policy lives in one partition). */
export interface ProbeScope {
  readonly region: SlotScope;
  readonly account: SlotScope;
}

/** All regions and accounts must be wildcarded. */
export const EVERYWHERE: ProbeScope = { region: "every", account: "every" };
/** The pattern's own account and region count (every resource of the type in that account). */
export const ANY_ACCOUNT_LITERAL: ProbeScope = { region: "any-literal", account: "any-literal" };

/** A whole resource of any service: `arn:<partition>:<service>:<region>:<account>:<anything>`. */
export const ANY_RESOURCE: ResourceType = {
  name: "any resource",
  template: "arn:{partition}:{service}:{region}:{account}:{tail}",
};

function borrow(pattern: string | undefined, segment: number): string | undefined {
  const literal = pattern?.split(":")[segment];
  return literal !== undefined && literal !== "" && !hasWildcard(literal) && !literal.includes("${")
    ? literal
    : undefined;
}

/**
 * The two probe ARNs for a resource type. Slots scoped `any-literal` take the pattern's literal at that ARN
 * segment when it has one; `account`, when given (the policy's own account), replaces the pattern's literal, so
 * `arn:aws:iam::999988887777:role/*` is not "every role" of account 111122223333; partition
 * falls back to `aws`.
 */
export function probesFor(
  type: ResourceType,
  pattern: string | undefined,
  scope: ProbeScope,
  account?: string,
): readonly [string, string] {
  const segments = type.template.split(":");
  const slotValue = (slot: string, segment: number, long: boolean): string => {
    const generic = long ? LONG : SHORT;
    switch (slot) {
      case "partition":
        return borrow(pattern, segment) ?? "aws";
      case "region":
        return scope.region === "any-literal" ? (borrow(pattern, segment) ?? generic) : generic;
      case "account": {
        const anyAccount = long ? LONG_ACCOUNT : SHORT_ACCOUNT;
        return scope.account === "any-literal"
          ? (account ?? borrow(pattern, segment) ?? anyAccount)
          : anyAccount;
      }
      case "name":
        return long ? LONG_PATH : SHORT;
      case "tail":
        return long ? LONG_TAIL : SHORT;
      default:
        return generic;
    }
  };
  const build = (long: boolean) =>
    segments
      .map((text, segment) => text.replace(/\{(\w+)\}/g, (_, slot: string) => slotValue(slot, segment, long)))
      .join(":");
  return [build(false), build(true)];
}

/** True when the resource pattern matches every resource of the type within the scope (see {@link probesFor}). */
export function patternCoversType(
  pattern: string,
  type: ResourceType,
  scope: ProbeScope,
  account?: string,
): boolean {
  return probesFor(type, pattern, scope, account).every((probe) => resourceMatches(pattern, probe));
}

/** True when the action pattern matches every action of every service (`*`, `*:*`). */
export function actionPatternCoversAll(pattern: string): boolean {
  return actionMatches(pattern, `${SHORT}:${SHORT}`) && actionMatches(pattern, `${LONG}:${LONG}`);
}

/** True when the action pattern matches every action of `service` (`s3:*`, `*`, `s3*`). */
export function actionPatternCoversService(pattern: string, service: string): boolean {
  return actionMatches(pattern, `${service}:${SHORT}`) && actionMatches(pattern, `${service}:${LONG}`);
}

/**
 * The service prefixes (as a wildcard pattern, lower-cased) whose every action this pattern matches:
 * `ec2:*` -> `ec2`, `*:*` and `*` -> `*`, `e*:*` -> `e*`, `s3*` -> `s3*`; undefined for `s3:Get*`.
 */
export function servicesCoveredBy(pattern: string): string | undefined {
  const colon = pattern.indexOf(":");
  if (colon >= 0) {
    const name = pattern.slice(colon + 1);
    const coversNames = !name.includes(":") && actionMatches(name, SHORT) && actionMatches(name, LONG);
    return coversNames ? pattern.slice(0, colon).toLowerCase() : undefined;
  }
  // No colon: only a trailing `*` can reach past the service prefix (`s3*` matches `s3:GetObject`).
  return pattern.endsWith("*") ? pattern.toLowerCase() : undefined;
}

/** The service part of an action pattern, lower-cased (`S3:Get*` -> `s3`); the whole pattern if it has no colon. */
export function serviceOf(pattern: string): string {
  const colon = pattern.indexOf(":");
  return (colon >= 0 ? pattern.slice(0, colon) : pattern).toLowerCase();
}

/** Two actions only a pattern covering every action of every service matches. */
export const ALL_ACTION_PROBES: readonly string[] = [`${SHORT}:${SHORT}`, `${LONG}:${LONG}`];

/** Two actions of `service` (a literal prefix or a wildcard pattern) only a whole-service pattern matches. */
export function serviceActionProbes(service: string): readonly string[] {
  return hasWildcard(service)
    ? [`${SHORT}:${SHORT}`, `${LONG}:${LONG}`]
    : [`${service}:${SHORT}`, `${service}:${LONG}`];
}

/** True when a service-prefix pattern (`*`, `?*`) matches every service prefix. */
export function serviceGlobCoversAll(glob: string): boolean {
  return actionMatches(glob, SHORT) && actionMatches(glob, LONG);
}
