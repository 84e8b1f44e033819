import type { EC2Client, Instance } from "@aws-sdk/client-ec2";
import { z } from "zod";
import { errorName } from "../aws/errors";
import { loadEc2 } from "../aws/sdk";
import type { Violation } from "../checks/define";
import { QUARANTINE_INSTANCE_ID } from "../checks/guardduty-findings/quarantine-plan";
import { defineRemediation, type RemediationOutcome } from "./define";

/**
 * GuardDuty's optional EC2 response: the instance's security groups are replaced by the quarantine
 * group (ModifyInstanceAttribute Groups=[quarantine]), which cuts its traffic except what that group
 * allows. Only single-interface instances: ModifyInstanceAttribute sets the primary interface's
 * groups and fails on an instance with several, whose interfaces may even sit in different VPCs,
 * so those are left to a person (the finding says why). Undo puts back exactly the groups it
 * replaced and tags the instance opted out, so the finding's next republication leaves it alone.
 */

const planSchema = z.discriminatedUnion("eligible", [
  z.object({
    eligible: z.literal(true),
    instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/),
    securityGroupId: z.string().regex(/^sg-[0-9a-f]{8,17}$/),
    optOutTagKey: z.string().min(1).max(128),
  }),
  z.object({ eligible: z.literal(false), reason: z.string() }),
]);
type Plan = z.infer<typeof planSchema>;

const undoParamsSchema = z.object({
  instanceId: z.string().regex(/^i-[0-9a-f]{8,17}$/),
  quarantineGroupId: z.string(),
  optOutTagKey: z.string().min(1).max(128),
  /** The groups each interface had before, to put back exactly (one interface: see above). */
  networkInterfaces: z
    .array(z.object({ networkInterfaceId: z.string(), groups: z.array(z.string()).min(1) }))
    .length(1),
});
export type QuarantineUndoParams = z.infer<typeof undoParamsSchema>;

/** The violation's plan (see checks/guardduty-findings/quarantine-plan.ts); unreadable evidence quarantines nothing. */
function planOf(violations: readonly Violation[]): Plan {
  const plans = violations.map((v) => planSchema.safeParse(v.evidence.quarantine));
  const eligible = plans.find((p) => p.success && p.data.eligible);
  if (eligible?.success) return eligible.data;
  const first = plans.find((p) => p.success);
  return first?.success ? first.data : { eligible: false, reason: "no quarantine plan in the finding" };
}

const skipped = (reason: string, awsCalls = 0): RemediationOutcome => ({
  result: "skipped",
  action: `no quarantine: ${reason}`,
  awsCalls,
});

async function liveInstance(ec2: EC2Client, instanceId: string): Promise<Instance | undefined> {
  const { DescribeInstancesCommand } = await loadEc2();
  try {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  } catch (error) {
    if (errorName(error) === "InvalidInstanceID.NotFound") return undefined;
    throw error;
  }
}

export default defineRemediation({
  id: QUARANTINE_INSTANCE_ID,
  title: "Move the EC2 instance of a GuardDuty finding to the quarantine security group",
  resourceType: "AWS::GuardDuty::Finding",
  iamActions: ["ec2:DescribeInstances", "ec2:ModifyInstanceAttribute"],
  undoIamActions: ["ec2:CreateTags", "ec2:ModifyInstanceAttribute"],
  // Cuts the instance off: dry-run unless configured otherwise.
  disruptive: true,
  // Undo tags the instance, not the finding: the threat is still open.
  undoExemptsByTag: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const plan = planOf(violations);
    if (!plan.eligible) return skipped(plan.reason);
    // The plan already says so; a sample finding must never move a real instance, whatever the evidence says.
    if (state.sample) return skipped("sample finding: never quarantined");
    const { instanceId, securityGroupId, optOutTagKey } = plan;
    if (dryRun) {
      const seen = state.resource.instance?.networkInterfaces[0];
      const from = seen
        ? ` (now ${seen.securityGroupIds.join(", ") || "no groups"} on ${seen.networkInterfaceId})`
        : "";
      return {
        result: "planned",
        action: `ModifyInstanceAttribute ${instanceId} Groups=${securityGroupId}${from}`,
        awsCalls: 0,
      };
    }
    const ec2 = await clients.ec2();
    const instance = await liveInstance(ec2, instanceId);
    const instanceState = instance?.State?.Name;
    if (!instance || instanceState === "terminated" || instanceState === "shutting-down")
      return skipped(`${instanceId} no longer exists`, 1);
    if ((instance.Tags ?? []).some((t) => t.Key === optOutTagKey))
      return skipped(`${instanceId} is tagged ${optOutTagKey} (opted out of quarantine)`, 1);
    const interfaces = instance.NetworkInterfaces ?? [];
    const [primary] = interfaces;
    if (interfaces.length !== 1 || !primary?.NetworkInterfaceId)
      return skipped(
        `${instanceId} has ${interfaces.length} network interfaces: quarantine it by hand (ModifyNetworkInterfaceAttribute per interface)`,
        1,
      );
    const groups = (primary.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : []));
    if (groups.length === 1 && groups[0] === securityGroupId) {
      return {
        result: "already-gone",
        action: `${instanceId} is already in quarantine group ${securityGroupId}`,
        awsCalls: 1,
      };
    }
    if (!groups.length) return skipped(`could not read the security groups of ${instanceId}`, 1);
    const { ModifyInstanceAttributeCommand } = await loadEc2();
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, Groups: [securityGroupId] }));
    return {
      result: "succeeded",
      action: `moved ${instanceId} (${primary.NetworkInterfaceId}) from ${groups.join(", ")} to quarantine group ${securityGroupId}`,
      undo: {
        remediationId: QUARANTINE_INSTANCE_ID,
        params: {
          instanceId,
          quarantineGroupId: securityGroupId,
          optOutTagKey,
          networkInterfaces: [{ networkInterfaceId: primary.NetworkInterfaceId, groups }],
        } satisfies QuarantineUndoParams,
      },
      awsCalls: 2,
    };
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const [ec2, { CreateTagsCommand, ModifyInstanceAttributeCommand }] = await Promise.all([
      clients.ec2(),
      loadEc2(),
    ]);
    // Tag first: the finding's next republication must find the instance opted out, or Vigil would quarantine it again.
    await ec2.send(
      new CreateTagsCommand({
        Resources: [params.instanceId],
        Tags: [{ Key: params.optOutTagKey, Value: "restored with vigil undo" }],
      }),
    );
    const restored: string[] = [];
    for (const ni of params.networkInterfaces) {
      await ec2.send(
        new ModifyInstanceAttributeCommand({ InstanceId: params.instanceId, Groups: ni.groups }),
      );
      restored.push(`${ni.networkInterfaceId}: ${ni.groups.join(", ")}`);
    }
    return `restored on ${params.instanceId}: security groups ${restored.join("; ")} (was quarantine group ${params.quarantineGroupId}); tagged ${params.optOutTagKey} so Vigil won't quarantine it again`;
  },
});
