import type { ModifyInstanceMetadataOptionsCommandInput } from "@aws-sdk/client-ec2";
import { z } from "zod";
import { loadEc2 } from "../aws/sdk";
import { undoExemptionTags } from "../exemptions/undo-tags";
import { describeInstance, isInstanceGone, tagsOf } from "../resources/ec2-instance/live";
import type { Ec2InstanceState } from "../resources/ec2-instance/state";
import type { Violation } from "../checks/define";
import { defineRemediation, type RemediationOutcome } from "./define";

export const REQUIRE_IMDSV2_ID = "require-imdsv2";

const undoParamsSchema = z.object({
  instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/),
  /** What Vigil changed HttpTokens from: the only value undo puts back. */
  httpTokens: z.literal("optional"),
  /** Checks to mark exempt on the instance before restoring, so Vigil doesn't require IMDSv2 again. */
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});
export type RequireImdsv2UndoParams = z.input<typeof undoParamsSchema>;

/**
 * Exactly one change: HttpTokens=required on the instance the violation names. HttpEndpoint=enabled
 * is sent only when it already was (as AWS's own runbook does); hop limit, IPv6 endpoint and
 * instance-metadata tags are left as they are.
 */
function requestFor(
  state: Ec2InstanceState,
  violations: Violation[],
): ModifyInstanceMetadataOptionsCommandInput | undefined {
  const flagged = violations.find(
    (v) => v.evidence.instanceId === state.instanceId && v.evidence.httpTokens === "optional",
  );
  if (!flagged) return undefined;
  return {
    InstanceId: state.instanceId,
    HttpTokens: "required",
    ...(flagged.evidence.httpEndpoint === "enabled" ? { HttpEndpoint: "enabled" } : {}),
  };
}

function describeRequest(input: ModifyInstanceMetadataOptionsCommandInput): string {
  const endpoint = input.HttpEndpoint ? ` HttpEndpoint=${input.HttpEndpoint}` : "";
  return `ModifyInstanceMetadataOptions ${input.InstanceId} HttpTokens=${input.HttpTokens}${endpoint}`;
}

export default defineRemediation<"AWS::EC2::Instance">({
  id: REQUIRE_IMDSV2_ID,
  title: "Require IMDSv2 on the instance (HttpTokens=required)",
  resourceType: "AWS::EC2::Instance",
  iamActions: ["ec2:ModifyInstanceMetadataOptions"],
  undoIamActions: ["ec2:DescribeInstances", "ec2:CreateTags", "ec2:ModifyInstanceMetadataOptions"],
  // Software on the instance that only speaks IMDSv1 (old SDKs and agents) loses its metadata and credentials.
  disruptive: true,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const input = requestFor(state, violations);
    if (!input) return { result: "skipped", action: "no instance allowing IMDSv1 to change", awsCalls: 0 };
    if (dryRun) return { result: "planned", action: describeRequest(input), awsCalls: 0 };

    const [ec2, { ModifyInstanceMetadataOptionsCommand }] = await Promise.all([clients.ec2(), loadEc2()]);
    let tokens: string | undefined;
    try {
      const out = await ec2.send(new ModifyInstanceMetadataOptionsCommand(input));
      tokens = out.InstanceMetadataOptions?.HttpTokens;
    } catch (error) {
      if (!isInstanceGone(error)) throw error;
      return {
        result: "already-gone",
        action: `nothing to do: instance ${state.instanceId} no longer exists`,
        awsCalls: 1,
      };
    }
    // EC2 answers with the options the instance now has ("pending" until applied): only `required` is proof.
    if (tokens !== "required") {
      return {
        result: "failed",
        action: `IMDSv2 not confirmed on ${state.instanceId}`,
        detail: `EC2 answered HttpTokens=${String(tokens)} for ${state.instanceId}`,
        awsCalls: 1,
      };
    }
    return {
      result: "succeeded",
      action: `${describeRequest(input)}: IMDSv1 is off on ${state.instanceId}`,
      undo: {
        remediationId: REQUIRE_IMDSV2_ID,
        params: { instanceId: state.instanceId, httpTokens: "optional" } satisfies RequireImdsv2UndoParams,
      },
      awsCalls: 1,
    };
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const { instanceId } = params;
    const [ec2, { CreateTagsCommand, ModifyInstanceMetadataOptionsCommand }] = await Promise.all([
      clients.ec2(),
      loadEc2(),
    ]);
    const gone = (cause?: unknown) =>
      new Error(`instance ${instanceId} no longer exists: nothing to restore`, { cause });
    let exempted = "";
    if (params.exemptChecks.length) {
      // Tag first: the restore's own event must find the instance exempt, or Vigil would require IMDSv2 again.
      const instance = await describeInstance(ec2, instanceId);
      if (!instance) throw gone();
      const { tags, summary } = undoExemptionTags(
        tagsOf(instance),
        params.exemptChecks,
        params.exemptionTagKey,
      );
      await ec2.send(
        new CreateTagsCommand({
          Resources: [instanceId],
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      exempted = `; ${instanceId} ${summary}`;
    }
    try {
      // Only HttpTokens goes back: the endpoint was enabled before and Vigil left it enabled.
      await ec2.send(
        new ModifyInstanceMetadataOptionsCommand({ InstanceId: instanceId, HttpTokens: "optional" }),
      );
    } catch (error) {
      if (isInstanceGone(error)) throw gone(error);
      throw error;
    }
    return `restored on ${instanceId}: HttpTokens=optional (IMDSv1 allowed again)${exempted}`;
  },
});
