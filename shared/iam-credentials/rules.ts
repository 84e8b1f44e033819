import { instantOf, NO_INFORMATION, type AccessKeyFacts, type CredentialFacts } from "./report";

/**
 * Pure judgements over one credential-report row. Whole elapsed days (UTC, floor) are compared:
 * a key "older than 90 days" is one more than 90 whole days old (IAM.3, access-keys-rotated); a
 * credential "unused for 45 days" has not been used for 45 or more whole days (IAM.22, CIS "45 days
 * or greater"; IAM.8 likewise with 90). A row whose markers contradict each other (an active key
 * with no creation time) is not judged: Vigil reports only what the report states.
 */

const DAY_MS = 86_400_000;

export function wholeDaysBetween(from: number, to: Date): number {
  return Math.floor((to.getTime() - from) / DAY_MS);
}

export interface OldAccessKey {
  slot: 1 | 2;
  /** When the key was created or last rotated (ISO). */
  lastRotated: string;
  ageDays: number;
}

/** IAM.3: active keys created or rotated more than `maxAgeDays` whole days before `now`. */
export function accessKeysNotRotated(facts: CredentialFacts, now: Date, maxAgeDays: number): OldAccessKey[] {
  return facts.accessKeys.flatMap((key) => {
    const rotated = instantOf(key.lastRotated);
    if (!key.active || rotated === undefined) return [];
    const ageDays = wholeDaysBetween(rotated, now);
    return ageDays > maxAgeDays ? [{ slot: key.slot, lastRotated: key.lastRotated, ageDays }] : [];
  });
}

export interface UnusedCredential {
  credential: "password" | "accessKey";
  /** The key's slot, for an access key. */
  slot?: 1 | 2;
  /** The last use (ISO), or null when the report has none (never used, or not since tracking began). */
  lastUsed: string | null;
  /** What the unused time is counted from: the last use, else when the credential was set. */
  since: string;
  unusedDays: number;
}

/**
 * The console password: judged only when the user has one (`password_enabled` true). Never used
 * (`no_information`) counts from when it was set (`password_last_changed`); `N/A` beside an enabled
 * password contradicts itself and is not judged.
 */
function unusedPassword(facts: CredentialFacts, now: Date, maxDays: number): UnusedCredential[] {
  if (facts.passwordEnabled !== true) return [];
  const used = instantOf(facts.passwordLastUsed);
  const neverUsed = facts.passwordLastUsed === NO_INFORMATION;
  const set = instantOf(facts.passwordLastChanged);
  const since = used ?? (neverUsed ? set : undefined);
  if (since === undefined) return [];
  const unusedDays = wholeDaysBetween(since, now);
  if (unusedDays < maxDays) return [];
  return [
    {
      credential: "password",
      lastUsed: used === undefined ? null : facts.passwordLastUsed,
      since: new Date(since).toISOString(),
      unusedDays,
    },
  ];
}

/** An active key: never used (`N/A` last use) counts from its creation (`last_rotated`). */
function unusedKey(key: AccessKeyFacts, now: Date, maxDays: number): UnusedCredential[] {
  if (!key.active) return [];
  const used = instantOf(key.lastUsedDate);
  const since = used ?? instantOf(key.lastRotated);
  if (since === undefined) return [];
  const unusedDays = wholeDaysBetween(since, now);
  if (unusedDays < maxDays) return [];
  return [
    {
      credential: "accessKey",
      slot: key.slot,
      lastUsed: used === undefined ? null : key.lastUsedDate,
      since: new Date(since).toISOString(),
      unusedDays,
    },
  ];
}

/** IAM.8 / IAM.22: the password and active keys not used for `maxDays` whole days or more. */
export function unusedCredentials(facts: CredentialFacts, now: Date, maxDays: number): UnusedCredential[] {
  return [
    ...unusedPassword(facts, now, maxDays),
    ...facts.accessKeys.flatMap((key) => unusedKey(key, now, maxDays)),
  ];
}

/** IAM.5 from a report row: a console password and no MFA device. */
export function consoleWithoutMfa(facts: CredentialFacts): boolean {
  return facts.passwordEnabled === true && !facts.mfaActive;
}

/** IAM.4 from the root user's row: an active root access key. (Inactive keys show no date: not judged.) */
export function rootHasActiveAccessKey(facts: CredentialFacts): boolean {
  return facts.accessKeys.some((key) => key.active);
}
