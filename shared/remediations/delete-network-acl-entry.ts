import { z } from "zod";
import { errorName } from "../aws/errors";
import { loadEc2 } from "../aws/sdk";
import { undoExemptionTags } from "../exemptions/undo-tags";
import { createEntryInput } from "../resources/network-acl/api-input";
import { describeEntry, entryKey } from "../resources/network-acl/entry";
import { worldOpenIngress } from "../resources/network-acl/exposure";
import { liveNetworkAcl } from "../resources/network-acl/from-ec2-api";
import { aclEntrySchema, type AclEntry, type NetworkAclState } from "../resources/network-acl/state";
import { defineRemediation, type RemediationOutcome } from "./define";

export const DELETE_NACL_ENTRY_ID = "delete-network-acl-entry";

const exposureSchema = z.object({ protocol: z.enum(["tcp", "udp"]), port: z.number().int() });
const evidenceSchema = z.looseObject({
  entry: aclEntrySchema,
  exposures: z.array(exposureSchema).min(1),
});
type Offending = z.infer<typeof evidenceSchema>;

const undoParamsSchema = z.object({
  networkAclId: z.string(),
  entries: z.array(aclEntrySchema).min(1),
  /** Checks to mark exempt on the ACL before restoring, so Vigil doesn't delete the entry again. */
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});
export type DeleteEntryUndoParams = z.input<typeof undoParamsSchema>;

/** The ingress entries the violations name, once each (several checks may name the same one). */
function offendingEntries(evidence: Record<string, unknown>[]): Offending[] {
  const found = new Map<string, Offending>();
  for (const item of evidence) {
    const parsed = evidenceSchema.safeParse(item);
    if (parsed.success && !parsed.data.entry.egress) found.set(entryKey(parsed.data.entry), parsed.data);
  }
  return [...found.values()];
}

/** What to do with each offending entry, judged on the ACL as it is now. */
export interface DeletePlan {
  /** Unchanged and still letting the internet in: delete (the live definition, for undo). */
  remove: AclEntry[];
  /** No entry with that number any more. */
  gone: AclEntry[];
  /** Same number, different definition: someone changed the ACL after the event. */
  changed: { wanted: AclEntry; now: AclEntry }[];
  /** Unchanged but now behind an entry that decides the same traffic first. */
  shadowed: AclEntry[];
}

/** Pure: compares each offending entry with the live ACL and re-judges it there. */
export function planDeletes(wanted: readonly Offending[], live: NetworkAclState): DeletePlan {
  const plan: DeletePlan = { remove: [], gone: [], changed: [], shadowed: [] };
  const ports = [...new Set(wanted.flatMap((w) => w.exposures.map((e) => e.port)))];
  const open = worldOpenIngress(live.entries, ports);
  for (const { entry, exposures } of wanted) {
    const now = live.entries.find((e) => !e.egress && e.ruleNumber === entry.ruleNumber);
    if (!now) plan.gone.push(entry);
    else if (entryKey(now) !== entryKey(entry)) plan.changed.push({ wanted: entry, now });
    else {
      const still = open.find((o) => entryKey(o.entry) === entryKey(now));
      const exposing = still?.exposures.some((s) =>
        exposures.some((e) => e.protocol === s.protocol && e.port === s.port),
      );
      (exposing ? plan.remove : plan.shadowed).push(now);
    }
  }
  return plan;
}

const list = (entries: readonly AclEntry[]) => entries.map(describeEntry).join("; ");

