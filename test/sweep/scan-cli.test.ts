import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanReport } from "../../shared/sweep/report";
import { startCliHarness, type CliHarness } from "../support/cli-harness";

/**
 * `vigil scan` in a child process against the local endpoint's EC2 double, with the real
 * security-group collector: findings open, close and are reported; read-only unless --remediate.
 */

const ACCOUNT = { AWS_ACCOUNT_ID: "111122223333" };
const TIMEOUT = 90_000;
const SG = "AWS::EC2::SecurityGroup";

/** One JSON document, or JSON lines. */
function parsesAsJson(text: string): boolean {
  const attempt = (t: string) => {
    try {
      JSON.parse(t);
      return true;
    } catch {
      return false;
    }
  };
  return attempt(text) || text.trim().split("\n").every(attempt);
}

describe("vigil scan against the local AWS endpoint", () => {
  let h: CliHarness;
  let ec2: EC2Client;
  let web: string;
  let sshRule: string;
  let dir: string;

  beforeAll(async () => {
    h = await startCliHarness();
    ec2 = new EC2Client(h.clientConfig);
    dir = await mkdtemp(join(tmpdir(), "vigil-scan-"));
    const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "web", Description: "web" }));
    web = created.GroupId ?? "";
    const rules = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: web,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    sshRule = rules.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? "";
    const db = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "db", Description: "db" }));
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: db.GroupId,
        IpPermissions: [
          { IpProtocol: "tcp", FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: "10.0.0.0/16" }] },
        ],
      }),
    );
  }, TIMEOUT);
  afterAll(async () => {
    ec2?.destroy();
    await h?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    "reports as JSON, opens findings without changing anything, prints unit lines and fails on HIGH",
    async () => {
      const result = await h.vigil(
        ["scan", "--checks", "EC2.13", "EC2.2", "--format", "json", "--fail-on", "high"],
        ACCOUNT,
      );

      expect(result.stderr).toMatch(
        /unit done \[1\/1\] us-east-1 AWS::EC2::SecurityGroup: completed, 3 resources/,
      );
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as ScanReport;
      expect(report.scope).toEqual({ accounts: ["111122223333"], regions: ["us-east-1"] });
      expect(report.units).toEqual([
        expect.objectContaining({
          region: "us-east-1",
          resourceType: SG,
          outcome: "completed",
          resources: 3,
        }),
      ]);
      expect(report.checks.map((c) => [c.checkId, c.evaluated, c.failed]).sort()).toEqual([
        ["EC2.13", 3, 1],
        ["EC2.2", 3, 1], // the default VPC's default group allows traffic, as AWS creates it
      ]);
      const ssh = report.findings.find((f) => f.checkId === "EC2.13");
      expect(ssh).toMatchObject({
        status: "OPEN",
        severity: "HIGH",
        resource: { id: web, account: "111122223333" },
      });
      expect(ssh?.remediation).toMatchObject({ mode: "off", result: "skipped" });
      // EC2.13 remediates automatically by default, but a scan only reports unless told otherwise.
      expect(h.aws.calls("ec2", "RevokeSecurityGroupIngress")).toEqual([]);
      expect(h.aws.ec2State.ingressRules(web)).toHaveLength(1);
      const stored = (await h.findings()).filter((f) => f.resourceId === web);
      expect(stored.map((f) => `${f.checkId} ${f.status}`)).toEqual(["EC2.13 OPEN"]);
    },
    TIMEOUT,
  );

  it(
    "resolves the finding once the rule is gone and prints the summary tables; exit 0 without --fail-on",
    async () => {
      await ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: web, SecurityGroupRuleIds: [sshRule] }),
      );

      const result = await h.vigil(["scan", "--checks", "EC2.13"], ACCOUNT);

      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Findings by severity");
      expect(result.stdout).toMatch(/EC2\.13 +SecurityHub EC2\.13, CIS 1\.2\.0 4\.1 +HIGH +3 +0 +0 +PASS/);
      expect(result.stdout).toMatch(/HIGH +0 +0 +0 +1/); // the one RESOLVED by this scan
      const stored = (await h.findings()).filter((f) => f.resourceId === web);
      expect(stored.map((f) => `${f.checkId} ${f.status}`)).toEqual(["EC2.13 RESOLVED"]);
    },
    TIMEOUT,
  );

  it(
    "with --remediate applies the configured modes (EC2.13: auto) and writes the report to --output",
    async () => {
      const rules = await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: web,
          IpPermissions: [
            { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
          ],
        }),
      );
      const file = join(dir, "report.json");
      const revokesBefore = h.aws.calls("ec2", "RevokeSecurityGroupIngress").length; // the test's own

      const result = await h.vigil(
        [
          "scan",
          "--checks",
          "EC2.13",
          "--remediate",
          "--format",
          "json",
          "--output",
          file,
          "--fail-on",
          "HIGH",
        ],
        ACCOUNT,
      );

      expect(result.code).toBe(0); // fixed during the scan: nothing OPEN is left
      expect(result.stdout).toBe("");
      const report = JSON.parse(await readFile(file, "utf8")) as ScanReport;
      expect(report.findings.find((f) => f.checkId === "EC2.13")?.status).toBe("REMEDIATED");
      expect(
        h.aws
          .calls("ec2", "RevokeSecurityGroupIngress")
          .slice(revokesBefore)
          .map((c) => c.params),
      ).toEqual([
        expect.objectContaining({
          GroupId: web,
          "SecurityGroupRuleId.1": rules.SecurityGroupRules?.[0]?.SecurityGroupRuleId,
        }),
      ]);
      expect(h.aws.ec2State.ingressRules(web)).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "writes the report in the ASFF, OCSF and HTML formats",
    async () => {
      for (const format of ["asff", "ocsf", "html"]) {
        const file = join(dir, `report.${format}`);
        const result = await h.vigil(
          ["scan", "--checks", "EC2.13", "--format", format, "--output", file],
          ACCOUNT,
        );
        expect(result.code, `${format}: ${result.stderr}`).toBe(0);
        const text = await readFile(file, "utf8");
        // The EC2.13 finding the previous scan remediated is in every format.
        expect(text, format).toContain(web);
        if (format === "html") expect(text).toMatch(/^<!DOCTYPE html>/i);
        else expect(parsesAsJson(text), format).toBe(true);
      }
    },
    TIMEOUT,
  );

  it(
    "exits 2 on usage errors: unknown format or check, or no way to tell the account",
    async () => {
      const format = await h.vigil(["scan", "--format", "xml"], ACCOUNT);
      expect(format.code).toBe(2);
      expect(format.stderr).toContain('--format must be one of table, json, asff, ocsf, html (got "xml")');

      const account = await h.vigil(["scan", "--checks", "EC2.13", "NOPE.1"]);
      expect(account.code).toBe(2);
      expect(account.stderr).toContain("unknown check id(s): NOPE.1");

      const noAccount = await h.vigil(["scan", "--checks", "EC2.13"]);
      expect(noAccount.code).toBe(2);
      expect(noAccount.stderr).toContain("cannot tell which account the credentials belong to");
    },
    TIMEOUT,
  );
});
