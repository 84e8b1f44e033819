import type { OrganizationsClient } from "@aws-sdk/client-organizations";
import { loadOrganizations } from "./sdk";

/** An account's place in the organisation: its OUs, nearest first (the root is left out). */
export interface Ancestry {
  organizationalUnits: string[];
  /** ListParents calls this lookup made (0 when the cache answered). */
  calls: number;
}

export interface OrganizationUnits {
  ancestry(account: string): Promise<Ancestry>;
}

/** Organizations allows five levels of OUs below the root; more steps than this means a bad answer. */
const MAX_DEPTH = 8;
/** A moved account takes at most this long to get its new OU's rules in a warm container. */
export const ORGANIZATION_UNITS_TTL_MS = 10 * 60_000;
/** Empty pages with a NextToken (the API documents them) before giving up. */
const MAX_PAGES = 5;

interface Parent {
  id: string;
  type: "ROOT" | "ORGANIZATIONAL_UNIT";
}

export interface OrganizationUnitsOptions {
  client: () => Promise<OrganizationsClient>;
  ttlMs?: number;
  now?: () => number;
}

/**
 * Walks ListParents from the account up to the root. Each child's parent is cached (successes only,
 * for `ttlMs`), so accounts in one OU share the walk above it and a container asks once per account;
 * concurrent lookups of one child share one call. Errors (no permission, throttled, not in the
 * organisation) reject: the caller must not guess.
 */
export function organizationUnits(options: OrganizationUnitsOptions): OrganizationUnits {
  const ttl = options.ttlMs ?? ORGANIZATION_UNITS_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { parent: Promise<Parent>; expires: number }>();

  const parentOf = (childId: string, counter: { calls: number }): Promise<Parent> => {
    const cached = cache.get(childId);
    if (cached && cached.expires > now()) return cached.parent;
    counter.calls++;
    const parent = listParent(options.client, childId);
    cache.set(childId, { parent, expires: now() + ttl });
    // A failure is not remembered: the next event asks again.
    parent.catch(() => {
      if (cache.get(childId)?.parent === parent) cache.delete(childId);
    });
    return parent;
  };

  return {
    async ancestry(account) {
      const counter = { calls: 0 };
      const organizationalUnits: string[] = [];
      let child = account;
      for (let depth = 0; depth < MAX_DEPTH; depth++) {
        const parent = await parentOf(child, counter);
        if (parent.type === "ROOT") return { organizationalUnits, calls: counter.calls };
        organizationalUnits.push(parent.id);
        child = parent.id;
      }
      throw new Error(`${account}: more than ${MAX_DEPTH} levels of organizational units above it`);
    },
  };
}

async function listParent(client: () => Promise<OrganizationsClient>, childId: string): Promise<Parent> {
  const { ListParentsCommand } = await loadOrganizations();
  const organizations = await client();
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await organizations.send(
      new ListParentsCommand({ ChildId: childId, ...(nextToken ? { NextToken: nextToken } : {}) }),
    );
    const [parent, ...more] = out.Parents ?? [];
    if (more.length) throw new Error(`${childId}: Organizations returned ${more.length + 1} parents`);
    if (parent?.Id && (parent.Type === "ROOT" || parent.Type === "ORGANIZATIONAL_UNIT"))
      return { id: parent.Id, type: parent.Type };
    if (parent) throw new Error(`${childId}: unexpected parent ${JSON.stringify(parent)}`);
    nextToken = out.NextToken;
    if (!nextToken) break;
  }
  throw new Error(`${childId}: Organizations returned no parent`);
}
