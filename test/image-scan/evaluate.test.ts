import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import check from "../../shared/checks/image-scan/image-vulnerabilities";
import { raisedOneStep } from "../../shared/checks/image-scan/vulnerability-policy";
import { CHECK_ID, CLUSTER, TASK, contextWith, scanState, vuln } from "./support";

const ctx = contextWith();
const fixable = {
  fixAvailable: "yes" as const,
  packageName: "libhttp2d",
  installedVersion: "1.27.1",
  fixedVersion: "1.27.4",
};

describe("VIGIL.IMAGE.VULNERABILITIES evaluate (pure)", () => {
  it("is in the catalog: HIGH, no control, service-event triggers, read-only actions, no remediation", () => {
    expect(checkById(CHECK_ID)).toBe(check);
    expect(check.severity).toBe("HIGH");
    expect(check.controls).toEqual([]);
    expect(check.remediation).toBeUndefined();
    expect(check.triggers.cloudTrail).toEqual([]);
    expect(check.triggers.config).toEqual([]);
    expect(check.triggers.events?.map((e) => `${e.source} ${e.detailType}`)).toEqual([
      "aws.ecr ECR Image Scan",
      "aws.inspector2 Inspector2 Finding",
      "aws.inspector2 Inspector2 Scan",
    ]);
    expect([...check.iamActions].sort()).toEqual([
      "ecr:DescribeImageScanFindings",
      "ecr:ListTagsForResource",
      "ecs:DescribeTasks",
      "ecs:ListClusters",
      "ecs:ListTasks",
      "inspector2:ListFindings",
    ]);
  });

  it("a CRITICAL opens, fixed or not; the violation takes the worst counted severity", () => {
    const [v] = check.evaluate(
      scanState([vuln("CVE-2025-0001", "CRITICAL"), vuln("CVE-2025-0002", "LOW")]),
      ctx,
    );
    expect(v?.severity).toBe("CRITICAL");
    expect(v?.summary).toContain("CVE-2025-0001");
    expect(v?.evidence).toMatchObject({
      opening: 1,
      thresholds: { openAt: "CRITICAL", openWithFixAt: "HIGH" },
    });
  });

  it("a HIGH without a fix (or with an unknown one, basic scanning) opens nothing; with a fix it opens at HIGH", () => {
    expect(check.evaluate(scanState([vuln("CVE-2025-0003", "HIGH", { fixAvailable: "no" })]), ctx)).toEqual(
      [],
    );
    expect(check.evaluate(scanState([vuln("CVE-2025-0003", "HIGH")], { scanner: "basic" }), ctx)).toEqual([]);
    const [v] = check.evaluate(scanState([vuln("CVE-2025-0003", "HIGH", fixable)]), ctx);
    expect(v?.severity).toBe("HIGH");
    const partial = check.evaluate(
      scanState([vuln("CVE-2025-0003", "HIGH", { fixAvailable: "partial" })]),
      ctx,
    );
    expect(partial).toHaveLength(1);
  });

  it("a MEDIUM with a fix opens nothing by default, and opens when openWithFixAt is MEDIUM", () => {
    const state = scanState([vuln("CVE-2025-0004", "MEDIUM", fixable)]);
    expect(check.evaluate(state, ctx)).toEqual([]);
    const lowered = contextWith({ containers: { vulnerabilities: { openWithFixAt: "MEDIUM" } } });
    expect(check.evaluate(state, lowered)[0]?.severity).toBe("MEDIUM");
  });

  it("severity is the worst counted CVE's, even one that does not open by itself", () => {
    const config = contextWith({
      containers: { vulnerabilities: { openAt: "CRITICAL", openWithFixAt: "LOW" } },
    });
    const state = scanState([
      vuln("CVE-2025-0005", "HIGH", { fixAvailable: "no" }),
      vuln("CVE-2025-0006", "LOW", fixable),
    ]);
    const [v] = check.evaluate(state, config);
    expect(v?.severity).toBe("HIGH");
    expect(v?.evidence.opening).toBe(1);
  });

  it("lists the top N CVEs worst first (fixable before unfixable), with package, versions and fix", () => {
    const state = scanState([
      vuln("CVE-2025-0010", "LOW"),
      vuln("CVE-2025-0011", "CRITICAL", {
        fixAvailable: "no",
        packageName: "zlib",
        installedVersion: "1.2.13",
      }),
      vuln("CVE-2025-0012", "CRITICAL", fixable),
      vuln("CVE-2025-0013", "MEDIUM"),
    ]);
    const [v] = check.evaluate(state, contextWith({ containers: { vulnerabilities: { topCves: 3 } } }));
    expect(v?.evidence.topCves).toEqual([
      {
        id: "CVE-2025-0012",
        severity: "CRITICAL",
        package: "libhttp2d",
        installedVersion: "1.27.1",
        fixedVersion: "1.27.4",
        fixAvailable: "yes",
      },
      {
        id: "CVE-2025-0011",
        severity: "CRITICAL",
        package: "zlib",
        installedVersion: "1.2.13",
        fixAvailable: "no",
      },
      { id: "CVE-2025-0013", severity: "MEDIUM", fixAvailable: "unknown" },
    ]);
  });

  it("allow-listed CVEs are excluded before the thresholds; the evidence says which", () => {
    const state = scanState([vuln("CVE-2025-0020", "CRITICAL"), vuln("CVE-2025-0021", "HIGH", fixable)]);
    const allowList = [{ cve: "CVE-2025-0020", reason: "not reachable: CLI only", until: "2099-12-31" }];
    const [v] = check.evaluate(state, contextWith({ containers: { vulnerabilities: { allowList } } }));
    expect(v?.severity).toBe("HIGH");
    expect(v?.evidence.allowedCves).toEqual([{ ...allowList[0], vulnerabilities: 1 }]);
    expect((v?.evidence.topCves as { id: string }[]).map((c) => c.id)).toEqual(["CVE-2025-0021"]);

    const both = [...allowList, { cve: "CVE-2025-0021", reason: "fix scheduled" }];
    expect(
      check.evaluate(state, contextWith({ containers: { vulnerabilities: { allowList: both } } })),
    ).toEqual([]);
  });

  it("an expired allowance counts again (judged at the time the list was read) and is named", () => {
    const state = scanState([vuln("CVE-2025-0020", "CRITICAL")], { readAt: "2025-07-01T00:00:00.000Z" });
    const allowList = [{ cve: "CVE-2025-0020", reason: "until the next base image", until: "2025-06-30" }];
    const [v] = check.evaluate(state, contextWith({ containers: { vulnerabilities: { allowList } } }));
    expect(v?.severity).toBe("CRITICAL");
    expect(v?.evidence.expiredAllowances).toEqual([{ cve: "CVE-2025-0020", until: "2025-06-30" }]);
    // The same allowance on its last day still holds.
    const lastDay = { ...state, readAt: "2025-06-30T23:00:00.000Z" };
    expect(check.evaluate(lastDay, contextWith({ containers: { vulnerabilities: { allowList } } }))).toEqual(
      [],
    );
  });

  it("an allowance scoped to other repositories does not apply", () => {
    const state = scanState([vuln("CVE-2025-0020", "CRITICAL")]);
    const allowance = { cve: "CVE-2025-0020", reason: "payments only", repositories: ["payments/api"] };
    const allowList = [allowance];
    expect(
      check.evaluate(state, contextWith({ containers: { vulnerabilities: { allowList } } })),
    ).toHaveLength(1);
    const here = [{ ...allowance, repositories: ["orders/api"] }];
    expect(
      check.evaluate(state, contextWith({ containers: { vulnerabilities: { allowList: here } } })),
    ).toEqual([]);
  });

  it("an image running in ECS is raised one step (HIGH -> CRITICAL, CRITICAL stays) and says so", () => {
    const usage = { status: "running" as const, cluster: CLUSTER, taskArn: TASK, container: "api" };
    const [high] = check.evaluate(
      scanState([vuln("CVE-2025-0030", "HIGH", fixable)], { ecsUsage: usage }),
      ctx,
    );
    expect(high?.severity).toBe("CRITICAL");
    expect(high?.evidence.severityRaised).toEqual({
      from: "HIGH",
      to: "CRITICAL",
      because: "the image runs in ECS",
    });
    expect(high?.evidence.runningIn).toEqual({
      ecs: usage,
      eks: "not known: EKS usage is not looked up yet",
    });
    expect(high?.summary).toContain("runs in ECS");
    const [critical] = check.evaluate(
      scanState([vuln("CVE-2025-0031", "CRITICAL")], { ecsUsage: usage }),
      ctx,
    );
    expect(critical?.severity).toBe("CRITICAL");
    expect(raisedOneStep("INFORMATIONAL")).toBe("LOW");
  });

  it("an unknown or negative usage raises nothing", () => {
    for (const ecsUsage of [
      { status: "unknown" as const, reason: "ECS lookup failed (AccessDeniedException)" },
      { status: "not-running" as const, clustersChecked: 2 },
    ]) {
      const [v] = check.evaluate(scanState([vuln("CVE-2025-0030", "HIGH", fixable)], { ecsUsage }), ctx);
      expect(v?.severity).toBe("HIGH");
      expect(v?.evidence.severityRaised).toBeUndefined();
    }
  });

  it("not applicable: a clean list, a scan not complete, or results never read", () => {
    expect(check.evaluate(scanState([]), ctx)).toEqual([]);
    expect(
      check.evaluate(scanState([vuln("CVE-2025-0040", "CRITICAL")], { scanStatus: "FAILED" }), ctx),
    ).toEqual([]);
    const unread = scanState([vuln("CVE-2025-0040", "CRITICAL")]);
    delete unread.readAt;
    expect(check.evaluate(unread, ctx)).toEqual([]);
  });

  it("unrated CVEs (UNTRIAGED, UNDEFINED) rank lowest and keep their label", () => {
    const state = scanState([vuln("CVE-2025-0050", "INFORMATIONAL", { reportedSeverity: "UNTRIAGED" })]);
    expect(check.evaluate(state, ctx)).toEqual([]);
    const all = contextWith({ containers: { vulnerabilities: { openAt: "INFORMATIONAL" } } });
    expect(check.evaluate(state, all)[0]?.evidence.topCves).toEqual([
      {
        id: "CVE-2025-0050",
        severity: "INFORMATIONAL",
        reportedSeverity: "UNTRIAGED",
        fixAvailable: "unknown",
      },
    ]);
  });
});
