import type { KMSClient } from "@aws-sdk/client-kms";
import { errorName } from "../aws/errors";
import { loadKms } from "../aws/sdk";
import { clientRegion } from "../resources/kms-key/live";
import { defineRemediation, type RemediationOutcome } from "./define";

export const ENABLE_KEY_ROTATION_ID = "enable-kms-key-rotation";

/**
 * Why there is no undo: rotation keeps every earlier key material, so turning it on loses nothing
 * and breaks nothing; turning it off again only weakens the key. Whoever really wants it off does
 * it themselves, after exempting the key (tag `vigil:exempt`) or the check in config.
 */
const NO_UNDO =
  "not undoable by design: Vigil never turns key rotation off (rotation keeps earlier key material, nothing is lost); do it yourself after exempting the key, if it is really intended";

/** KMS's refusals that no retry fixes: the key is gone, disabled, pending deletion or of a kind that can't rotate. */
const REFUSED = new Set([
  "NotFoundException",
  "DisabledException",
  "KMSInvalidStateException",
  "UnsupportedOperationException",
]);

/** Reads the rotation period first (kept when KMS reports one), then turns rotation on. */
async function enableRotation(kms: KMSClient, keyArn: string): Promise<RemediationOutcome> {
  const { EnableKeyRotationCommand, GetKeyRotationStatusCommand } = await loadKms();
  let calls = 0;
  try {
    calls++;
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyArn }));
    if (status.KeyRotationEnabled === true)
      return { result: "already-gone", action: `rotation is already on for ${keyArn}`, awsCalls: calls };
    const period = status.RotationPeriodInDays;
    calls++;
    await kms.send(
      new EnableKeyRotationCommand({
        KeyId: keyArn,
        ...(period !== undefined ? { RotationPeriodInDays: period } : {}),
      }),
    );
    return {
      result: "succeeded",
      action: `${keyArn}: automatic rotation on (${period !== undefined ? `every ${period} days, as before` : "KMS's default period, 365 days"})`,
      detail: NO_UNDO,
      awsCalls: calls,
    };
  } catch (error) {
    const name = errorName(error);
    if (!REFUSED.has(name)) throw error;
    return {
      result: "skipped",
      action: `KMS refused to turn rotation on for ${keyArn} (${name})`,
      awsCalls: calls,
    };
  }
}

export default defineRemediation<"AWS::KMS::Key">({
  id: ENABLE_KEY_ROTATION_ID,
  title: "Turn automatic rotation of the KMS key's material back on",
  resourceType: "AWS::KMS::Key",
  iamActions: ["kms:EnableKeyRotation", "kms:GetKeyRotationStatus"],
  undoIamActions: [],
  disruptive: false,
  async apply({ state, dryRun }, clients): Promise<RemediationOutcome> {
    if (state.outOfScope)
      return { result: "skipped", action: `not remediated: ${state.outOfScope}`, awsCalls: 0 };
    // KMS changes rotation only on an enabled key: a disabled one is reported until it is enabled.
    if (state.key && state.key.keyState !== "Enabled") {
      return {
        result: "skipped",
        action: `not remediated: key ${state.keyArn} is ${state.key.keyState}; KMS changes rotation only on enabled keys`,
        awsCalls: 0,
      };
    }
    if (dryRun) {
      return {
        result: "planned",
        action: `EnableKeyRotation ${state.keyArn} (keeping the rotation period GetKeyRotationStatus reports)`,
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
    return enableRotation(kms, state.keyArn);
  },
  async undo() {
    throw new Error(`${ENABLE_KEY_ROTATION_ID}: ${NO_UNDO}`);
  },
});
