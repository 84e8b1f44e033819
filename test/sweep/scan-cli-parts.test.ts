import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { parseScanArgs, UsageError } from "../../shared/cli/scan-args";
import { scanProgress } from "../../shared/cli/scan-progress";
import { failsOn, scanSummary } from "../../shared/cli/scan-summary";
import type { Finding } from "../../shared/findings/model";
import type { ScanReport, SweepUnitResult } from "../../shared/sweep/report";

describe("scan arguments", () => {
  it("takes lists after --region and --checks, repeated or comma-separated", () => {
    const args = parseScanArgs([
      "--region",
      "eu-west-1",
      "us-east-1",
      "--checks",
      "EC2.13,EC2.2",
      "--checks",
      "S3.1",
      "--fail-on",
      "high",
      "--remediate",
    ]);
    expect(args).toMatchObject({
      regions: ["eu-west-1", "us-east-1"],
      checkIds: ["EC2.13", "EC2.2", "S3.1"],
      format: "table",
      failOn: "HIGH",
      remediate: true,
    });
    expect(parseScanArgs([])).toMatchObject({ regions: [], checkIds: [], remediate: false });
    expect(parseScanArgs([]).failOn).toBeUndefined();
  });

  it.each([
    [["stray"], 'unexpected argument "stray"'],
    [["--region", "us-east-1", "EC2.13"], '--region: "EC2.13" is no AWS Region name'],
    [["--format", "xml"], "--format must be one of"],
    [["--fail-on", "severe"], "--fail-on must be one of"],
    [["--account", "1234"], "--account must be a 12-digit account id"],
    [["--concurrency", "0"], "--concurrency must be an integer from 1 to 64"],
    [["--bogus"], "Unknown option '--bogus'"],
    [["--region", "us-east-1", "--", "x"], 'unexpected argument "x"'],
  ])("rejects %j as a usage error", (argv, message) => {
    expect(() => parseScanArgs(argv)).toThrow(UsageError);
    expect(() => parseScanArgs(argv)).toThrow(message);
  });
});

const unit = (outcome: SweepUnitResult["outcome"], error?: string): SweepUnitResult => ({
  account: "111122223333",
  region: "us-east-1",
  resourceType: "AWS::EC2::SecurityGroup",
  outcome,
  resources: 4,
  deletedResources: 0,
  durationMs: 12,
  ...(error ? { error } : {}),
});

function finding(checkId: string, severity: Finding["severity"], status: Finding["status"]): Finding {
  return {
    id: `vf-${checkId}-${status}`,
    checkId,
    title: checkId,
    controls: [],
    severity,
    resource: {
      type: "AWS::EC2::SecurityGroup",
      id: "sg-0a11ce0000000000a",
      arn: "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a11ce0000000000a",
      account: "111122223333",
      region: "us-east-1",
    },
    status,
    evidence: [],
    summary: `${checkId} fails`,
    eventIds: [],
    firstSeen: "2025-03-11T14:00:00.000Z",
    lastSeen: "2025-03-11T14:00:00.000Z",
    history: [],
    version: 1,
  };
}

const report = (findings: Finding[], units = [unit("completed")]): ScanReport => ({
  startedAt: "2025-03-11T14:00:00.000Z",
  finishedAt: "2025-03-11T14:00:05.000Z",
  scope: { accounts: ["111122223333"], regions: ["us-east-1"] },
  units,
  checks: [
    {
      checkId: "EC2.13",
      title: "SSH",
      severity: "HIGH",
      controls: ["SecurityHub EC2.13"],
      resourceType: "AWS::EC2::SecurityGroup",
      evaluated: 4,
      failed: findings.filter((f) => f.checkId === "EC2.13" && f.status === "OPEN").length,
      suppressed: 0,
    },
  ],
  findings,
});

describe("scan summary and --fail-on", () => {
  it("trips only on OPEN findings at or above the threshold", () => {
    const r = report([finding("EC2.13", "HIGH", "OPEN"), finding("EC2.19", "CRITICAL", "SUPPRESSED")]);
    expect(failsOn(r, undefined)).toBe(false);
    expect(failsOn(r, "HIGH")).toBe(true);
    expect(failsOn(r, "MEDIUM")).toBe(true);
    expect(failsOn(r, "CRITICAL")).toBe(false); // the critical one is exempt
    expect(failsOn(report([finding("EC2.13", "HIGH", "REMEDIATED")]), "LOW")).toBe(false);
  });

  it("counts findings by severity and status, checks by control, and names failed units", () => {
    const text = scanSummary(
      report(
        [finding("EC2.13", "HIGH", "OPEN"), finding("EC2.19", "CRITICAL", "RESOLVED")],
        [unit("completed"), unit("failed", "ThrottlingException: Rate exceeded")],
      ),
    );
    expect(text).toContain("2 units (1 failed), 8 resources");
    expect(text).toContain("FAILED us-east-1 AWS::EC2::SecurityGroup: ThrottlingException: Rate exceeded");
    expect(text).toMatch(/CRITICAL +0 +0 +0 +1\n/);
    expect(text).toMatch(/HIGH +1 +0 +0 +0\n/);
    expect(text).toMatch(/EC2\.13 +SecurityHub EC2\.13 +HIGH +4 +1 +0 +FAIL/);
    expect(text).toMatch(
      /Open findings\n.*\n.*\nHIGH +EC2\.13 +us-east-1 +sg-0a11ce0000000000a +EC2\.13 fails/,
    );
  });
});

describe("scan progress", () => {
  const written = (stream: PassThrough) => String(stream.read() ?? "");

  it("writes one plain line per unit when stderr is no terminal", () => {
    const out = new PassThrough();
    const progress = scanProgress(out, false);
    progress.unitDone(unit("completed"), 1, 2);
    progress.unitDone(unit("failed", "AccessDenied: no"), 2, 2);
    progress.finish();
    expect(written(out)).toBe(
      "unit done [1/2] us-east-1 AWS::EC2::SecurityGroup: completed, 4 resources in 12 ms\n" +
        "unit done [2/2] us-east-1 AWS::EC2::SecurityGroup: failed, 4 resources (AccessDenied: no) in 12 ms\n",
    );
  });

  it("redraws one line on a terminal and ends it when done", () => {
    const out = new PassThrough();
    const progress = scanProgress(out, true);
    progress.unitDone(unit("completed"), 1, 2);
    progress.unitDone(unit("completed"), 2, 2);
    progress.finish();
    expect(written(out)).toBe(
      "\r\x1b[K[1/2] us-east-1 AWS::EC2::SecurityGroup: completed, 4 resources" +
        "\r\x1b[K[2/2] us-east-1 AWS::EC2::SecurityGroup: completed, 4 resources\n",
    );
  });
});
