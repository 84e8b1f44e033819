import { describe, expect, it } from "vitest";
import cloudFront3 from "../../shared/checks/cloudfront/cloudfront-3-viewer-https";
import { parseConfig } from "../../shared/config/load";
import type { DistributionState } from "../../shared/resources/cloudfront-distribution/state";
import { DISTRIBUTION, DISTRIBUTION_ARN } from "./support";

const context = { config: parseConfig({}) };
const distribution = (...policies: [string | undefined, string][]): DistributionState => ({
  distributionId: DISTRIBUTION,
  distributionArn: DISTRIBUTION_ARN,
  enabled: true,
  behaviors: policies.map(([pathPattern, viewerProtocolPolicy]) =>
    pathPattern === undefined ? { viewerProtocolPolicy } : { pathPattern, viewerProtocolPolicy },
  ),
});

describe("CloudFront.3 evaluate (pure)", () => {
  it("compliant: redirect-to-https and https-only everywhere", () => {
    const state = distribution([undefined, "redirect-to-https"], ["/static/*", "https-only"]);
    expect(cloudFront3.undecided?.(state, context)).toBeUndefined();
    expect(cloudFront3.evaluate(state, context)).toEqual([]);
  });

  it("non-compliant: allow-all on the default behavior", () => {
    expect(cloudFront3.evaluate(distribution([undefined, "allow-all"]), context)).toEqual([
      {
        summary: `distribution ${DISTRIBUTION} allows HTTP (viewer protocol policy allow-all) on the default behavior`,
        evidence: {
          distributionId: DISTRIBUTION,
          distributionArn: DISTRIBUTION_ARN,
          enabled: true,
          allowAll: ["(default)"],
        },
      },
    ]);
  });

  it("non-compliant: allow-all on one path-pattern behavior only, named in the finding", () => {
    const state = distribution(
      [undefined, "redirect-to-https"],
      ["/legacy/*", "allow-all"],
      ["/x/*", "https-only"],
    );
    const [violation] = cloudFront3.evaluate(state, context);
    expect(violation?.summary).toContain("on /legacy/*");
    expect(violation?.evidence.allowAll).toEqual(["/legacy/*"]);
  });

  it("many allow-all behaviors: the summary names five, the evidence at most 25 and the count", () => {
    const paths = Array.from({ length: 30 }, (_, i) => [`/p${i}/*`, "allow-all"] as [string, string]);
    const [violation] = cloudFront3.evaluate(distribution([undefined, "https-only"], ...paths), context);
    expect(violation?.summary).toMatch(/\/p4\/\* and 25 more$/);
    expect(violation?.evidence.allowAll).toHaveLength(25);
    expect(violation?.evidence.allowAllCount).toBe(30);
  });

  it("undecided when the behaviors are not known", () => {
    const state = { distributionId: DISTRIBUTION, distributionArn: DISTRIBUTION_ARN };
    expect(cloudFront3.undecided?.(state, context)).toMatch(/cache behaviors/);
  });
});
