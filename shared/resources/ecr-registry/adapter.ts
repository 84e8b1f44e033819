import { z } from "zod";
import type { ResourceRef } from "../../core/resource";
import { loadEcr } from "../../aws/sdk";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { defineResourceAdapter, UnusableEventError, type Observation } from "../adapter";
import { parseEventPart } from "../ecr-repository/event-parsing";
import { readRegistryScanning } from "../ecr-repository/live";
import { partitionOf } from "../ecr-repository/ref";
import { coversEveryRepository } from "../ecr-repository/scan-coverage";
import type { RegistryScanning } from "../ecr-repository/state";

export const ECR_REGISTRY_TYPE = "AWS::ECR::Registry";

/** The reads this adapter makes: the registry check lists them as its iamActions. */
export const ecrRegistryReadActions = ["ecr:GetRegistryScanningConfiguration", "ecr:DescribeRepositories"];

/** Registries have no ARN of their own; this one names the account's registry in a region. */
export function registryRef(registryId: string, region: string): ResourceRef {
  return {
    type: ECR_REGISTRY_TYPE,
    id: registryId,
    arn: `arn:${partitionOf(region)}:ecr:${region}:${registryId}:registry`,
    account: registryId,
    region,
    name: `ECR private registry ${registryId}`,
  };
}

const rulesSchema = z
  .array(
    z.looseObject({
      scanFrequency: z.string(),
      repositoryFilters: z
        .array(z.looseObject({ filter: z.string(), filterType: z.string().optional() }))
        .nullable()
        .optional(),
    }),
  )
  .nullable()
  .optional();
/** The request, and the response's `registryScanningConfiguration`, have this shape. */
const configurationSchema = z.looseObject({ scanType: z.string().optional(), rules: rulesSchema });
const responseSchema = z
  .looseObject({ registryScanningConfiguration: configurationSchema.optional() })
  .nullable()
  .optional();

function scanningOf(configuration: z.infer<typeof configurationSchema>): RegistryScanning {
  return {
    scanType: configuration.scanType ?? "BASIC",
    rules: (configuration.rules ?? []).map((rule) => ({
      scanFrequency: rule.scanFrequency,
      filters: (rule.repositoryFilters ?? []).map((f) => f.filter),
    })),
  };
}

/**
 * `PutRegistryScanningConfiguration` replaces the registry's rules (the response echoes the new ones).
 * Rules that scan every repository need nothing else; otherwise the repositories are listed live to
 * name those left unscanned.
 */
function fromPutRegistryScanning(
  detail: CloudTrailDetail,
  account: string,
): Observation<"AWS::ECR::Registry"> {
  const what = "PutRegistryScanningConfiguration";
  const request = parseEventPart(
    configurationSchema,
    detail.requestParameters ?? {},
    `${what} requestParameters`,
  );
  const response = parseEventPart(responseSchema, detail.responseElements, `${what} responseElements`);
  const configuration = response?.registryScanningConfiguration ?? request;
  const scanning = scanningOf(configuration);
  const everything = coversEveryRepository(scanning);
  return {
    resource: registryRef(account, detail.awsRegion),
    state: { registryId: account, scanning },
    complete: everything,
    observedAt: detail.eventTime,
    tagsKnown: true,
    needsRefresh: !everything,
  };
}

export default defineResourceAdapter({
  resourceType: ECR_REGISTRY_TYPE,
  fromCloudTrail(detail, account) {
    if (detail.eventName !== "PutRegistryScanningConfiguration")
      throw new UnusableEventError(`no ECR registry reader for ${detail.eventName}`);
    return [fromPutRegistryScanning(detail, account)];
  },
  fromConfigItem(item) {
    throw new UnusableEventError(`ECR registry: Config items of ${item.resourceType} are not read`);
  },
  async readTags() {
    return {};
  },
  /** The rules as they are now (a later call may have changed them) and every repository's own flag. */
  async refresh(observation, clients) {
    const state = observation.state;
    if (!state) return observation;
    const [ecr, { paginateDescribeRepositories }] = await Promise.all([clients.ecr(), loadEcr()]);
    const scanning = await readRegistryScanning(ecr, state.registryId);
    if (!scanning) throw new UnusableEventError(`registry ${state.registryId} is not the caller's registry`);
    const repositories: { name: string; scanOnPush: boolean }[] = [];
    if (!coversEveryRepository(scanning)) {
      const pages = paginateDescribeRepositories(
        { client: ecr },
        { registryId: state.registryId, maxResults: 1000 },
      );
      for await (const page of pages) {
        for (const r of page.repositories ?? []) {
          if (r.repositoryName)
            repositories.push({
              name: r.repositoryName,
              scanOnPush: r.imageScanningConfiguration?.scanOnPush ?? false,
            });
        }
      }
    }
    return {
      ...observation,
      state: { ...state, scanning, repositories },
      complete: true,
      needsRefresh: false,
    };
  },
});
