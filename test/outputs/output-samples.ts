import { DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from "@aws-sdk/client-ec2";
import { findingId } from "../../shared/findings/id";
import type { Finding } from "../../shared/findings/model";
import { processEvent } from "../../shared/pipeline/process-event";
import type { ScanReport } from "../../shared/sweep/report";
import { loadEvent } from "../support/events";
import { revokeAnswer, testRuntime } from "../support/runtime";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const SSH_GROUP = "sg-07c1e5a9d3b2f4068";
export const BASTION_GROUP = "sg-0e1f2a3b4c5d6e7f8";
export const SSH_FINDING = "e2c8a4f6b0d2e4a6c8e0f2b4d6a8c0e2";
export const BITCOIN_FINDING = "c4a8e2f6b0d2e4a6c8e0f2b4d6a8c0f1";
export const TRAIL_ARN = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/org-audit-trail`;

export const idFor = (checkId: string, resourceId: string) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/**
 * Findings made by the real pipeline from the sample events, every lifecycle status covered:
 * REMEDIATED (world-open SSH, revoked), SUPPRESSED (tag-exempt bastion), OPEN (GuardDuty
 * bitcoin, CloudTrail logging stopped), RESOLVED (GuardDuty SSH brute force, then archived).
 */
export async function pipelineFindings(): Promise<Finding[]> {
  const t = await testRuntime();
  try {
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: SSH_GROUP, Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    for (const sample of [
      "security-group/authorize-ssh-world-ipv4.json",
      "security-group/config-item-exempt-by-tag.json",
      "guardduty-findings/ec2-ssh-bruteforce.json",
      "guardduty-findings/ec2-ssh-bruteforce-archived.json",
      "guardduty-findings/ec2-bitcoin-tool-outbound.json",
      "cloudtrail/StopLogging.json",
    ]) {
      const report = await processEvent(loadEvent(sample), t.runtime);
      if (report.outcome !== "processed") throw new Error(`${sample}: ${report.outcome}`);
    }
    const findings = await t.runtime.store.list();
    return findings.sort((a, b) => a.id.localeCompare(b.id));
  } finally {
    await t.close();
  }
}

export function reportOf(findings: Finding[]): ScanReport {
  return {
    startedAt: "2025-03-15T08:00:00.000Z",
    finishedAt: "2025-03-15T08:00:42.000Z",
    scope: { accounts: [ACCOUNT], regions: [REGION] },
    units: [],
    checks: [],
    findings,
  };
}

export function byCheck(findings: Finding[], checkId: string, resourceId: string): Finding {
  const id = idFor(checkId, resourceId);
  const found = findings.find((f) => f.id === id);
  if (!found) throw new Error(`no ${checkId} finding on ${resourceId}`);
  return found;
}
