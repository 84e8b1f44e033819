import type { S3Client } from "@aws-sdk/client-s3";
import { standardClientConfig } from "../../aws/clients";
import { errorName } from "../../aws/errors";
import { loadS3 } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import {
  BucketGoneError,
  isBucketGone,
  readBucketTags,
  readEncryption,
  readPolicyText,
  readPublicAccessBlock,
  type BucketTarget,
} from "../../resources/s3-bucket/live";
import { parseBucketPolicy } from "../../resources/s3-bucket/policy";
import { bucketRef, S3_BUCKET_TYPE } from "../../resources/s3-bucket/ref";
import type { S3BucketState } from "../../resources/s3-bucket/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

type BucketObservation = Observation<"AWS::S3::Bucket">;

/** ListBuckets takes up to 10,000 per page; 1,000 keeps each answer small. */
const PAGE_SIZE = 1000;

/** Makes the client that reads buckets of another Region than the home client's. */
export type RegionalS3 = (region: string, home: S3Client) => Promise<S3Client>;

/**
 * A client for `region` with the home client's identity (credentials) and endpoint: S3 answers a
 * bucket's settings only from the bucket's own Region (elsewhere: 301 PermanentRedirect).
 */
const regionalClient: RegionalS3 = async (region, home) => {
  const { S3Client } = await loadS3();
  return new S3Client({
    ...standardClientConfig,
    region,
    credentials: home.config.credentials,
    forcePathStyle: home.config.forcePathStyle,
    ...(home.config.isCustomEndpoint && home.config.endpoint ? { endpoint: home.config.endpoint } : {}),
  });
};

/** `GetBucketLocation`'s answer as a Region: empty for us-east-1, and the legacy `EU` for eu-west-1. */
export function regionOfLocation(constraint: string | undefined | null): string {
  if (!constraint) return "us-east-1";
  return constraint === "EU" ? "eu-west-1" : constraint;
}

/**
 * A bucket policy may deny everyone but a few roles, Vigil's reads included: that aspect then stays
 * unknown (its checks undecided), as in the event path, rather than failing the whole sweep unit.
 */
function unlessDenied<T>(read: Promise<T>): Promise<T | undefined> {
  return read.catch((error: unknown) => {
    if (errorName(error) === "AccessDenied") return undefined;
    throw error;
  });
}

/** Encryption, Block Public Access, policy and tags of one bucket; undefined when it is gone. */
async function readBucket(s3: S3Client, bucket: BucketTarget): Promise<Partial<S3BucketState> | undefined> {
  try {
    const [encryption, publicAccessBlock, policyText, tags] = await Promise.all([
      unlessDenied(readEncryption(s3, bucket)),
      unlessDenied(readPublicAccessBlock(s3, bucket)),
      unlessDenied(readPolicyText(s3, bucket)),
      unlessDenied(readBucketTags(s3, bucket)),
    ]);
    const policy = typeof policyText === "string" ? parseBucketPolicy(policyText) : policyText;
    return {
      ...(encryption ? { encryption } : {}),
      ...(publicAccessBlock !== undefined ? { publicAccessBlock } : {}),
      ...(policy !== undefined ? { policy } : {}),
      ...(tags ? { tags } : {}),
    };
  } catch (error) {
    if (error instanceof BucketGoneError) return undefined;
    throw error;
  }
}

/**
 * Every general purpose bucket of the account, each read from its own Region: the same settings a
 * Config item carries (encryption, Block Public Access, policy, tags), so S3.5, S3.8 and the public
 * policy check judge it as they judge the item. Global: ListBuckets lists every Region's buckets.
 */
export function s3BucketsCollector(
  options: { pageSize?: number; regionalS3?: RegionalS3 } = {},
): Collector<"AWS::S3::Bucket"> {
  const { pageSize = PAGE_SIZE, regionalS3 = regionalClient } = options;
  return defineCollector({
    resourceType: S3_BUCKET_TYPE,
    scope: "global",
    // IAM names differ from the API's: GetBucketEncryption needs s3:GetEncryptionConfiguration,
    // GetPublicAccessBlock s3:GetBucketPublicAccessBlock, ListBuckets s3:ListAllMyBuckets.
    iamActions: [
      "s3:ListAllMyBuckets",
      "s3:GetBucketLocation",
      "s3:GetEncryptionConfiguration",
      "s3:GetBucketPublicAccessBlock",
      "s3:GetBucketPolicy",
      "s3:GetBucketTagging",
    ],
    async *collect(ctx: CollectContext): AsyncIterable<BucketObservation> {
      const [home, { paginateListBuckets, GetBucketLocationCommand }] = await Promise.all([
        ctx.clients.s3(),
        loadS3(),
      ]);
      const regional = new Map<string, Promise<S3Client>>();
      const clientFor = (region: string): Promise<S3Client> => {
        if (region === ctx.region) return Promise.resolve(home);
        let client = regional.get(region);
        if (!client) regional.set(region, (client = regionalS3(region, home)));
        return client;
      };
      const regionOf = async (name: string, listed: string | undefined): Promise<string | undefined> => {
        if (listed) return listed;
        try {
          const out = await home.send(
            new GetBucketLocationCommand({ Bucket: name, ExpectedBucketOwner: ctx.account }),
          );
          return regionOfLocation(out.LocationConstraint);
        } catch (error) {
          if (isBucketGone(error)) return undefined;
          throw error;
        }
      };
      const observedAt = ctx.now.toISOString();
      try {
        for await (const page of paginateListBuckets({ client: home }, { MaxBuckets: pageSize })) {
          for (const listed of page.Buckets ?? []) {
            if (!listed.Name) continue;
            const region = await regionOf(listed.Name, listed.BucketRegion);
            if (!region) continue;
            const bucket = { bucketName: listed.Name, accountId: ctx.account };
            const settings = await readBucket(await clientFor(region), bucket);
            if (!settings) continue;
            const resource = bucketRef(listed.Name, ctx.account, region);
            yield {
              resource,
              state: {
                bucketName: resource.id,
                bucketArn: resource.arn,
                accountId: ctx.account,
                ...settings,
              },
              complete: true,
              observedAt,
              tagsKnown: settings.tags !== undefined,
            };
          }
        }
      } finally {
        for (const client of regional.values())
          void client.then(
            (c) => c.destroy(),
            () => undefined,
          );
      }
    },
  });
}

export default s3BucketsCollector();
