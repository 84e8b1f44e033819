import type { ConfigServiceClient, ConfigurationItem } from "@aws-sdk/client-config-service";
import { errorName } from "../../aws/errors";
import { loadConfigService } from "../../aws/sdk";
import { isTransient } from "../../pipeline/remediate";
import { encryptionFromConfig } from "./encryption";
import { publicAccessBlockFromConfig } from "./public-access-block";
import { S3_BUCKET_TYPE } from "./ref";
import type { EncryptionRule, Previous, PublicAccessBlock } from "./state";

export interface BucketBefore {
  encryption: Previous<EncryptionRule[] | null>;
  publicAccessBlock: Previous<PublicAccessBlock | null>;
}

const unknown = (reason: string): BucketBefore => ({
  encryption: { known: false, reason },
  publicAccessBlock: { known: false, reason },
});

const RECORDED = new Set(["OK", "ResourceDiscovered"]);

function fromItem(item: ConfigurationItem): BucketBefore {
  const capturedAt = item.configurationItemCaptureTime?.toISOString() ?? "an unknown time";
  if (!RECORDED.has(item.configurationItemStatus ?? ""))
    return unknown(
      `AWS Config's last item before the call (${capturedAt}) is ${item.configurationItemStatus}`,
    );
  const supplementary = item.supplementaryConfiguration ?? {};
  const encryption = encryptionFromConfig(supplementary.ServerSideEncryptionConfiguration);
  const publicAccessBlock =
    "PublicAccessBlockConfiguration" in supplementary
      ? publicAccessBlockFromConfig(supplementary.PublicAccessBlockConfiguration)
      : undefined;
  const missing = (what: string) => ({
    known: false as const,
    reason: `AWS Config's item captured at ${capturedAt} does not record the bucket's ${what}`,
  });
  return {
    encryption:
      encryption !== undefined
        ? { known: true, value: encryption, capturedAt }
        : missing("default encryption"),
    publicAccessBlock:
      publicAccessBlock !== undefined
        ? { known: true, value: publicAccessBlock, capturedAt }
        : missing("Block Public Access settings"),
  };
}

/**
 * The bucket's settings just before a call, from AWS Config's newest item captured at or before the
 * call's time (an item reflecting the call itself is recorded later). When Config doesn't record
 * buckets or won't answer, they are unknown, with the reason; throttling and server errors are
 * thrown so the event is retried.
 */
export async function settingsBefore(
  config: ConfigServiceClient,
  bucketName: string,
  callTime: string,
): Promise<BucketBefore> {
  const { GetResourceConfigHistoryCommand } = await loadConfigService();
  try {
    const out = await config.send(
      new GetResourceConfigHistoryCommand({
        resourceType: S3_BUCKET_TYPE,
        resourceId: bucketName,
        laterTime: new Date(callTime),
        limit: 1,
      }),
    );
    const item = out?.configurationItems?.[0];
    return item ? fromItem(item) : unknown("AWS Config has no item for the bucket from before the call");
  } catch (error) {
    if (isTransient(error)) throw error;
    const name = errorName(error) || "an error";
    return unknown(
      name === "ResourceNotDiscoveredException"
        ? "AWS Config has not recorded this bucket (is it recording AWS::S3::Bucket?)"
        : `AWS Config's history could not be read (${name})`,
    );
  }
}
