import { describe, expect, it } from "vitest";
import { formatHtml } from "../../shared/outputs/html";
import { areaOf, parseControl } from "../../shared/outputs/html/classify";
import { compactJson, escapeHtml, html, raw } from "../../shared/outputs/html/escape";
import { buildModel } from "../../shared/outputs/html/model";
import type { CheckTally, ScanReport } from "../../shared/sweep/report";
import { XSS, findings, fixtureReport } from "./html-fixture";

const GENERATED = "2026-11-27T02:03:13.000Z";

function emptyReport(): ScanReport {
  return {
    startedAt: "2026-11-27T02:00:00.000Z",
    finishedAt: "2026-11-27T02:00:01.000Z",
    scope: { accounts: [], regions: [] },
    units: [],
    checks: [],
    findings: [],
  };
}

function tally(checkId: string, controls: string[], counts: Partial<CheckTally> = {}): CheckTally {
  return {
    checkId,
    title: `title of ${checkId}`,
    severity: "HIGH",
    controls,
    resourceType: "AWS::GuardDuty::Detector",
    evaluated: 1,
    failed: 0,
    suppressed: 0,
    ...counts,
  };
}

describe("escaping", () => {
  it("escapes the five HTML metacharacters and backticks", () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe(
      "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;",
    );
  });

  it("the html tag escapes interpolated strings, arrays included, and keeps SafeHtml as markup", () => {
    const out = html`<p title="${'" onload="x'}">${[XSS, raw("<b>ok</b>")]}</p>`.value;
    expect(out).toBe('<p title="&quot; onload=&quot;x">&lt;script&gt;alert(1)&lt;/script&gt;<b>ok</b></p>');
  });

  it("a resource named <script>alert(1)</script> is text on the page, in names, evidence and user agents", () => {
    const page = formatHtml(fixtureReport(), { generatedAt: GENERATED });
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain(XSS);
    expect(page).toMatch(
      /<strong class="resource-name">&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/strong\s*>/,
    );
    // Evidence goes through JSON first: its quotes are escaped too.
    expect(page).toContain("&quot;note&quot;:&quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;");
    expect(page).toContain("Boto3/1.34.0 &lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("a hostile control or check id can't break out of a data attribute", () => {
    const report = emptyReport();
    report.checks = [tally('X.1" onmouseover="alert(1)', ['FSBP Y.2" onfocus="alert(2)'], { failed: 1 })];
    const page = formatHtml(report, { generatedAt: GENERATED });
    // Escaped, the quote can't close the attribute: `on…=&quot;` stays inside the value.
    expect(page).not.toMatch(/\son(mouseover|focus)="/i);
    expect(page).toContain('data-control="Y.2&quot; onfocus=&quot;alert(2)"');
  });

  it("cuts long evidence and says how much is left out", () => {
    // {"big":"xxx…"} is 1,010 characters.
    const text = compactJson({ big: "x".repeat(1000) }, 100);
    expect(text).toBe(`{"big":"${"x".repeat(92)}… (910 more characters)`);
    expect(compactJson({ a: 1 })).toBe('{"a":1}');
  });
});

describe("self-contained", () => {
  const page = formatHtml(fixtureReport(), { generatedAt: GENERATED });

  it("loads nothing and runs nothing: no scripts, links, images, frames or url(); links stay in the page", () => {
    expect(page).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(page).not.toMatch(/\b(src|srcset)=/i);
    expect(page).not.toMatch(/url\(/i);
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(0);
    expect(hrefs.every((h) => h?.startsWith("#"))).toBe(true);
    expect(page).toContain("Content-Security-Policy");
  });

  it("is reproducible for a given generatedAt, and defaults generatedAt to now", () => {
    expect(formatHtml(fixtureReport(), { generatedAt: GENERATED })).toBe(page);
    expect(formatHtml(fixtureReport(), { title: "Prod" })).toMatch(
      /<dt>Generated<\/dt>\s*<dd>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z<\/dd>/,
    );
  });

  it("shows the scope, the title and the failed sweep unit", () => {
    const titled = formatHtml(fixtureReport(), { title: "Prod <account>", generatedAt: GENERATED });
    expect(titled).toContain("<title>Prod &lt;account&gt;</title>");
    expect(titled).toContain('<dd data-scope="accounts">111122223333</dd>');
    expect(titled).toContain('<dd data-scope="regions">eu-west-1, us-east-1</dd>');
    expect(titled).toContain('data-failed-units="1"');
    expect(titled).toContain("not authorized to perform rds:DescribeDBClusters");
    expect(titled.match(/data-unit-outcome="/g)).toHaveLength(3);
    expect(titled.match(/data-unit-outcome="failed"/g)).toHaveLength(1);
  });
});

describe("grouping", () => {
  it("derives the framework from the control prefix", () => {
    expect(parseControl("FSBP EC2.19")).toEqual({ framework: "AWS FSBP", id: "EC2.19" });
    expect(parseControl("CIS 5.2")).toEqual({ framework: "CIS v3.0.0", id: "5.2" });
    expect(parseControl("CIS 1.2.0 4.1")).toEqual({ framework: "CIS v1.2.0", id: "4.1" });
    expect(parseControl("CIS 5.0.0 2.3.1")).toEqual({ framework: "CIS v5.0.0", id: "2.3.1" });
    expect(parseControl("SecurityHub EC2.53")).toEqual({ framework: "Security Hub", id: "EC2.53" });
    expect(parseControl("Dockle CIS-DI-0001")).toEqual({ framework: "Dockle", id: "CIS-DI-0001" });
    expect(parseControl("Kubernetes PSS Baseline")).toEqual({ framework: "Kubernetes PSS", id: "Baseline" });
  });

  it("derives the area from the resource type, with the check id overriding it where the type misleads", () => {
    expect(areaOf("EC2.19", "AWS::EC2::SecurityGroup")).toBe("Network");
    expect(areaOf("EC2.6", "AWS::EC2::VPC")).toBe("Logging");
    expect(areaOf("EC2.3", "AWS::EC2::Volume")).toBe("Encryption");
    expect(areaOf("EC2.8", "AWS::EC2::Instance")).toBe("Compute");
    expect(areaOf("S3.8", "AWS::S3::Bucket")).toBe("Storage");
    expect(areaOf("VIGIL.S3.DEFAULT_ENCRYPTION_REMOVED", "AWS::S3::Bucket")).toBe("Encryption");
    expect(areaOf("IAM.4", "AWS::::Account")).toBe("IAM");
    expect(areaOf("ECS.5", "AWS::ECS::TaskDefinition")).toBe("Containers");
    expect(areaOf("X.1", "AWS::Backup::Vault")).toBe("Backup");
  });

  it("adds up a control's checks: it fails when any fails; a check with no control is Vigil's", () => {
    const report = emptyReport();
    report.checks = [
      tally("VIGIL.GUARDDUTY.DISABLED", ["FSBP GuardDuty.1"], { evaluated: 2, failed: 1 }),
      tally("VIGIL.GUARDDUTY.DELETED", ["FSBP GuardDuty.1"], { evaluated: 2, suppressed: 1 }),
      tally("VIGIL.EKS.NO_NETWORK_POLICY", [], { evaluated: 0, resourceType: "AWS::EKS::Namespace" }),
    ];
    const model = buildModel(report);
    expect(model.frameworks.map((f) => f.framework)).toEqual(["AWS FSBP", "Vigil"]);
    const [fsbp, vigil] = model.frameworks;
    expect(fsbp?.controls).toHaveLength(1);
    expect(fsbp?.controls[0]).toMatchObject({
      id: "GuardDuty.1",
      evaluated: 4,
      passed: 2,
      failed: 1,
      suppressed: 1,
      outcome: "FAIL",
    });
    expect(fsbp?.outcomes).toEqual({ PASS: 0, FAIL: 1, "N/A": 0 });
    expect(vigil?.controls[0]).toMatchObject({ id: "VIGIL.EKS.NO_NETWORK_POLICY", outcome: "N/A" });
    expect(model.areas.map((a) => [a.area, a.outcomes])).toEqual([
      ["Containers", { PASS: 0, FAIL: 0, "N/A": 1 }],
      ["Threat detection", { PASS: 1, FAIL: 1, "N/A": 0 }],
    ]);
  });

  it("the fixture: open findings by severity, frameworks in order, failing checks most severe first", () => {
    const model = buildModel(fixtureReport());
    expect(model.openBySeverity).toEqual({ CRITICAL: 3, HIGH: 3, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0 });
    expect(model.frameworks.map((f) => [f.framework, f.outcomes])).toEqual([
      ["AWS FSBP", { PASS: 4, FAIL: 4, "N/A": 1 }],
      ["CIS v3.0.0", { PASS: 5, FAIL: 4, "N/A": 0 }],
      ["Security Hub", { PASS: 2, FAIL: 1, "N/A": 0 }],
      ["CIS v1.2.0", { PASS: 1, FAIL: 0, "N/A": 0 }],
      ["Dockle", { PASS: 1, FAIL: 0, "N/A": 0 }],
      ["Vigil", { PASS: 0, FAIL: 1, "N/A": 0 }],
    ]);
    expect(model.failing.map((c) => c.checkId)).toEqual([
      "EC2.19",
      "VIGIL.CLOUDTRAIL.LOGGING_STOPPED",
      "EC2.8",
      "EC2.53",
      "S3.8",
      "IAM.5",
    ]);
    expect(model.suppressed.map((f) => f.checkId).sort()).toEqual(["EC2.2", "VIGIL.IMAGE.ROOT_USER"]);
    expect(model.resolved.map((f) => f.checkId)).toEqual(["S3.5", "KMS.4"]);
    expect(model.remediated.map((f) => f.checkId)).toEqual(["CloudTrail.4"]);
    expect(findings.filter((f) => f.status === "OPEN")).toHaveLength(7);
  });
});

describe("findings without a tally", () => {
  it("an open finding whose check has no tally is still listed, with the finding's own title and type", () => {
    const report = emptyReport();
    const open = findings.find((f) => f.checkId === "S3.8" && f.status === "OPEN");
    report.findings = open ? [open] : [];
    const model = buildModel(report);
    expect(model.failing).toHaveLength(1);
    expect(model.failing[0]).toMatchObject({
      checkId: "S3.8",
      area: "Storage",
      resourceType: "AWS::S3::Bucket",
    });
    expect(model.failing[0]?.tally).toBeUndefined();
    expect(formatHtml(report, { generatedAt: GENERATED })).toMatch(/data-check="S3\.8"\s+data-open="1"/);
  });
});

describe("empty report", () => {
  it("renders every section with zeros and says there is nothing to show", () => {
    const page = formatHtml(emptyReport(), { generatedAt: GENERATED });
    for (const severity of ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"]) {
      expect(page).toContain(`data-severity="${severity}" data-count="0"`);
    }
    expect(page).toContain("No open findings.");
    expect(page).toContain("No checks were evaluated.");
    expect(page).toContain("Nothing was resolved.");
    expect(page).toContain('<dd data-scope="accounts">none</dd>');
    expect(page).not.toContain('id="suppressed"');
    expect(page).not.toContain('id="coverage"');
    expect(page).not.toContain("NaN");
  });
});