export default defineRemediation({
  id: DELETE_NACL_ENTRY_ID,
  title: "Delete exactly the offending inbound network ACL entry, by rule number",
  resourceType: "AWS::EC2::NetworkAcl",
  iamActions: ["ec2:DeleteNetworkAclEntry", "ec2:DescribeNetworkAcls"],
  undoIamActions: ["ec2:CreateNetworkAclEntry", "ec2:CreateTags", "ec2:DescribeNetworkAcls"],
  // A network ACL guards whole subnets: removing an entry can cut traffic that relied on it.
  disruptive: true,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const aclId = state.networkAclId;
    const wanted = offendingEntries(violations.map((v) => v.evidence));
    if (!wanted.length) return { result: "skipped", action: "no network ACL entry to delete", awsCalls: 0 };
    if (dryRun) {
      return {
        result: "planned",
        action: `delete from ${aclId}: ${list(wanted.map((w) => w.entry))}`,
        awsCalls: 0,
      };
    }
    const ec2 = await clients.ec2();
    // Re-read first: an entry is deleted by number, and the number may now hold another entry.
    const live = await liveNetworkAcl(ec2, aclId);
    if (!live)
      return { result: "already-gone", action: `network ACL ${aclId} no longer exists`, awsCalls: 1 };
    const plan = planDeletes(wanted, live);
    if (plan.changed.length) {
      const changes = plan.changed.map((c) => `${describeEntry(c.wanted)} is now ${describeEntry(c.now)}`);
      return {
        result: "skipped",
        action: `nothing deleted from ${aclId}: the ACL changed since the event (${changes.join("; ")})`,
        detail:
          "the change's own event is judged on its own; delete the entry by hand if it still exposes SSH/RDP",
        awsCalls: 1,
      };
    }
    const { DeleteNetworkAclEntryCommand } = await loadEc2();
    const deleted: AclEntry[] = [];
    let awsCalls = 1;
    for (const entry of plan.remove) {
      awsCalls++;
      try {
        await ec2.send(
          new DeleteNetworkAclEntryCommand({
            NetworkAclId: aclId,
            RuleNumber: entry.ruleNumber,
            Egress: false,
          }),
        );
        deleted.push(entry);
      } catch (error) {
        // Removed by someone else in between: the exposure is gone all the same.
        if (errorName(error) !== "InvalidNetworkAclEntry.NotFound") throw error;
        plan.gone.push(entry);
      }
    }
    const notes = [
      ...(plan.gone.length ? [`already gone: ${list(plan.gone)}`] : []),
      ...(plan.shadowed.length
        ? [`now shadowed by a lower-numbered entry, left alone: ${list(plan.shadowed)}`]
        : []),
    ];
    const detail = notes.length ? { detail: notes.join("; ") } : {};
    if (!deleted.length) {
      return { result: "already-gone", action: `nothing to delete from ${aclId}`, ...detail, awsCalls };
    }
    return {
      result: "succeeded",
      action: `deleted from ${aclId}: ${list(deleted)}`,
      ...detail,
      undo: {
        remediationId: DELETE_NACL_ENTRY_ID,
        params: { networkAclId: aclId, entries: deleted } satisfies DeleteEntryUndoParams,
      },
      awsCalls,
    };
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const aclId = params.networkAclId;
    const [ec2, { CreateNetworkAclEntryCommand, CreateTagsCommand }] = await Promise.all([
      clients.ec2(),
      loadEc2(),
    ]);
    const live = await liveNetworkAcl(ec2, aclId);
    if (!live) throw new Error(`network ACL ${aclId} no longer exists: nothing to restore`);
    const missing: AclEntry[] = [];
    const present: AclEntry[] = [];
    const taken: string[] = [];
    for (const entry of params.entries) {
      const now = live.entries.find((e) => e.egress === entry.egress && e.ruleNumber === entry.ruleNumber);
      if (!now) missing.push(entry);
      else if (entryKey(now) === entryKey(entry)) present.push(entry);
      else taken.push(`rule ${entry.ruleNumber} now holds ${describeEntry(now)}`);
    }
    // Never overwrite: an entry someone put in that number since is theirs.
    if (taken.length) {
      throw new Error(
        `not restored on ${aclId}: ${taken.join("; ")}; free the rule number(s), then run undo again`,
      );
    }
    let exempted = "";
    if (params.exemptChecks.length) {
      // Tag first: the re-create event must find the ACL exempt, or Vigil would delete the entry again.
      const { tags, summary } = undoExemptionTags(
        live.tags ?? {},
        params.exemptChecks,
        params.exemptionTagKey,
      );
      await ec2.send(
        new CreateTagsCommand({
          Resources: [aclId],
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      exempted = `; ${aclId} ${summary}`;
    }
    for (const entry of missing)
      await ec2.send(new CreateNetworkAclEntryCommand(createEntryInput(aclId, entry)));
    const restored = [
      ...missing.map(describeEntry),
      ...present.map((e) => `${describeEntry(e)} (already present)`),
    ];
    return `restored on ${aclId}: ${restored.join("; ")}${exempted}`;
  },
});
