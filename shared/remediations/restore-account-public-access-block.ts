import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import { z } from "zod";
import { errorName } from "../aws/errors";
import { loadS3Control } from "../aws/sdk";
import { configurationBefore } from "../resources/account-public-access-block/history";
import {
  FLAG_NAMES,
  flagsFrom,
  flagsOff,
  type AccountPublicAccessBlockState,
  type FlagName,
  type PublicAccessBlockFlags,
} from "../resources/account-public-access-block/state";
import {
  defineRemediation,
  type RemediationClients,
  type RemediationInput,
  type RemediationOutcome,
} from "./define";

export const RESTORE_ACCOUNT_PAB_ID = "restore-account-public-access-block";

const ALL_ON: PublicAccessBlockFlags = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/**
 * How a user keeps their own setting: an account setting can't carry the `vigil:exempt` tag, so
 * `vigil undo` (or their own call) would be reverted by the next event unless Vigil's config exempts it first.
 */
const keepItOff = (accountId: string) =>
  `to keep the block off, first exempt S3.1 for account ${accountId} in Vigil's config ` +
  `(exemptions: [{ checks: ["S3.1"], accounts: ["${accountId}"], reason: "..." }]), then run vigil undo`;

const flagsSchema = z.object({
  BlockPublicAcls: z.boolean(),
  IgnorePublicAcls: z.boolean(),
  BlockPublicPolicy: z.boolean(),
  RestrictPublicBuckets: z.boolean(),
});
/** `exemptChecks`/`exemptionTagKey` (added by the pipeline for taggable resources) are ignored. */
const undoParamsSchema = z.looseObject({
  accountId: z.string().regex(/^\d{12}$/),
  /** The configuration Vigil found when it acted (null: there was none), which undo puts back. */
  before: flagsSchema.nullable(),
  /** What Vigil set: undo refuses if the account no longer has exactly this. */
  after: flagsSchema,
});
export type RestoreAccountPabUndoParams = z.input<typeof undoParamsSchema>;

const describeFlags = (flags: PublicAccessBlockFlags | null) =>
  flags === null ? "no configuration" : FLAG_NAMES.map((f) => `${f}=${String(flags[f])}`).join(" ");
const same = (a: PublicAccessBlockFlags | null, b: PublicAccessBlockFlags | null) =>
  FLAG_NAMES.every((f) => (a?.[f] ?? false) === (b?.[f] ?? false)) && (a === null) === (b === null);

/** The account's configuration now; null when it has none (S3 Control answers 404 NoSuchPublicAccessBlockConfiguration). */
async function live(s3Control: S3ControlClient, accountId: string): Promise<PublicAccessBlockFlags | null> {
  const { GetPublicAccessBlockCommand } = await loadS3Control();
  try {
    const out = await s3Control.send(new GetPublicAccessBlockCommand({ AccountId: accountId }));
    const c = out.PublicAccessBlockConfiguration ?? {};
    return flagsFrom((f) => c[f] === true);
  } catch (error) {
    if (errorName(error) === "NoSuchPublicAccessBlockConfiguration") return null;
    throw error;
  }
}

async function put(
  s3Control: S3ControlClient,
  accountId: string,
  flags: PublicAccessBlockFlags,
): Promise<void> {
  const { PutPublicAccessBlockCommand } = await loadS3Control();
  await s3Control.send(
    new PutPublicAccessBlockCommand({ AccountId: accountId, PublicAccessBlockConfiguration: { ...flags } }),
  );
}

/** On where it is on now or was on before the change: the restore never turns anything off. */
function merge(
  now: PublicAccessBlockFlags | null,
  before: PublicAccessBlockFlags | null,
): PublicAccessBlockFlags {
  return flagsFrom((f) => now?.[f] === true || before?.[f] === true);
}

interface Plan {
  target: PublicAccessBlockFlags;
  now: PublicAccessBlockFlags | null;
  turnOn: FlagName[];
  /** What was on before the change and where that is known from, for the record. */
  source: string;
}

async function plan(state: AccountPublicAccessBlockState, clients: RemediationClients): Promise<Plan> {
  const previous = await configurationBefore(await clients.configService(), state.accountId, state.changedAt);
  const before = previous.known ? previous.configuration : ALL_ON;
  const source = previous.known
    ? `per AWS Config${previous.capturedAt ? ` as of ${previous.capturedAt}` : ""}: ${describeFlags(previous.configuration)}`
    : `${previous.reason}, so all four`;
  const now = await live(await clients.s3Control(), state.accountId);
  const target = merge(now, before);
  return { target, now, turnOn: FLAG_NAMES.filter((f) => target[f] && now?.[f] !== true), source };
}

