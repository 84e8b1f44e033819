import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { OrganizationSettings } from "../config/organization";
import { lazy } from "../core/lazy";
import type { VigilLogger } from "../log";
import type { RemediationClients } from "../remediations/define";
import type { ReadClients } from "../resources/adapter";
import { partitionOf } from "../resources/account/ref";
import { regionalClients, sharedRoleCredentials, standardClientConfig, type RoleTarget } from "./clients";
import { memberRole } from "./member-role";
import { loadSts } from "./sdk";

const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** AWS access for the resources of one account and Region. */
export interface ScopedClients {
  /** Reads there; undefined when Vigil can't read there (`unavailable` says why). */
  reads: ReadClients | undefined;
  /** Remediation there; undefined when Vigil may not act there (`unavailable` says why). */
  remediation: RemediationClients | undefined;
  /** Why remediation is held back there, e.g. a member role that can't be assumed. */
  unavailable?: string;
  /** The error behind `unavailable`, when one was thrown (to tell a throttled STS from a denied role). */
  cause?: unknown;
}

/**
 * The clients for resources outside the runtime's own account and Region (organisation mode,
 * events forwarded from other Regions). `home` is the runtime's own read clients: a runtime that
 * swapped its clients (a sweep unit, a scan Region) carries this along when spread, and must not
 * be served by it, so callers use it only while `home` is still the runtime's `readClients`.
 */
export interface AccountClients {
  readonly home: ReadClients;
  /** undefined: the runtime's own clients apply (its account in its Region). */
  clientsFor(account: string, region: string): Promise<ScopedClients | undefined>;
}

export interface AccountClientsOptions {
  /** The runtime's read clients (home account, home Region). */
  home: ReadClients;
  /** VIGIL_HOME_ACCOUNT; without it, asked of STS once, in organisation mode only. */
  homeAccount: string | undefined;
  /** AWS_REGION; without it, the home clients' Region. */
  homeRegion: string | undefined;
  organization: OrganizationSettings;
  /** Regions besides the home one where Vigil is deployed (`forwarding.regions`): the roles may write there. */
  forwardingRegions: readonly string[];
  /** The home account's remediation role, when the runtime assumes one (VIGIL_ASSUME_REMEDIATION_ROLE). */
  remediationRole: string | undefined;
  logger: VigilLogger;
  /** Tests: how client sets and role credentials are made, and who the caller is. */
  clientSet?: (region: string, credentials?: AwsCredentialIdentityProvider) => ReadClients;
  roleCredentials?: (role: RoleTarget | string) => AwsCredentialIdentityProvider;
  callerAccount?: () => Promise<string | undefined>;
}

/** The credentials' own account: from the credentials when they say, else STS GetCallerIdentity. */
async function callerAccountOf(home: ReadClients): Promise<string | undefined> {
  const ec2 = await home.ec2();
  const identity = await ec2.config.credentials();
  if (identity.accountId && ACCOUNT_ID.test(identity.accountId)) return identity.accountId;
  const { STSClient, GetCallerIdentityCommand } = await loadSts();
  const sts = new STSClient({ ...standardClientConfig, region: await ec2.config.region() });
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    return Account && ACCOUNT_ID.test(Account) ? Account : undefined;
  } finally {
    sts.destroy();
  }
}

function describe(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return e.name && e.message && !e.message.startsWith(e.name)
    ? `${e.name}: ${e.message}`
    : String(e.message ?? error);
}

/**
 * Picks the credentials and Region for a resource (cached per account and Region for the
 * container's life; nothing is loaded or called before an event needs it):
 * - the home account in the home Region: undefined, the runtime's own clients (no STS call);
 * - the home account in another Region: reads there with the function's credentials, remediation
 *   there as the home remediation role (only in the Regions Vigil is deployed to);
 * - a member account in organisation mode: reads and remediation as its member role (with the
 *   ExternalId), in the resource's Region; a role that can't be assumed leaves both unavailable;
 * - another account outside organisation mode: nothing (the finding is recorded from the event).
 * Non-regional resources (IAM's and CloudFront's `global`) are reached through the home Region.
 */
