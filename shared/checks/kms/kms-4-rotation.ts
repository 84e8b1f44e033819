import { kmsKeyReadActions } from "../../resources/kms-key/adapter";
import { whyRotationDoesNotApply } from "../../resources/kms-key/rotation-support";
import type { KmsKeyState } from "../../resources/kms-key/state";
import { defineCheck } from "../define";
import { rotationTriggers } from "./triggers";

/** Why KMS.4 can't judge the key from this state, or undefined when it can (on, off, or not applicable). */
function undecided(state: KmsKeyState): string | undefined {
  if (state.unreadable) return `the key could not be read: ${state.unreadable}`;
  if (state.rotation?.enabled === true) return undefined;
  if (state.key && whyRotationDoesNotApply(state.key)) return undefined;
  if (!state.rotation) return "this call does not say whether the key rotates";
  if (!state.key) return "the kind of key (whether rotation applies) is not known";
  return undefined;
}

/** Symmetric encryption customer managed keys only (FSBP KMS.4, CIS 3.6); others are not applicable. */
export default defineCheck({
  id: "KMS.4",
  title: "AWS KMS key rotation should be enabled",
  severity: "MEDIUM",
  resourceType: "AWS::KMS::Key",
  controls: ["SecurityHub KMS.4", "CIS 3.6"],
  description:
    "Automatic rotation of the key's material is off, so the same material protects data for ever. Vigil turns it back on (EnableKeyRotation, keeping the rotation period KMS reports); earlier material is kept, so nothing encrypted before is lost.",
  triggers: rotationTriggers,
  iamActions: kmsKeyReadActions,
  remediation: { id: "enable-kms-key-rotation", defaultMode: "auto" },
  undecided,
  evaluate: (state) => {
    if (!state.key || whyRotationDoesNotApply(state.key) || state.rotation?.enabled !== false) return [];
    return [
      {
        summary: `automatic rotation is off on KMS key ${state.keyId}`,
        evidence: {
          keyArn: state.keyArn,
          setting: "rotation",
          rotationEnabled: false,
          keySpec: state.key.keySpec,
          keyState: state.key.keyState,
        },
      },
    ];
  },
});