async function apply(
  input: RemediationInput<"AWS::S3::AccountPublicAccessBlock">,
  clients: RemediationClients,
): Promise<RemediationOutcome> {
  const { state, violations, dryRun } = input;
  const account = state.accountId;
  if (!violations.length) return { result: "skipped", action: "nothing to turn back on", awsCalls: 0 };
  if (dryRun) {
    return {
      result: "planned",
      action:
        `PutPublicAccessBlock for account ${account}: turn back on the settings that were on before ` +
        `${state.changedAt} (per AWS Config history; all four when unknown)`,
      awsCalls: 0,
    };
  }
  const p = await plan(state, clients);
  const stillOff = flagsOff(p.target);
  if (!p.turnOn.length) {
    if (!stillOff.length)
      return {
        result: "already-gone",
        action: `account ${account}: all four settings are already on`,
        awsCalls: 2,
      };
    return {
      result: "skipped",
      action: `account ${account}: nothing to turn back on; ${stillOff.join(", ")} were off before the change too (${p.source})`,
      detail: "S3.1 still fails: turn them on yourself, or exempt S3.1 in Vigil's config",
      awsCalls: 2,
    };
  }
  try {
    await put(await clients.s3Control(), account, p.target);
  } catch (error) {
    if (errorName(error) !== "AccessDenied") throw error;
    return {
      result: "failed",
      action: `PutPublicAccessBlock for account ${account} was denied`,
      detail:
        "the remediation role lacks s3:PutAccountPublicAccessBlock, or an organization-level Block Public Access policy manages this account",
      awsCalls: 3,
    };
  }
  const turnedOn = `account ${account}: turned back on ${p.turnOn.join(", ")}`;
  if (stillOff.length) {
    // Partly restored by design (those were off before too): the finding stays open, S3.1 still fails.
    return {
      result: "failed",
      action: `${turnedOn}; ${stillOff.join(", ")} stay off, as before the change (${p.source})`,
      detail: "S3.1 still fails: turn them on yourself, or exempt S3.1 in Vigil's config",
      awsCalls: 3,
    };
  }
  return {
    result: "succeeded",
    action: `${turnedOn} (what was on before the change, ${p.source})`,
    detail: keepItOff(account),
    undo: {
      remediationId: RESTORE_ACCOUNT_PAB_ID,
      params: { accountId: account, before: p.now, after: p.target } satisfies RestoreAccountPabUndoParams,
    },
    awsCalls: 3,
  };
}

export default defineRemediation<"AWS::S3::AccountPublicAccessBlock">({
  id: RESTORE_ACCOUNT_PAB_ID,
  title: "Turn back on the account-level S3 Block Public Access settings that were on before the change",
  resourceType: "AWS::S3::AccountPublicAccessBlock",
  iamActions: [
    "s3:PutAccountPublicAccessBlock",
    "s3:GetAccountPublicAccessBlock",
    "config:GetResourceConfigHistory",
  ],
  // S3 Control's DeletePublicAccessBlock is authorized by s3:PutAccountPublicAccessBlock too.
  undoIamActions: ["s3:GetAccountPublicAccessBlock", "s3:PutAccountPublicAccessBlock"],
  // The account setting carries no tags: only a config exemption keeps Vigil from restoring it again.
  undoExemptsByTag: false,
  disruptive: false,
  apply,
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const s3Control = await clients.s3Control();
    const now = await live(s3Control, params.accountId);
    if (!same(now, params.after)) {
      throw new Error(
        `account ${params.accountId}'s S3 Block Public Access changed since Vigil restored it ` +
          `(now ${describeFlags(now)}, Vigil set ${describeFlags(params.after)}): not overwriting it`,
      );
    }
    if (params.before === null) {
      const { DeletePublicAccessBlockCommand } = await loadS3Control();
      await s3Control.send(new DeletePublicAccessBlockCommand({ AccountId: params.accountId }));
    } else {
      await put(s3Control, params.accountId, params.before);
    }
    return (
      `account ${params.accountId}: S3 Block Public Access put back to ${describeFlags(params.before)}; ` +
      `an account setting can't carry the exemption tag: unless Vigil's config exempts S3.1 for this account, ` +
      `the next event turns the block back on`
    );
  },
});
