import type { Finding } from "../findings/model";
import { textTable } from "./table";

/** `vigil findings --json`: stable field names outside tools read. */
export function findingJson(f: Finding) {
  return {
    id: f.id,
    checkId: f.checkId,
    title: f.title,
    controls: f.controls,
    severity: f.severity,
    status: f.status,
    resourceId: f.resource.id,
    resourceType: f.resource.type,
    resourceArn: f.resource.arn,
    account: f.resource.account,
    region: f.resource.region,
    summary: f.summary,
    evidence: f.evidence,
    actor: f.actor ?? null,
    eventIds: f.eventIds,
    eventTime: f.eventTime ?? null,
    firstSeen: f.firstSeen,
    lastSeen: f.lastSeen,
    remediation: f.remediation ?? null,
    suppression: f.suppression ?? null,
    approval: f.approval ?? null,
    history: f.history,
  };
}

export function findingsTable(findings: readonly Finding[]): string {
  if (!findings.length) return "No findings.";
  const rows = findings.map((f) => [
    f.id,
    f.checkId,
    f.severity,
    f.status,
    f.resource.id,
    // The part of the ARN after the account: user/alice, assumed-role/ci-deploy/session.
    f.actor?.arn?.split(":").slice(5).join(":") || f.actor?.type || "-",
    f.remediation ? `${f.remediation.mode}: ${f.remediation.result}` : "-",
  ]);
  return textTable(["ID", "CHECK", "SEVERITY", "STATUS", "RESOURCE", "WHO", "REMEDIATION"], rows);
}

/** Newest first, then by check id, so the table reads the same every time. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort(
    (a, b) =>
      b.lastSeen.localeCompare(a.lastSeen) ||
      a.resource.id.localeCompare(b.resource.id) ||
      a.checkId.localeCompare(b.checkId),
  );
}
