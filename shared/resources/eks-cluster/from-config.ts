import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { allLogTypesOff } from "./cluster-shape";
import { clusterRef } from "./ref";
import type { EksClusterState } from "./state";

const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

/** Config's `AWS::EKS::Cluster` configuration: PascalCase, CloudFormation-style. */
const configClusterSchema = z.looseObject({
  Name: z.string().min(1).nullish(),
  Arn: z.string().nullish(),
  Version: z.string().nullish(),
  ResourcesVpcConfig: z
    .looseObject({
      EndpointPublicAccess: flag.nullish(),
      EndpointPrivateAccess: flag.nullish(),
      PublicAccessCidrs: z.array(z.string()).nullish(),
    })
    .nullish(),
  Logging: z
    .looseObject({
      ClusterLogging: z
        .looseObject({ EnabledTypes: z.array(z.looseObject({ Type: z.string() })).nullish() })
        .nullish(),
    })
    .nullish(),
  EncryptionConfig: z
    .array(
      z.looseObject({
        Resources: z.array(z.string()).nullish(),
        Provider: z.looseObject({ KeyArn: z.string().nullish() }).nullish(),
      }),
    )
    .nullish(),
  Tags: z.array(z.looseObject({ Key: z.string(), Value: z.string().nullish() })).nullish(),
});
type ConfigCluster = z.infer<typeof configClusterSchema>;

function endpointOf(c: ConfigCluster): EksClusterState["endpoint"] {
  const vpc = c.ResourcesVpcConfig;
  if (typeof vpc?.EndpointPublicAccess !== "boolean") return undefined;
  return {
    publicAccess: vpc.EndpointPublicAccess,
    ...(typeof vpc.EndpointPrivateAccess === "boolean" ? { privateAccess: vpc.EndpointPrivateAccess } : {}),
    ...(vpc.PublicAccessCidrs ? { publicAccessCidrs: vpc.PublicAccessCidrs } : {}),
  };
}

/** CloudFormation lists only the enabled types; the others are off. No `Logging` at all says nothing. */
function logTypesOf(c: ConfigCluster): Record<string, boolean> | undefined {
  if (!c.Logging) return undefined;
  const enabled = (c.Logging.ClusterLogging?.EnabledTypes ?? []).map((t) => [t.Type, true] as const);
  return { ...allLogTypesOff(), ...Object.fromEntries(enabled) };
}

function secretsKeyOf(c: ConfigCluster): string | null | undefined {
  if (!c.EncryptionConfig) return undefined;
  const secrets = c.EncryptionConfig.find((e) => e.Resources?.includes("secrets") && e.Provider?.KeyArn);
  return secrets?.Provider?.KeyArn ?? null;
}

/**
 * A Config item for a cluster: the whole cluster, tags included. A setting the item leaves out is
 * not guessed: it is read with DescribeCluster before the checks run.
 */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::EKS::Cluster"> {
  const raw = configurationOf(item);
  const parsed = ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)
    ? undefined
    : configClusterSchema.safeParse(raw);
  if (parsed && !parsed.success) {
    throw new UnusableEventError(
      `EKS cluster ${item.resourceId}: unreadable configuration: ${z.prettifyError(parsed.error)}`,
    );
  }
  const c = parsed?.data;
  const name = c?.Name ?? item.resourceName ?? item.resourceId;
  const resource = clusterRef(name, item.awsAccountId, item.awsRegion);
  const base = { resource, complete: true, observedAt: item.configurationItemCaptureTime, tagsKnown: true };
  if (!c) return { ...base, state: undefined };

  const tags = { ...Object.fromEntries((c.Tags ?? []).map((t) => [t.Key, t.Value ?? ""])), ...item.tags };
  const endpoint = endpointOf(c);
  const logTypes = logTypesOf(c);
  const secretsKeyArn = secretsKeyOf(c);
  const missing =
    !c.Version ||
    !endpoint ||
    (endpoint.publicAccess && !endpoint.publicAccessCidrs) ||
    !logTypes ||
    secretsKeyArn === undefined;
  const state: EksClusterState = {
    clusterName: resource.id,
    clusterArn: resource.arn,
    region: resource.region,
    ...(c.Version ? { version: c.Version } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(logTypes ? { logTypes } : {}),
    ...(secretsKeyArn !== undefined ? { secretsKeyArn } : {}),
    ...(missing ? { pending: { cluster: true } } : {}),
    tags,
  };
  return { ...base, state, ...(missing ? { needsRefresh: true } : {}) };
}
