import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { Validations, type App } from "aws-cdk-lib";
import type { PolicyValidationPluginReport } from "aws-cdk-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsSolutionsChecks } from "../../infra/nag";
import { synthVigil, removeSynthOutputs } from "./synth";

let app: App;

beforeAll(() => {
  // The full synth `cdk synth` runs: cdk-nag as a validation plugin plus CloudFormation schema checks.
  app = synthVigil({ cfnValidation: true }).app;
}, 120_000);

afterAll(removeSynthOutputs);

const describeViolations = (report: PolicyValidationPluginReport) =>
  report.violations.map(
    (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(", ")}`,
  );

/** Every acknowledgement in the tree: construct path, rule id, reason. */
function acknowledgements(): { path: string; id: string; reason: string }[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ""),
          reason,
        })),
      ),
  );
}

describe("cdk-nag AwsSolutions", () => {
  it("reports no errors and no warnings that are not acknowledged", () => {
    const report = new AwsSolutionsChecks(app, { verbose: true }).validateScope(app);
    expect(describeViolations(report)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it("left nothing in the synth's validation report (cdk-nag or CloudFormation schema)", () => {
    const reportFile = path.join(app.outdir, "validation-report.json");
    expect(existsSync(reportFile)).toBe(true);
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
  });

  it("acknowledges findings only with a reason, and only findings that exist", () => {
    const acknowledged = acknowledgements();
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledged) expect(reason.length, id).toBeGreaterThan(40);

    // Run the pack again as if nothing were acknowledged (cdk-nag's private hook; if it moves,
    // this test fails loudly rather than passing).
    const pack = new AwsSolutionsChecks(app);
    Object.defineProperty(pack, "isAcknowledged", { value: () => false });
    const findings = pack.validateScope(app).violations.flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        id: violation.ruleName,
        path: resource.constructPath ?? "",
      })),
    );
    for (const { id, path: at } of acknowledged) {
      const matched = findings.some(
        (finding) => finding.id === id && (finding.path === at || finding.path.startsWith(`${at}/`)),
      );
      expect(matched, `${id} acknowledged at ${at} but not reported there`).toBe(true);
    }
  });
});
