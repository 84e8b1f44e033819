import type { DistributionSummary } from "@aws-sdk/client-cloudfront";
import { loadCloudFront } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { settingsOf } from "../../resources/cloudfront-distribution/config-shape";
import { DISTRIBUTION_TYPE, distributionRef } from "../../resources/cloudfront-distribution/ref";
import type { DistributionState } from "../../resources/cloudfront-distribution/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

type DistributionObservation = Observation<"AWS::CloudFront::Distribution">;

/** ListDistributions pages of up to 1000 (the API's own cap). */
const PAGE_SIZE = 1000;

/**
 * The summary's settings, through the same reading as Config items and CloudTrail (settingsOf):
 * a viewer protocol policy CloudFront may add later is left unjudged (checks undecided), not guessed.
 */
function settingsFromSummary(
  summary: DistributionSummary,
): Pick<DistributionState, "behaviors" | "enabled" | "staging"> {
  const policy = summary.DefaultCacheBehavior?.ViewerProtocolPolicy;
  const items = summary.CacheBehaviors?.Items ?? [];
  const settings = policy
    ? settingsOf({
        ...(summary.Enabled !== undefined ? { enabled: summary.Enabled } : {}),
        ...(summary.Staging !== undefined ? { staging: summary.Staging } : {}),
        defaultCacheBehavior: { viewerProtocolPolicy: policy },
        cacheBehaviors: {
          quantity: summary.CacheBehaviors?.Quantity ?? items.length,
          items: items.map((b) => ({
            pathPattern: b.PathPattern ?? "",
            viewerProtocolPolicy: b.ViewerProtocolPolicy ?? "",
          })),
        },
      })
    : undefined;
  return (
    settings ?? {
      ...(summary.Enabled !== undefined ? { enabled: summary.Enabled } : {}),
      ...(summary.Staging !== undefined ? { staging: summary.Staging } : {}),
    }
  );
}

/**
 * Every CloudFront distribution of the account (global: swept once, from the home Region). The
 * listing's summaries carry every cache behavior's viewer protocol policy, so no per-distribution
 * read is needed. Tags are read by the pipeline only for a distribution that violates something.
 */
export function cloudFrontDistributionsCollector(
  pageSize = PAGE_SIZE,
): Collector<"AWS::CloudFront::Distribution"> {
  return defineCollector({
    resourceType: DISTRIBUTION_TYPE,
    scope: "global",
    iamActions: ["cloudfront:ListDistributions"],
    async *collect(ctx: CollectContext): AsyncIterable<DistributionObservation> {
      const [cloudFront, { paginateListDistributions }] = await Promise.all([
        ctx.clients.cloudFront(),
        loadCloudFront(),
      ]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateListDistributions({ client: cloudFront, pageSize }, {})) {
        for (const summary of page.DistributionList?.Items ?? []) {
          if (!summary.Id) continue;
          const resource = distributionRef(summary.Id, ctx.account, ctx.partition);
          yield {
            resource,
            state: {
              distributionId: summary.Id,
              distributionArn: resource.arn,
              ...settingsFromSummary(summary),
            },
            complete: true,
            observedAt,
            tagsKnown: false,
          };
        }
      }
    },
  });
}

export default cloudFrontDistributionsCollector();
