import { accessKeysNotRotated, unusedCredentials } from "../../iam-credentials/rules";
import type { IamUserState } from "../../resources/iam-user/state";
import type { Violation } from "../define";

/** Why a credential check can't judge a state: only a credential report row carries the ages. */
export function withoutReport(state: IamUserState): string | undefined {
  return state.credentials ? undefined : "this event does not carry the user's credential report";
}

const day = (iso: string) => iso.slice(0, 10);

/** IAM.3: one violation per active key older than the limit. */
export function oldKeyViolations(state: IamUserState, maxAccessKeyAge: number): Violation[] {
  const c = state.credentials;
  if (!c) return [];
  return accessKeysNotRotated(c.facts, new Date(c.asOf), maxAccessKeyAge).map((key) => ({
    summary: `access key ${key.slot} of user ${state.userName} is ${key.ageDays} days old (created or rotated ${day(key.lastRotated)}; limit ${maxAccessKeyAge} days)`,
    evidence: {
      userName: state.userName,
      credential: "accessKey",
      keySlot: key.slot,
      lastRotated: key.lastRotated,
      ageDays: key.ageDays,
      maxAccessKeyAge,
      reportGeneratedAt: c.reportGeneratedAt,
    },
  }));
}

/** IAM.8 / IAM.22: one violation per password or active key unused for `maxDays` or more. */
export function unusedViolations(state: IamUserState, maxDays: number): Violation[] {
  const c = state.credentials;
  if (!c) return [];
  return unusedCredentials(c.facts, new Date(c.asOf), maxDays).map((u) => {
    const what = u.credential === "password" ? "console password" : `access key ${u.slot}`;
    const when = u.lastUsed ? `last used ${day(u.lastUsed)}` : `never used since it was set ${day(u.since)}`;
    return {
      summary: `${what} of user ${state.userName} unused for ${u.unusedDays} days (${when}; limit ${maxDays} days)`,
      evidence: {
        userName: state.userName,
        credential: u.credential,
        ...(u.slot ? { keySlot: u.slot } : {}),
        lastUsed: u.lastUsed,
        since: u.since,
        unusedDays: u.unusedDays,
        maxCredentialUsageAge: maxDays,
        ...(u.credential === "accessKey"
          ? { lastRotated: c.facts.accessKeys[(u.slot ?? 1) - 1]?.lastRotated }
          : {}),
        reportGeneratedAt: c.reportGeneratedAt,
      },
    };
  });
}
