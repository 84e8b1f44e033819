import { PassThrough } from "node:stream";
import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from "@aws-sdk/client-securityhub";
import { mockClient } from "aws-sdk-client-mock";
import { describe, expect, it } from "vitest";
import { parseScanArgs, SCAN_USAGE, UsageError } from "../../shared/cli/scan-args";
import { exportScanReport } from "../../shared/cli/scan-export";
import { scanProgress } from "../../shared/cli/scan-progress";
import { failsOn, scanSummary } from "../../shared/cli/scan-summary";
import type { Finding } from "../../shared/findings/model";
import type { ScanReport, SweepUnitResult } from "../../shared/sweep/report";
import { recordingLogger } from "../support/runtime";

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

  it("--export security-hub (documented in the usage); no export by default", () => {
    expect(parseScanArgs(["--export", "security-hub", "--region", "eu-west-1"])).toMatchObject({
      export: "security-hub",
      regions: ["eu-west-1"],
    });
    expect(parseScanArgs([]).export).toBeUndefined();
    expect(SCAN_USAGE).toContain("--export TARGET");
  });

  it.each([
    [["stray"], 'unexpected argument "stray"'],
    [["--region", "us-east-1", "EC2.13"], '--region: "EC2.13" is no AWS Region name'],
    [["--format", "xml"], "--format must be one of"],
    [["--fail-on", "severe"], "--fail-on must be one of"],
    [["--account", "1234"], "--account must be a 12-digit account id"],
    [["--concurrency", "0"], "--concurrency must be an integer from 1 to 64"],
    [["--bogus"], "Unknown option '--bogus'"],
    [["--export", "splunk"], '--export must be one of security-hub (got "splunk")'],
    [["--export"], "--export"],
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

describe("--export security-hub", () => {
  const hub = mockClient(SecurityHubClient);
  const PRODUCT = "arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default";
  const reopened = (): Finding => ({
    ...finding("EC2.2", "MEDIUM", "OPEN"),
    history: [
      { from: null, to: "SUPPRESSED", at: "2025-03-01T00:00:00.000Z" },
      { from: "SUPPRESSED", to: "OPEN", at: "2025-03-10T00:00:00.000Z" },
    ],
  });

  it("imports the report's findings with BatchImportFindings, then BatchUpdateFindings for workflow changes; one summary line", async () => {
    hub.reset();
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => ({
      SuccessCount: input.Findings.length,
      FailedCount: 0,
      FailedFindings: [],
    }));
    hub.on(BatchUpdateFindingsCommand).callsFake((input: { FindingIdentifiers: unknown[] }) => ({
      ProcessedFindings: input.FindingIdentifiers,
      UnprocessedFindings: [],
    }));
    const stderr = new PassThrough();
    const findings = [
      finding("EC2.13", "HIGH", "OPEN"),
      finding("EC2.19", "CRITICAL", "RESOLVED"),
      finding("EC2.18", "HIGH", "SUPPRESSED"),
      reopened(),
    ];

    const ok = await exportScanReport("security-hub", report(findings), {
      homeRegion: "us-east-1",
      stderr,
      logger: recordingLogger(),
    });

    expect(ok).toBe(true);
    expect(hub.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "BatchImportFindingsCommand",
      "BatchUpdateFindingsCommand",
      "BatchUpdateFindingsCommand",
      "BatchUpdateFindingsCommand",
    ]);
    const imported = hub.commandCalls(BatchImportFindingsCommand)[0]?.args[0].input.Findings ?? [];
    expect(
      imported.map((f) => [f.Id, f.ProductArn, f.Compliance?.Status, f.RecordState, f.UpdatedAt]),
    ).toEqual([
      ["vigil/vf-EC2.13-OPEN", PRODUCT, "FAILED", "ACTIVE", "2025-03-11T14:00:05.000Z"],
      ["vigil/vf-EC2.19-RESOLVED", PRODUCT, "PASSED", "ARCHIVED", "2025-03-11T14:00:05.000Z"],
      ["vigil/vf-EC2.18-SUPPRESSED", PRODUCT, "FAILED", "ACTIVE", "2025-03-11T14:00:05.000Z"],
      ["vigil/vf-EC2.2-OPEN", PRODUCT, "FAILED", "ACTIVE", "2025-03-11T14:00:05.000Z"],
    ]);
    expect(hub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input)).toEqual([
      {
        FindingIdentifiers: [{ Id: "vigil/vf-EC2.19-RESOLVED", ProductArn: PRODUCT }],
        Workflow: { Status: "RESOLVED" },
      },
      {
        FindingIdentifiers: [{ Id: "vigil/vf-EC2.18-SUPPRESSED", ProductArn: PRODUCT }],
        Workflow: { Status: "SUPPRESSED" },
      },
      {
        FindingIdentifiers: [{ Id: "vigil/vf-EC2.2-OPEN", ProductArn: PRODUCT }],
        Workflow: { Status: "NEW" },
      },
    ]);
    expect(String(stderr.read())).toBe(
      "vigil scan: security-hub: Security Hub: 4 of 4 findings imported, 0 failed; workflow: 3 updated, 0 failed\n",
    );
  });

  it("findings Security Hub rejects make the export fail (the scan exits 1), and get no workflow update", async () => {
    hub.reset();
    hub.on(BatchImportFindingsCommand).resolves({
      SuccessCount: 0,
      FailedCount: 1,
      FailedFindings: [
        { Id: "vigil/vf-EC2.19-RESOLVED", ErrorCode: "InvalidInput", ErrorMessage: "Invalid" },
      ],
    });
    const stderr = new PassThrough();

    const ok = await exportScanReport("security-hub", report([finding("EC2.19", "CRITICAL", "RESOLVED")]), {
      homeRegion: "us-east-1",
      stderr,
      logger: recordingLogger(),
    });

    expect(ok).toBe(false);
    expect(hub.commandCalls(BatchUpdateFindingsCommand)).toEqual([]);
    expect(String(stderr.read())).toContain("0 of 1 findings imported, 1 failed");
  });
});
