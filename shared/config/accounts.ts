import { z } from "zod";
import { remediationModeSchema, type RemediationMode } from "../core/modes";

export const accountIdSchema = z.string().regex(/^\d{12}$/, "a 12-digit account id");
/** The pattern AWS Organizations gives OU ids (`ou-` root part `-` OU part). */
export const organizationalUnitIdSchema = z
  .string()
  .regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, 'an organizational unit id like "ou-ab12-cd34ef56"');

/**
 * Remediation modes for some accounts, named directly or through an organizational unit (an OU
 * covers every account below it, at any depth). Precedence, weakest first: the check's default,
 * top-level `modes`, entries matching through an OU (a farther ancestor first, the OU nearest the
 * account last), entries naming the account; among equals, later entries win. The top-level
 * `modeOverride` (the CLI's `--mode`, a report-only sweep) beats them all.
 */
export const accountSettingsSchema = z
  .object({
    accounts: z.array(accountIdSchema).min(1).optional(),
    organizationalUnits: z.array(organizationalUnitIdSchema).min(1).optional(),
    /** Modes by check id, for these accounts. */
    modes: z.record(z.string(), remediationModeSchema).optional(),
    /** One mode for every check in these accounts. */
    modeOverride: remediationModeSchema.optional(),
    /** Why these accounts differ (documentation kept with the rule). */
    reason: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (!entry.accounts && !entry.organizationalUnits)
      ctx.addIssue({ code: "custom", message: "name the accounts or organizationalUnits it applies to" });
    if (!entry.modes && !entry.modeOverride)
      ctx.addIssue({ code: "custom", message: "set modes or modeOverride" });
    // Inside one entry modeOverride would silently win: exceptions go in a later entry instead.
    if (entry.modes && entry.modeOverride)
      ctx.addIssue({
        code: "custom",
        path: ["modeOverride"],
        message: "use modes or modeOverride in one entry, not both (put exceptions in a later entry)",
      });
  });
export type AccountSettings = z.infer<typeof accountSettingsSchema>;

/** Per-account and per-OU settings, in order (see `accountSettingsSchema` for precedence). */
export const accountsSchema = z.array(accountSettingsSchema).default([]);

/** Where a resource lives: its account and, when looked up, the account's OUs (nearest first). */
export interface AccountScope {
  account: string;
  /** Undefined when unknown (not looked up, or the lookup failed): OU rules then match nothing. */
  organizationalUnits?: readonly string[];
}

/** Whom an entry applies to: accounts, OUs, or both (either one matching is enough). */
export interface AccountSelector {
  accounts?: readonly string[];
  organizationalUnits?: readonly string[];
}

/**
 * How closely `selector` matches the scope: undefined for no match, higher for more specific. The
 * account itself beats every OU; an OU nearer the account beats its ancestors.
 */
export function matchLevel(selector: AccountSelector, scope: AccountScope): number | undefined {
  const units = scope.organizationalUnits ?? [];
  if (selector.accounts?.includes(scope.account)) return units.length + 1;
  let level: number | undefined;
  for (const unit of selector.organizationalUnits ?? []) {
    const index = units.indexOf(unit);
    if (index >= 0) level = Math.max(level ?? 0, units.length - index);
  }
  return level;
}

/** Whether a selector restricts by account or OU and the scope falls inside it (no selector: everyone). */
export function inScope(selector: AccountSelector, scope: AccountScope): boolean {
  if (!selector.accounts && !selector.organizationalUnits) return true;
  return matchLevel(selector, scope) !== undefined;
}

export interface ModeSettings {
  modes: Record<string, RemediationMode>;
  modeOverride?: RemediationMode;
  accounts: readonly AccountSettings[];
}

/** The mode a check runs in for this scope (precedence: see `accountSettingsSchema`). */
export function resolveMode(
  config: ModeSettings,
  checkId: string,
  defaultMode: RemediationMode,
  scope: AccountScope | undefined,
): RemediationMode {
  return resolveModeWithSource(config, checkId, defaultMode, scope).mode;
}

/**
 * `resolveMode`, and when an `accounts` entry decided it, which one: `account 123456789012` or
 * `OU ou-...`, with the entry's reason, so a finding can say why its remediation is off.
 */
export function resolveModeWithSource(
  config: ModeSettings,
  checkId: string,
  defaultMode: RemediationMode,
  scope: AccountScope | undefined,
): { mode: RemediationMode; source?: string } {
  if (config.modeOverride) return { mode: config.modeOverride };
  let decided: { mode: RemediationMode; source?: string } = { mode: config.modes[checkId] ?? defaultMode };
  if (!scope) return decided;
  const units = scope.organizationalUnits ?? [];
  const matching = config.accounts
    .map((entry, index) => ({ entry, index, level: matchLevel(entry, scope) }))
    .filter((m): m is { entry: AccountSettings; index: number; level: number } => m.level !== undefined)
    .sort((a, b) => a.level - b.level || a.index - b.index);
  for (const { entry, level } of matching) {
    const mode = entry.modeOverride ?? entry.modes?.[checkId];
    if (!mode) continue;
    const where = level > units.length ? `account ${scope.account}` : `OU ${units[units.length - level]}`;
    decided = { mode, source: `set for ${where}${entry.reason ? `: ${entry.reason}` : ""}` };
  }
  return decided;
}

/** Whether any entry names an OU: only then is the account's OU ancestry worth looking up. */
export function namesOrganizationalUnits(config: {
  accounts: readonly AccountSelector[];
  exemptions: readonly AccountSelector[];
}): boolean {
  return [...config.accounts, ...config.exemptions].some((entry) => entry.organizationalUnits?.length);
}
