import { z } from "zod";
import { loadEcr } from "../aws/sdk";
import { isRepositoryGone } from "../resources/ecr-repository/live";
import { undoExemptionTags } from "../exemptions/undo-tags";
import { readRepositoryTags } from "../resources/ecr-repository/live";
import { defineRemediation, type RemediationOutcome } from "./define";

export const ENABLE_SCAN_ON_PUSH_ID = "enable-ecr-scan-on-push";

const undoParamsSchema = z.object({
  registryId: z.string().regex(/^\d{12}$/),
  repositoryName: z.string().min(1),
  repositoryArn: z.string().startsWith("arn:"),
  /** Checks to mark exempt on the repository before restoring, so Vigil doesn't turn scanning on again. */
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});
export type EnableScanOnPushUndoParams = z.input<typeof undoParamsSchema>;

/**
 * Turns on scan-on-push for exactly the flagged repository (`PutImageScanningConfiguration` in its
 * registry). Under ENHANCED registry scanning the repository flag does nothing (the registry's
 * rules decide), so Vigil then changes nothing and says what would help instead.
 */
export default defineRemediation({
  id: ENABLE_SCAN_ON_PUSH_ID,
  title: "Turn scan-on-push on for the repository",
  resourceType: "AWS::ECR::Repository",
  iamActions: ["ecr:PutImageScanningConfiguration"],
  undoIamActions: ["ecr:ListTagsForResource", "ecr:TagResource", "ecr:PutImageScanningConfiguration"],
  disruptive: false,
  async apply({ state, dryRun }, clients): Promise<RemediationOutcome> {
    const { registryId, repositoryName, repositoryArn } = state;
    const where = `${repositoryName} (registry ${registryId})`;
    if (state.registryScanning?.scanType === "ENHANCED") {
      return {
        result: "skipped",
        action: `not changed: ${where} is in a registry with ENHANCED scanning, where the repository's scan-on-push has no effect; add a registry scanning rule whose filter matches it`,
        awsCalls: 0,
      };
    }
    if (dryRun) return { result: "planned", action: `would turn scan-on-push on for ${where}`, awsCalls: 0 };

    const [ecr, { PutImageScanningConfigurationCommand }] = await Promise.all([clients.ecr(), loadEcr()]);
    let confirmed: boolean | undefined;
    try {
      const out = await ecr.send(
        new PutImageScanningConfigurationCommand({
          registryId,
          repositoryName,
          imageScanningConfiguration: { scanOnPush: true },
        }),
      );
      confirmed = out.imageScanningConfiguration?.scanOnPush;
    } catch (error) {
      if (!isRepositoryGone(error)) throw error;
      return {
        result: "already-gone",
        action: `nothing to do: repository ${where} no longer exists`,
        awsCalls: 1,
      };
    }
    // ECR answers with the configuration it now has: only `true` is proof.
    if (confirmed !== true) {
      return {
        result: "failed",
        action: `scan-on-push not confirmed for ${where}`,
        detail: `ECR answered scanOnPush=${String(confirmed)} for ${where}`,
        awsCalls: 1,
      };
    }
    return {
      result: "succeeded",
      action: `turned scan-on-push on for ${where}`,
      undo: {
        remediationId: ENABLE_SCAN_ON_PUSH_ID,
        params: { registryId, repositoryName, repositoryArn } satisfies EnableScanOnPushUndoParams,
      },
      awsCalls: 1,
    };
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const { registryId, repositoryName, repositoryArn } = params;
    const [ecr, { PutImageScanningConfigurationCommand, TagResourceCommand }] = await Promise.all([
      clients.ecr(),
      loadEcr(),
    ]);
    let exempted = "";
    try {
      if (params.exemptChecks.length) {
        // Tag first: the restore's own event must find the repository exempt, or Vigil would undo it again.
        const current = await readRepositoryTags(ecr, repositoryArn);
        const { tags, summary } = undoExemptionTags(current, params.exemptChecks, params.exemptionTagKey);
        await ecr.send(
          new TagResourceCommand({
            resourceArn: repositoryArn,
            tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
          }),
        );
        exempted = `; ${repositoryName} ${summary}`;
      }
      await ecr.send(
        new PutImageScanningConfigurationCommand({
          registryId,
          repositoryName,
          imageScanningConfiguration: { scanOnPush: false },
        }),
      );
    } catch (error) {
      if (!isRepositoryGone(error)) throw error;
      throw new Error(
        `repository ${repositoryName} (registry ${registryId}) no longer exists: nothing to restore`,
        {
          cause: error,
        },
      );
    }
    return `restored on ${repositoryName} (registry ${registryId}): scan-on-push off${exempted}`;
  },
});
