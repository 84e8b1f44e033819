import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { KMSClient } from "@aws-sdk/client-kms";
import { errorName } from "../aws/errors";
import { loadCloudTrail, loadKms } from "../aws/sdk";
import { previousKmsKey } from "../resources/cloudtrail-trail/previous-key";
import type { TrailState } from "../resources/cloudtrail-trail/state";
import { defineRemediation, type RemediationOutcome } from "./define";

export const RESTORE_CLOUDTRAIL_KEY_ID = "restore-cloudtrail-kms-key";

/**
 * Why there is no undo: taking the key off again is the very violation (CloudTrail.2). No undo
 * payload is recorded; whoever really wants the trail unencrypted does it themselves, after
 * exempting the trail (tag `vigil:exempt`) or the check in config.
 */
const NO_UNDO =
  "not undoable by design: Vigil never removes a trail's KMS key; do it yourself after tagging the trail exempt, if it is really intended";

/** CloudTrail's answers when the key can't be used for the trail (key policy, key gone or off): the restore failed. */
const KEY_REFUSED = new Set([
  "InsufficientEncryptionPolicyException",
  "KmsKeyNotFoundException",
  "KmsKeyDisabledException",
  "KmsException",
]);

type Outcome = RemediationOutcome;

/** The key's state, when Vigil can read it: only an Enabled key is put back (CloudTrail can't write with any other). */
async function keyState(
  kms: KMSClient,
  keyId: string,
): Promise<{ usable: true } | { usable: false; why: string }> {
  const { DescribeKeyCommand } = await loadKms();
  try {
    const meta = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
    const state = meta?.KeyState ?? "unknown";
    if (state === "Enabled") return { usable: true };
    const deletion = meta?.DeletionDate ? ` (deletion on ${meta.DeletionDate.toISOString()})` : "";
    return { usable: false, why: `key ${keyId} is ${state}${deletion}` };
  } catch (error) {
    const name = errorName(error);
    if (name === "NotFoundException") return { usable: false, why: `key ${keyId} no longer exists` };
    // A key in another account whose policy doesn't let Vigil describe it: not verifiable, so not used.
    if (name === "AccessDeniedException")
      return {
        usable: false,
        why: `Vigil may not describe key ${keyId} (AccessDenied): its state can't be checked`,
      };
    throw error;
  }
}

/** The trail's key now, or "gone" when the trail no longer exists. */
async function liveKey(cloudTrail: CloudTrailClient, trailArn: string): Promise<string | null | "gone"> {
  const { GetTrailCommand } = await loadCloudTrail();
  try {
    const out = await cloudTrail.send(new GetTrailCommand({ Name: trailArn }));
    return out.Trail?.KmsKeyId ?? null;
  } catch (error) {
    if (errorName(error) === "TrailNotFoundException") return "gone";
    throw error;
  }
}

export default defineRemediation<"AWS::CloudTrail::Trail">({
  id: RESTORE_CLOUDTRAIL_KEY_ID,
  title: "Put back the trail's previous KMS key (from AWS Config's history), when that key is still enabled",
  resourceType: "AWS::CloudTrail::Trail",
  iamActions: [
    "cloudtrail:GetTrail",
    "cloudtrail:UpdateTrail",
    "config:GetResourceConfigHistory",
    "kms:DescribeKey",
  ],
  undoIamActions: [],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<Outcome> {
    const trail: TrailState = state;
    if (trail.outOfScope)
      return { result: "skipped", action: `not remediated: ${trail.outOfScope}`, awsCalls: 0 };
    if (!violations.some((v) => v.evidence.kmsKeyId === null))
      return { result: "skipped", action: "nothing to restore", awsCalls: 0 };
    if (dryRun)
      return {
        result: "planned",
        action: `UpdateTrail ${trail.trailArn} KmsKeyId=<the newest key AWS Config recorded for the trail${trail.changedAt ? ` before ${trail.changedAt}` : ""}>, if that key is still enabled`,
        awsCalls: 0,
      };

    const before = new Date(trail.changedAt ?? Date.now());
    const previous = await previousKmsKey(await clients.configService(), trail, before);
    let calls = previous.configReads;
    if (!previous.found)
      return {
        result: "skipped",
        action: `no KMS key to restore on ${trail.trailArn}`,
        detail: previous.reason,
        awsCalls: calls,
      };
    const key = previous.kmsKeyId;
    const source = `the trail's key in AWS Config's record of ${previous.capturedAt}`;

    // KMS answers for keys of its own Region only; a key elsewhere can't be checked, so it is not used.
    const keyRegion = /^arn:[^:]+:kms:([^:]+):/.exec(key)?.[1];
    const trailRegion = trail.trailArn.split(":")[3];
    if (keyRegion && keyRegion !== trailRegion)
      return {
        result: "skipped",
        action: `${trail.trailArn}: previous key not restored: key ${key} is in ${keyRegion}, not the trail's Region ${trailRegion ?? "?"}`,
        detail: `${source}; Vigil checks a key's state before using it, in the trail's Region only`,
        awsCalls: calls,
      };
    const usable = await keyState(await clients.kms(), key);
    calls++;
    if (!usable.usable)
      return {
        result: "skipped",
        action: `${trail.trailArn}: previous key not restored: ${usable.why}`,
        detail: `${source}; a trail can't deliver logs with a key that is not enabled`,
        awsCalls: calls,
      };

    const cloudTrail = await clients.cloudTrail();
    const now = await liveKey(cloudTrail, trail.trailArn);
    calls++;
    // Not "already-gone" for a missing trail: nothing was restored; the deletion is its own finding.
    if (now === "gone")
      return {
        result: "skipped",
        action: `trail ${trail.trailArn} no longer exists: nothing to restore (see VIGIL.CLOUDTRAIL.DELETED)`,
        awsCalls: calls,
      };
    if (now === key)
      return { result: "already-gone", action: `${trail.trailArn} already uses key ${key}`, awsCalls: calls };
    // A key set since the call is someone's decision: not overwritten with an older one.
    if (now !== null)
      return {
        result: "skipped",
        action: `${trail.trailArn} was given key ${now} since: not overwritten with ${key}`,
        awsCalls: calls,
      };

    const { UpdateTrailCommand } = await loadCloudTrail();
    calls++;
    let out;
    try {
      out = await cloudTrail.send(new UpdateTrailCommand({ Name: trail.trailArn, KmsKeyId: key }));
    } catch (error) {
      const name = errorName(error);
      if (name === "TrailNotFoundException")
        return {
          result: "skipped",
          action: `trail ${trail.trailArn} no longer exists: nothing to restore (see VIGIL.CLOUDTRAIL.DELETED)`,
          awsCalls: calls,
        };
      if (!KEY_REFUSED.has(name)) throw error;
      return {
        result: "failed",
        action: `${trail.trailArn}: CloudTrail refused key ${key} (${name})`,
        detail: `${source}; check the key policy lets cloudtrail.amazonaws.com use it`,
        awsCalls: calls,
      };
    }
    if (out.KmsKeyId !== key)
      return {
        result: "failed",
        action: `UpdateTrail ${trail.trailArn} KmsKeyId=${key} sent, but CloudTrail answered key ${out.KmsKeyId ?? "none"}`,
        awsCalls: calls,
      };
    return {
      result: "succeeded",
      action: `${trail.trailArn}: KMS key ${key} restored`,
      detail: `${source}; ${NO_UNDO}`,
      awsCalls: calls,
    };
  },
  async undo() {
    throw new Error(`${RESTORE_CLOUDTRAIL_KEY_ID}: ${NO_UNDO}`);
  },
});
