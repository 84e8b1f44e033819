import type { Account, OrganizationsClient } from "@aws-sdk/client-organizations";
import { loadOrganizations } from "../aws/sdk";
import type { OrganizationSettings } from "../config/organization";

/** What the sweep needs to know about the organisation's accounts. */
export interface SweepAccounts {
  /** Accounts to sweep: the home account first, then the members in id order. */
  accounts: string[];
  /** Accounts listed but left out, and why (for the planner's log). */
  skipped: { account: string; reason: string }[];
}

/** An organisation root id (`r-...`): ListAccounts covers it, every account of the organisation. */
const isRoot = (id: string) => id.startsWith("r-");

/**
 * The accounts a sweep covers: the home account (where Vigil runs) always; in organisation mode
 * also every ACTIVE account under `organizationalUnits` (nested OUs included, walked with
 * ListOrganizationalUnitsForParent; a root id lists the whole organisation with ListAccounts).
 *
 * Left out: accounts that are not ACTIVE (suspended, closing, closed, still being activated: their
 * role can't be assumed) and the management account, which a service-managed StackSet never
 * deploys to, so it has no member role. The management account's id is the one in the accounts'
 * ARNs (`arn:aws:organizations::<management>:account/o-.../<id>`), so no DescribeOrganization is needed.
 */
export async function sweepAccounts(
  organization: OrganizationSettings,
  homeAccount: string,
  client: () => Promise<OrganizationsClient>,
): Promise<SweepAccounts> {
  if (!organization.enabled) return { accounts: [homeAccount], skipped: [] };
  const listed = await listAccounts(organization.organizationalUnits, await client());
  const members = new Map<string, string | undefined>(); // id -> why skipped (undefined: swept)
  for (const account of listed) {
    const id = account.Id;
    if (!id || id === homeAccount || members.has(id)) continue;
    members.set(id, skipReason(account));
  }
  const skipped = [...members]
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([account, reason]) => ({ account, reason }))
    .sort((a, b) => a.account.localeCompare(b.account));
  const swept = [...members]
    .filter(([, reason]) => reason === undefined)
    .map(([id]) => id)
    .sort();
  return { accounts: [homeAccount, ...swept], skipped };
}

/** Why an account is not swept, or undefined when it is. */
function skipReason(account: Account): string | undefined {
  // `State` replaces `Status` (retired September 2026); either says ACTIVE for a usable account.
  const state = account.State ?? account.Status;
  if (state !== "ACTIVE") return `not ACTIVE (${state ?? "no state"})`;
  if (account.Id && managementAccountOf(account.Arn) === account.Id)
    return "the management account (no member role: service-managed StackSets skip it)";
  return undefined;
}

/** `arn:<partition>:organizations::<management account>:account/o-.../<account>` -> the management account. */
export function managementAccountOf(arn: string | undefined): string | undefined {
  return arn?.split(":")[4] || undefined;
}

async function listAccounts(parents: readonly string[], client: OrganizationsClient): Promise<Account[]> {
  const { paginateListAccounts, paginateListAccountsForParent, paginateListOrganizationalUnitsForParent } =
    await loadOrganizations();
  const accounts: Account[] = [];
  // A root anywhere in the list: the whole organisation, in one listing.
  if (parents.some(isRoot)) {
    for await (const page of paginateListAccounts({ client }, {})) accounts.push(...(page.Accounts ?? []));
    return accounts;
  }
  const seen = new Set<string>();
  const queue = [...parents];
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    if (seen.has(parent)) continue; // an OU listed and also nested under another listed OU
    seen.add(parent);
    for await (const page of paginateListAccountsForParent({ client }, { ParentId: parent }))
      accounts.push(...(page.Accounts ?? []));
    for await (const page of paginateListOrganizationalUnitsForParent({ client }, { ParentId: parent }))
      for (const ou of page.OrganizationalUnits ?? []) if (ou.Id) queue.push(ou.Id);
  }
  return accounts;
}
