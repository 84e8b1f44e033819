import type { CloudFrontClient, DistributionConfig } from "@aws-sdk/client-cloudfront";
import { errorName } from "../../aws/errors";
import { loadCloudFront } from "../../aws/sdk";
import type { DistributionState } from "./state";

/** CloudFront's "that distribution is not there": for Vigil, already gone. */
const GONE = new Set(["NoSuchDistribution", "NoSuchResource"]);

/** The SDK's config (PascalCase) as the state's settings; every behavior has a policy there. */
function settingsFromApi(
  config: DistributionConfig,
): Pick<DistributionState, "behaviors" | "enabled" | "staging"> {
  return {
    behaviors: [
      { viewerProtocolPolicy: config.DefaultCacheBehavior?.ViewerProtocolPolicy ?? "unknown" },
      ...(config.CacheBehaviors?.Items ?? []).map((b) => ({
        pathPattern: b.PathPattern ?? "",
        viewerProtocolPolicy: b.ViewerProtocolPolicy ?? "unknown",
      })),
    ],
    ...(config.Enabled !== undefined ? { enabled: config.Enabled } : {}),
    ...(config.Staging !== undefined ? { staging: config.Staging } : {}),
  };
}

/** The distribution's settings as they are now; undefined when it no longer exists. */
export async function liveDistribution(
  cloudFront: CloudFrontClient,
  id: string,
): Promise<Pick<DistributionState, "behaviors" | "enabled" | "staging"> | undefined> {
  const { GetDistributionConfigCommand } = await loadCloudFront();
  try {
    const out = await cloudFront.send(new GetDistributionConfigCommand({ Id: id }));
    return out.DistributionConfig ? settingsFromApi(out.DistributionConfig) : undefined;
  } catch (error) {
    if (GONE.has(errorName(error))) return undefined;
    throw error;
  }
}

/** The distribution's tags (exemptions); none for a distribution that is gone. */
export async function distributionTags(
  cloudFront: CloudFrontClient,
  arn: string,
): Promise<Record<string, string>> {
  const { ListTagsForResourceCommand } = await loadCloudFront();
  try {
    const out = await cloudFront.send(new ListTagsForResourceCommand({ Resource: arn }));
    const items = out.Tags?.Items ?? [];
    return Object.fromEntries(items.filter((t) => t.Key !== undefined).map((t) => [t.Key, t.Value ?? ""]));
  } catch (error) {
    if (GONE.has(errorName(error))) return {};
    throw error;
  }
}
