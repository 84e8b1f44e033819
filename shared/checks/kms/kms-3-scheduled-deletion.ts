import { kmsKeyReadActions } from "../../resources/kms-key/adapter";
import type { ScheduledDeletion } from "../../resources/kms-key/state";
import { defineCheck } from "../define";
import { deletionTriggers } from "./triggers";

function when(deletion: ScheduledDeletion): string {
  const window =
    deletion.pendingWindowInDays !== undefined ? ` (${deletion.pendingWindowInDays}-day waiting period)` : "";
  if (deletion.deletionDate) return `on ${deletion.deletionDate}${window}`;
  // A multi-Region primary with replicas: its waiting period starts when the last replica is deleted.
  if (deletion.keyState === "PendingReplicaDeletion") return `once its replica keys are deleted${window}`;
  return `after its waiting period${window}`;
}

/**
 * A scheduled deletion can be cancelled until the deletion date; after it, everything the key
 * encrypted is lost for good. Remediation defaults to dry-run: the deletion may be intended.
 */
export default defineCheck({
  id: "KMS.3",
  title: "AWS KMS keys should not be deleted unintentionally",
  severity: "CRITICAL",
  resourceType: "AWS::KMS::Key",
  controls: ["FSBP KMS.3"],
  description:
    "Someone scheduled a KMS key for deletion (ScheduleKeyDeletion); once deleted, data encrypted under it can never be decrypted. Confirm it is intended before the deletion date, or cancel it (CancelKeyDeletion, which leaves the key Disabled).",
  triggers: deletionTriggers,
  iamActions: kmsKeyReadActions,
  remediation: { id: "cancel-kms-key-deletion", defaultMode: "dry-run" },
  undecided: (state) =>
    state.deletion === undefined
      ? "this call does not say whether the key is scheduled for deletion"
      : undefined,
  evaluate: (state) =>
    state.deletion
      ? [
          {
            summary: `KMS key ${state.keyId} is scheduled for deletion ${when(state.deletion)}`,
            evidence: {
              keyArn: state.keyArn,
              setting: "deletion",
              scheduledAt: state.deletion.scheduledAt,
              deletionDate: state.deletion.deletionDate ?? null,
              pendingWindowInDays: state.deletion.pendingWindowInDays ?? null,
              ...(state.deletion.keyState ? { keyState: state.deletion.keyState } : {}),
            },
          },
        ]
      : [],
});
