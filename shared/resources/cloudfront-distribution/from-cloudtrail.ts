import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { distributionConfigSchema, settingsOf } from "./config-shape";
import { distributionRef, parseDistributionArn, partitionOf } from "./ref";

type DistributionObservation = Observation<"AWS::CloudFront::Distribution">;

const requestSchema = z.looseObject({
  /** UpdateDistribution, UpdateDistributionWithStagingConfig, DeleteDistribution. */
  id: z.string().min(1).optional(),
  distributionConfig: z.unknown().optional(),
  distributionConfigWithTags: z
    .looseObject({
      distributionConfig: z.unknown().optional(),
      tags: z
        .looseObject({
          items: z
            .array(z.looseObject({ key: z.string().min(1), value: z.string().nullable().optional() }))
            .nullish(),
        })
        .nullish(),
    })
    .optional(),
});

/** The distribution the call answers with (every create/update/copy call returns it whole). */
const responseSchema = z.looseObject({
  distribution: z.looseObject({
    id: z.string().min(1),
    aRN: z.string().optional(),
    distributionConfig: z.unknown().optional(),
  }),
});

/** What a config says, or undefined when it is missing, unreadable or can't be trusted whole. */
function configSettings(value: unknown) {
  const parsed = distributionConfigSchema.safeParse(value);
  return parsed.success ? settingsOf(parsed.data) : undefined;
}

/**
 * `CreateDistribution`, `CreateDistributionWithTags`, `UpdateDistribution` (a full replace: the
 * config is the whole distribution), `CopyDistribution` and `UpdateDistributionWithStagingConfig`.
 * The answer's config is authoritative; the request's is the fallback. When neither can be
 * trusted whole (CloudTrail cut or hid parts), the distribution is read instead.
 */
export function fromDistributionWrite(detail: CloudTrailDetail, account: string): DistributionObservation[] {
  const requestResult = requestSchema.safeParse(detail.requestParameters ?? {});
  if (!requestResult.success) {
    throw new UnusableEventError(
      `${detail.eventName} requestParameters: ${z.prettifyError(requestResult.error)}`,
    );
  }
  const request = requestResult.data;
  const response = responseSchema.safeParse(detail.responseElements);
  const answered = response.success ? response.data.distribution : undefined;
  // CopyDistribution's request names the primary (`primaryDistributionId`), never the new copy.
  const id = answered?.id ?? (detail.eventName === "CopyDistribution" ? undefined : request.id);
  if (!id) throw new UnusableEventError(`${detail.eventName}: the event names no distribution id`);

  const arn = answered?.aRN ? parseDistributionArn(answered.aRN) : undefined;
  const resource = distributionRef(
    id,
    arn?.account ?? account,
    arn?.partition ?? partitionOf(detail.awsRegion),
  );
  const requestConfig = request.distributionConfig ?? request.distributionConfigWithTags?.distributionConfig;
  const settings = configSettings(answered?.distributionConfig) ?? configSettings(requestConfig);
  const tagItems = request.distributionConfigWithTags?.tags?.items;
  const tagsKnown = detail.eventName === "CreateDistributionWithTags" && settings !== undefined && !!tagItems;
  const tags = tagsKnown
    ? Object.fromEntries((tagItems ?? []).map((t) => [t.key, t.value ?? ""]))
    : undefined;
  return [
    {
      resource,
      state: {
        distributionId: id,
        distributionArn: resource.arn,
        ...settings,
        ...(tags ? { tags } : {}),
      },
      complete: settings !== undefined,
      observedAt: detail.eventTime,
      tagsKnown,
      ...(settings ? {} : { needsRefresh: true }),
    },
  ];
}

/** `DeleteDistribution`: the distribution is gone, and its findings with it. */
export function fromDeleteDistribution(detail: CloudTrailDetail, account: string): DistributionObservation[] {
  const request = requestSchema.safeParse(detail.requestParameters ?? {});
  const id = request.success ? request.data.id : undefined;
  if (!id) throw new UnusableEventError("DeleteDistribution: the event names no distribution id");
  return [
    {
      resource: distributionRef(id, account, partitionOf(detail.awsRegion)),
      state: undefined,
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: false,
    },
  ];
}
