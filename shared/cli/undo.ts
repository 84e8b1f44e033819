import type { Finding } from "../findings/model";
import { updateFinding } from "../findings/store";
import { clientsForResource } from "../pipeline/resource-clients";
import type { VigilRuntime } from "../pipeline/runtime";

/**
 * Puts back what a remediation removed, using the payload kept in the finding, then records it.
 * Runs with the operator's own credentials, so the restore shows up in CloudTrail under their name;
 * a member account's finding (organisation mode) is undone as that account's member role.
 */
export async function undo(findingId: string, runtime: VigilRuntime): Promise<string> {
  const finding = await runtime.store.get(findingId);
  if (!finding) throw new Error(`no finding ${findingId}`);
  const record = finding.remediation;
  if (record?.result === "succeeded" && !record.undo) {
    // e.g. restarting CloudTrail logging: putting back what an attacker did is not something Vigil offers.
    const why = record.detail ? `: ${record.detail}` : "";
    throw new Error(
      `finding ${findingId} was remediated (${record.action}) by a remediation without undo${why}`,
    );
  }
  if (!record?.undo || record.result !== "succeeded") {
    throw new Error(
      `finding ${findingId} has no remediation to undo (${record ? `last result: ${record.result}` : "never remediated"})`,
    );
  }
  const remediation = runtime.remediations.find((r) => r.id === record.undo?.remediationId);
  if (!remediation) throw new Error(`unknown remediation ${record.undo.remediationId}`);
  if (!runtime.remediationClients)
    throw new Error("undo needs AWS access: set AWS_REGION and credentials (or AWS_ENDPOINT_URL)");
  // In the finding's own account and Region: a member account's finding is undone as its member role.
  const access = await clientsForResource(finding.resource, runtime);
  if (!access.remediation)
    throw new Error(`cannot undo finding ${findingId}: ${access.holdBack?.reason ?? "no AWS access there"}`);
  const message = await remediation.undo(record.undo, access.remediation);

  // Every finding that shared this remediation (one revoke for EC2.19, EC2.13, …) is now undone.
  const siblings = (await runtime.store.list()).filter(
    (f) =>
      f.resource.id === finding.resource.id &&
      f.remediation?.time === record.time &&
      f.remediation.result === "succeeded" &&
      // One event can remediate a resource twice (EC2.13's revoke, EC2.2's rule removal): undo only this one.
      f.remediation.undo?.remediationId === record.undo?.remediationId,
  );
  const time = runtime.now().toISOString();
  const exempted = remediation.undoExemptsByTag !== false;
  for (const sibling of siblings) {
    await updateFinding(runtime.store, sibling.id, (current) =>
      current ? markUndone(current, time, exempted) : undefined,
    );
  }
  return `${message}\nfindings marked undone: ${siblings.map((f) => f.id).join(", ")}`;
}

function markUndone(finding: Finding, time: string, exempted: boolean): Finding {
  const remediation = finding.remediation && { ...finding.remediation, result: "undone" as const, time };
  // Without a tag nothing keeps Vigil from acting again: the violation is back and open.
  if (!exempted) {
    return {
      ...finding,
      status: "OPEN",
      remediation,
      history: [...finding.history, { from: finding.status, to: "OPEN", at: time }],
      lastSeen: time,
    };
  }
  // The restore tagged the resource exempt, so the finding is suppressed rather than open.
  return {
    ...finding,
    status: "SUPPRESSED",
    suppression: { source: "tag", reason: "restored with vigil undo" },
    remediation,
    history: [...finding.history, { from: finding.status, to: "SUPPRESSED", at: time }],
    lastSeen: time,
  };
}
