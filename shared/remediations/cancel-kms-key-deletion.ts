import type { KMSClient } from "@aws-sdk/client-kms";
import { errorName } from "../aws/errors";
import { loadKms } from "../aws/sdk";
import { clientRegion, isKeyGone } from "../resources/kms-key/live";
import type { KmsKeyState } from "../resources/kms-key/state";
import { keyStateBefore } from "../resources/kms-key/state-before";
import { defineRemediation, type RemediationOutcome, type RemediationClients } from "./define";

export const CANCEL_KEY_DELETION_ID = "cancel-kms-key-deletion";

/**
 * Why there is no undo: scheduling the deletion again would put the key back on the way to being
 * destroyed, which Vigil never does. Whoever really wants it deleted schedules it again, after
 * exempting the key (tag `vigil:exempt`) or the check in config.
 */
const NO_UNDO =
  "not undoable by design: Vigil never schedules a key deletion; schedule it again yourself after exempting the key, if it is really intended";

const PENDING_DELETION = new Set(["PendingDeletion", "PendingReplicaDeletion"]);

type Outcome = Promise<RemediationOutcome>;

/** CancelKeyDeletion; undefined when it went through, else the outcome that says why not. */
async function cancel(kms: KMSClient, keyArn: string): Promise<RemediationOutcome | undefined> {
  const { CancelKeyDeletionCommand, DescribeKeyCommand } = await loadKms();
  try {
    await kms.send(new CancelKeyDeletionCommand({ KeyId: keyArn }));
    return undefined;
  } catch (error) {
    // Not "already-gone": that would mark the finding fixed, and the key is destroyed.
    if (isKeyGone(error))
      return {
        result: "skipped",
        action: `key ${keyArn} no longer exists: its deletion can't be cancelled`,
        awsCalls: 1,
      };
    if (errorName(error) !== "KMSInvalidStateException") throw error;
    // Not pending deletion any more: someone cancelled it first. Anything else is a real failure.
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: keyArn }))).KeyMetadata;
    if (meta?.KeyState && !PENDING_DELETION.has(meta.KeyState)) {
      return {
        result: "already-gone",
        action: `key ${keyArn} is no longer scheduled for deletion (it is ${meta.KeyState})`,
        awsCalls: 2,
      };
    }
    throw error;
  }
}

/**
 * CancelKeyDeletion leaves the key Disabled. It is re-enabled only when AWS Config recorded it
 * Enabled just before the deletion was scheduled: a key someone disabled first (as KMS advises
 * before deleting) stays disabled, and so does one whose earlier state is unknown.
 */
async function restoreEnabled(
  kms: KMSClient,
  clients: RemediationClients,
  state: KmsKeyState,
  scheduledAt: string,
): Promise<{ note: string; calls: number }> {
  const before = await keyStateBefore(await clients.configService(), state.keyId, scheduledAt);
  if ("unknown" in before)
    return { note: `key left Disabled: ${before.unknown}; run EnableKey if it should be in use`, calls: 1 };
  if (before.keyState !== "Enabled")
    return {
      note: `key left Disabled: it was ${before.keyState} before the deletion was scheduled`,
      calls: 1,
    };
  const { EnableKeyCommand } = await loadKms();
  try {
    await kms.send(new EnableKeyCommand({ KeyId: state.keyArn }));
    return { note: `key re-enabled: AWS Config recorded it Enabled at ${before.recordedAt}`, calls: 2 };
  } catch (error) {
    // The deletion is cancelled, which is what matters; the key just stays disabled.
    return {
      note: `key left Disabled: EnableKey failed (${errorName(error) || "error"}); run it yourself`,
      calls: 2,
    };
  }
}

export default defineRemediation<"AWS::KMS::Key">({
  id: CANCEL_KEY_DELETION_ID,
  title: "Cancel the scheduled deletion of the KMS key (and re-enable it if it was enabled before)",
  resourceType: "AWS::KMS::Key",
  iamActions: [
    "kms:CancelKeyDeletion",
    "kms:EnableKey",
    "kms:DescribeKey",
    "config:GetResourceConfigHistory",
  ],
  undoIamActions: [],
  disruptive: false,
  async apply({ state, dryRun }, clients): Outcome {
    if (state.outOfScope)
      return { result: "skipped", action: `not remediated: ${state.outOfScope}`, awsCalls: 0 };
    const deletion = state.deletion;
    if (!deletion) return { result: "skipped", action: "no scheduled deletion to cancel", awsCalls: 0 };
    if (dryRun) {
      return {
        result: "planned",
        action: `CancelKeyDeletion ${state.keyArn}; then EnableKey only if AWS Config shows the key Enabled before the deletion was scheduled (CancelKeyDeletion leaves it Disabled)`,
        awsCalls: 0,
      };
    }
    const kms = await clients.kms();
    const region = await clientRegion(kms);
    if (region !== undefined && region !== state.region) {
      return {
        result: "skipped",
        action: `not remediated: key is in ${state.region}, Vigil's client acts in ${region}`,
        awsCalls: 0,
      };
    }
    const refused = await cancel(kms, state.keyArn);
    if (refused) return refused;
    const enabled = await restoreEnabled(kms, clients, state, deletion.scheduledAt);
    return {
      result: "succeeded",
      action: `${state.keyArn}: deletion cancelled; ${enabled.note}`,
      detail: NO_UNDO,
      awsCalls: 1 + enabled.calls,
    };
  },
  async undo() {
    throw new Error(`${CANCEL_KEY_DELETION_ID}: ${NO_UNDO}`);
  },
});