export function accountClients(options: AccountClientsOptions): AccountClients {
  const { home, organization, logger } = options;
  if (options.homeAccount !== undefined && !ACCOUNT_ID.test(options.homeAccount))
    throw new Error(`VIGIL_HOME_ACCOUNT must be a 12-digit account id, not "${options.homeAccount}"`);
  const clientSet = options.clientSet ?? regionalClients;
  const roleCredentials = options.roleCredentials ?? sharedRoleCredentials;
  const homeRegion = options.homeRegion
    ? async () => options.homeRegion as string
    : lazy(async () => (await home.ec2()).config.region());
  const callerAccount = lazy(async () => {
    const account = await (options.callerAccount ?? (() => callerAccountOf(home)))();
    if (!account) throw new Error("STS did not name the account of Vigil's credentials");
    return account;
  });
  const credentials = new Map<string, AwsCredentialIdentityProvider>();
  const sets = new Map<string, ScopedClients>();
  const withLogger = (clients: ReadClients): RemediationClients => ({ ...clients, logger });
  const credentialsOf = (role: RoleTarget | string) => {
    const key = typeof role === "string" ? role : `${role.roleArn}|${role.externalId ?? ""}`;
    let provider = credentials.get(key);
    if (!provider) credentials.set(key, (provider = roleCredentials(role)));
    return provider;
  };
  /** Remediation only where Vigil is deployed (the roles' writes are scoped to those Regions); reads anywhere. */
  const scopedTo = (
    region: string,
    ownRegion: string,
    reads: ReadClients,
    writer: () => ReadClients,
  ): ScopedClients =>
    region === ownRegion || options.forwardingRegions.includes(region)
      ? { reads, remediation: withLogger(writer()) }
      : {
          reads,
          remediation: undefined,
          unavailable: `held back: Vigil is not deployed in ${region} (the home Region and forwarding.regions), where its role may act`,
        };

  /** Vigil's own account: configured, or (organisation mode only) asked of STS once. */
  async function homeAccount(): Promise<{ account?: string; unavailable?: ScopedClients }> {
    if (options.homeAccount) return { account: options.homeAccount };
    // Outside organisation mode no account is told apart without VIGIL_HOME_ACCOUNT: all are the credentials' own.
    if (!organization.enabled) return {};
    try {
      return { account: await callerAccount() };
    } catch (cause) {
      const unavailable = `held back: Vigil's own account could not be told (${describe(cause)}); set VIGIL_HOME_ACCOUNT`;
      logger.error("cannot tell Vigil's own account; auto-remediation held back", { error: cause as Error });
      return { unavailable: { reads: undefined, remediation: undefined, unavailable, cause } };
    }
  }

  return {
    home,
    async clientsFor(account, resourceRegion) {
      const ownRegion = await homeRegion();
      const region = REGION.test(resourceRegion) ? resourceRegion : ownRegion;
      const known = await homeAccount();
      if (known.unavailable) return known.unavailable;
      const own = !known.account || !ACCOUNT_ID.test(account) || account === known.account;
      if (own && region === ownRegion) return undefined;

      const key = `${own ? "home" : account}/${region}`;
      const cached = sets.get(key);
      if (cached) return cached;

      if (own) {
        const role = options.remediationRole;
        const reads = clientSet(region);
        const scoped = scopedTo(region, ownRegion, reads, () =>
          role ? clientSet(region, credentialsOf(role)) : reads,
        );
        sets.set(key, scoped);
        return scoped;
      }

      const target = memberRole(organization, account, known.account, partitionOf(ownRegion));
      if (!target) {
        logger.warn("event from another account outside organisation mode: recorded, not remediated", {
          account,
          homeAccount: known.account,
        });
        return {
          reads: undefined,
          remediation: undefined,
          unavailable: `held back: account ${account} is not Vigil's own (${known.account}) and organisation mode is off`,
        };
      }
      const provider = credentialsOf(target);
      try {
        // Assumed now (once, then shared): a role that can't be assumed is reported before any read.
        await provider();
      } catch (cause) {
        logger.error("cannot assume the member account's role: findings recorded, remediation held back", {
          account,
          roleArn: target.roleArn,
          error: cause as Error,
        });
        return {
          reads: undefined,
          remediation: undefined,
          unavailable: `held back: could not assume ${target.roleArn} (${describe(cause)})`,
          cause,
        };
      }
      const clients = clientSet(region, provider);
      const scoped = scopedTo(region, ownRegion, clients, () => clients);
      sets.set(key, scoped);
      return scoped;
    },
  };
}
