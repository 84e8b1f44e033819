import type { OrganizationUnits } from "../aws/organization-units";
import { organizationUnits } from "../aws/organization-units";
import { standardClientConfig } from "../aws/clients";
import { loadOrganizations } from "../aws/sdk";
import type { VigilConfig } from "../config/schema";
import { lazy } from "../core/lazy";
import { isExpired } from "../exemptions/exemption";
import { coversCheck } from "../exemptions/from-config";
import type { CheckResult } from "./evaluate";
import { isTransient } from "./remediate";
import type { VigilRuntime } from "./runtime";

/** What the pipeline learnt about the account's OUs for per-OU modes and exemptions. */
export interface AccountUnits {
  /** The account's OUs, nearest first; undefined when the lookup failed. */
  organizationalUnits?: readonly string[];
  /** Set when the lookup failed: auto-remediation must not run on a guess. */
  holdBack?: { reason: string; retry: boolean };
  awsCalls: number;
}

// One lookup cache per runtime: the Lambda handlers build theirs once per container.
const lookups = new WeakMap<VigilRuntime, OrganizationUnits>();

/** Replaces how `rt` looks OUs up (tests; a runtime that wants its own client). */
export function useOrganizationUnits(rt: VigilRuntime, units: OrganizationUnits): void {
  lookups.set(rt, units);
}

/** Organizations with the functions' own credentials (the central account is the delegated administrator). */
function lookupFor(rt: VigilRuntime): OrganizationUnits | undefined {
  const known = lookups.get(rt);
  if (known || !rt.readClients) return known;
  const client = lazy(async () => new (await loadOrganizations()).OrganizationsClient(standardClientConfig));
  const units = organizationUnits({ client });
  lookups.set(rt, units);
  return units;
}

/**
 * Whether an entry that names an OU could change the outcome for these checks: a mode entry for one
 * of them (unless `modeOverride` decides every mode), or an unexpired exemption covering one of them.
 */
export function organizationalUnitsMatter(
  config: VigilConfig,
  checkIds: readonly string[],
  now: Date,
): boolean {
  const modes =
    !config.modeOverride &&
    config.accounts.some(
      (entry) =>
        entry.organizationalUnits?.length &&
        (entry.modeOverride !== undefined || checkIds.some((id) => entry.modes?.[id] !== undefined)),
    );
  return (
    modes ||
    config.exemptions.some(
      (entry) =>
        entry.organizationalUnits?.length &&
        !isExpired(entry.until, now) &&
        checkIds.some((id) => coversCheck(entry, id)),
    )
  );
}

/**
 * The account's OUs when an OU rule could matter for the violated checks (undefined otherwise: no
 * call). A failed lookup holds auto-remediation back, as an unreadable tag does; the findings are
 * still recorded, judged without the OU rules. A transient failure retries the event.
 */
export async function accountOrganizationalUnits(
  rt: VigilRuntime,
  account: string,
  results: readonly CheckResult[],
  now: Date,
): Promise<AccountUnits | undefined> {
  const violated = results.filter((r) => r.violations.length > 0).map((r) => r.check.id);
  if (!violated.length || !organizationalUnitsMatter(rt.config, violated, now)) return undefined;
  const lookup = lookupFor(rt);
  const reason =
    "held back: the account's organizational units (per-OU modes and exemptions) could not be read";
  if (!lookup) return { holdBack: { reason, retry: false }, awsCalls: 0 };
  try {
    const ancestry = await lookup.ancestry(account);
    return { organizationalUnits: ancestry.organizationalUnits, awsCalls: ancestry.calls };
  } catch (error) {
    const transient = isTransient(error);
    rt.logger.error(
      transient
        ? "could not look up the account's organizational units; auto-remediation held back, the event will be retried"
        : "could not look up the account's organizational units; auto-remediation held back",
      { account, error: error as Error },
    );
    return { holdBack: { reason, retry: transient }, awsCalls: 1 };
  }
}
