import type { EKSClient } from "@aws-sdk/client-eks";
import { z } from "zod";
import { errorName } from "../aws/errors";
import { loadEks } from "../aws/sdk";
import { undoExemptionTags } from "../exemptions/undo-tags";
import { isGone, readClusterTags } from "../resources/eks-cluster/live";
import { defineRemediation, type RemediationOutcome } from "./define";

export const ENABLE_EKS_AUDIT_LOGGING_ID = "enable-eks-audit-logging";

const undoParamsSchema = z.object({
  clusterName: z.string().min(1),
  clusterArn: z.string().startsWith("arn:"),
  region: z.string().min(1),
  /** Checks to mark exempt on the cluster before turning audit logging off, so Vigil doesn't turn it on again. */
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});
export type EnableEksAuditLoggingUndoParams = z.input<typeof undoParamsSchema>;

/** Only the `audit` type: EKS leaves the types a logging update doesn't name as they are. */
const auditLogging = (enabled: boolean) => ({ clusterLogging: [{ types: ["audit" as const], enabled }] });

/** The client's Region, when it can say: a cluster of the same name elsewhere is another cluster. */
async function clientRegion(eks: EKSClient): Promise<string | undefined> {
  const region: unknown = eks.config.region;
  if (typeof region === "function") return String(await (region as () => Promise<string>)());
  return typeof region === "string" ? region : undefined;
}

/** EKS runs one update at a time: retry once the update in progress (often the very one that turned audit off) ends. */
function retryLater(cluster: string, error: unknown): Error {
  return Object.assign(
    new Error(
      `cluster ${cluster} has an update in progress; audit logging is turned on when the event is retried`,
      {
        cause: error,
      },
    ),
    { $retryable: {} },
  );
}

/** One UpdateClusterConfig naming only `audit`; `target` is also what undo needs. */
async function turnAuditOn(
  eks: EKSClient,
  target: EnableEksAuditLoggingUndoParams,
): Promise<RemediationOutcome> {
  const name = target.clusterName;
  const { UpdateClusterConfigCommand } = await loadEks();
  try {
    const out = await eks.send(new UpdateClusterConfigCommand({ name, logging: auditLogging(true) }));
    const update = out.update;
    if (!update?.id || update.status === "Failed" || update.status === "Cancelled") {
      return {
        result: "failed",
        action: `EKS did not accept the logging update for ${name}`,
        detail: `update ${update?.id ?? "(no id)"} is ${update?.status ?? "unknown"}`,
        awsCalls: 1,
      };
    }
    return {
      result: "succeeded",
      action: `${name}: audit logging turned on (EKS update ${update.id}, ${update.status ?? "InProgress"}); other log types unchanged`,
      undo: { remediationId: ENABLE_EKS_AUDIT_LOGGING_ID, params: target },
      awsCalls: 1,
    };
  } catch (error) {
    const code = errorName(error);
    if (isGone(error))
      return {
        result: "already-gone",
        action: `nothing to do: cluster ${name} no longer exists`,
        awsCalls: 1,
      };
    // EKS refuses an update that changes nothing: audit logging is already on.
    if (code === "InvalidParameterException" && /no changes needed/i.test((error as Error).message))
      return { result: "already-gone", action: `audit logging is already on for ${name}`, awsCalls: 1 };
    if (code === "ResourceInUseException") throw retryLater(name, error);
    throw error;
  }
}

/**
 * Turns the `audit` control-plane log type on for exactly the flagged cluster, never touching the
 * other types. Default dry-run: the log group's ingestion and storage are billed to the account.
 */
export default defineRemediation<"AWS::EKS::Cluster">({
  id: ENABLE_EKS_AUDIT_LOGGING_ID,
  title: "Turn the EKS cluster's audit logging on",
  resourceType: "AWS::EKS::Cluster",
  iamActions: ["eks:UpdateClusterConfig"],
  undoIamActions: ["eks:ListTagsForResource", "eks:TagResource", "eks:UpdateClusterConfig"],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const { clusterName, clusterArn, region } = state;
    if (!violations.some((v) => v.evidence.setting === "logging" && v.evidence.logType === "audit"))
      return { result: "skipped", action: "no audit-logging violation to fix", awsCalls: 0 };
    if (dryRun) {
      return {
        result: "planned",
        action: `UpdateClusterConfig ${clusterName} logging.clusterLogging=[{types:["audit"],enabled:true}] (other log types unchanged)`,
        awsCalls: 0,
      };
    }
    const eks = await clients.eks();
    const acting = await clientRegion(eks);
    if (acting !== undefined && acting !== region) {
      return {
        result: "skipped",
        action: `not remediated: cluster ${clusterName} is in ${region}, Vigil's client acts in ${acting}`,
        awsCalls: 0,
      };
    }
    return turnAuditOn(eks, { clusterName, clusterArn, region });
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const { clusterName, clusterArn } = params;
    const [eks, { TagResourceCommand, UpdateClusterConfigCommand }] = await Promise.all([
      clients.eks(),
      loadEks(),
    ]);
    let exempted = "";
    try {
      if (params.exemptChecks.length) {
        // Tag first: the restore's own event must find the cluster exempt, or Vigil would undo it again.
        const current = await readClusterTags(eks, clusterArn);
        const { tags, summary } = undoExemptionTags(current, params.exemptChecks, params.exemptionTagKey);
        await eks.send(new TagResourceCommand({ resourceArn: clusterArn, tags }));
        exempted = `; ${clusterName} ${summary}`;
      }
      await eks.send(new UpdateClusterConfigCommand({ name: clusterName, logging: auditLogging(false) }));
    } catch (error) {
      if (!isGone(error)) throw error;
      throw new Error(`cluster ${clusterName} no longer exists: nothing to restore`, { cause: error });
    }
    return `restored on ${clusterName}: audit logging off${exempted}`;
  },
});
