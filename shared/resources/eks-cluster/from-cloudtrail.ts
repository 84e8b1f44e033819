import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import {
  allLogTypesOff,
  clusterSchema,
  encryptionConfigSchema,
  endpointOf,
  logTypesOf,
  loggingSchema,
  secretsKeyOf,
  vpcConfigSchema,
} from "./cluster-shape";
import { clusterRef } from "./ref";
import type { EksClusterState, EndpointAccess } from "./state";

type ClusterObservation = Observation<"AWS::EKS::Cluster">;
type Settings = Omit<EksClusterState, "clusterName" | "clusterArn" | "region">;

/** Cluster calls name the cluster `name` (the URI label); the EKS guide's 2018 sample says `clusterName`. */
const requestSchema = z.looseObject({
  name: z.string().min(1).optional(),
  clusterName: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  resourcesVpcConfig: vpcConfigSchema.nullish(),
  logging: loggingSchema.nullish(),
  encryptionConfig: encryptionConfigSchema.nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
});
type Request = z.infer<typeof requestSchema>;

const createResponseSchema = z.looseObject({ cluster: clusterSchema.nullish() }).nullish();

/** EKS's defaults for what CreateCluster leaves out: public endpoint open to all, no private one. */
const DEFAULT_ENDPOINT: EndpointAccess = {
  publicAccess: true,
  privateAccess: false,
  publicAccessCidrs: ["0.0.0.0/0"],
};

export function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

function request(detail: CloudTrailDetail): Request & { cluster: string } {
  const parsed = parse(requestSchema, detail.requestParameters, `${detail.eventName} requestParameters`);
  const cluster = parsed.name ?? parsed.clusterName;
  if (!cluster) throw new UnusableEventError(`${detail.eventName} requestParameters name no cluster`);
  return { ...parsed, cluster };
}

export function observe(
  detail: CloudTrailDetail,
  account: string,
  cluster: string,
  settings: Settings | undefined,
  tagsKnown = false,
): ClusterObservation {
  const resource = clusterRef(cluster, account, detail.awsRegion);
  const pending = settings?.pending;
  return {
    resource,
    state: settings && {
      clusterName: resource.id,
      clusterArn: resource.arn,
      region: resource.region,
      ...settings,
    },
    // Complete for the settings the call states; checks of the others stay undecided.
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown,
    ...(pending && Object.keys(pending).length ? { needsRefresh: true } : {}),
  };
}

/**
 * `CreateCluster`: the response's `cluster` is the new cluster as EKS made it; the request and
 * EKS's documented defaults fill what an abridged response leaves out.
 */
export function fromCreateCluster(detail: CloudTrailDetail, account: string): ClusterObservation[] {
  const req = request(detail);
  const created = parse(
    createResponseSchema,
    detail.responseElements,
    "CreateCluster responseElements",
  )?.cluster;
  const endpoint = {
    ...DEFAULT_ENDPOINT,
    ...endpointOf(req.resourcesVpcConfig),
    ...endpointOf(created?.resourcesVpcConfig),
  };
  const logTypes = { ...allLogTypesOff(), ...logTypesOf(req.logging), ...logTypesOf(created?.logging) };
  const secretsKeyArn = secretsKeyOf(created?.encryptionConfig) ?? secretsKeyOf(req.encryptionConfig) ?? null;
  const version = created?.version ?? req.version;
  const settings: Settings = {
    ...(version ? { version } : {}),
    endpoint,
    secretsKeyArn,
    logTypes,
    // A new cluster has exactly the tags it was created with.
    tags: created?.tags ?? req.tags ?? {},
  };
  return [observe(detail, account, created?.name ?? req.cluster, settings, true)];
}

/**
 * `UpdateClusterConfig` names only what it changes: the endpoint settings or log types it sets.
 * An endpoint change that leaves out whether the endpoint is public (or, for a public one, from
 * where) is completed from DescribeCluster: EKS applies one update at a time, so what the call
 * doesn't change is still what the cluster has.
 */
export function fromUpdateClusterConfig(detail: CloudTrailDetail, account: string): ClusterObservation[] {
  const req = request(detail);
  const endpoint = req.resourcesVpcConfig ? endpointOf(req.resourcesVpcConfig) : undefined;
  const logTypes = req.logging ? logTypesOf(req.logging) : undefined;
  const judgeable =
    endpoint === undefined ||
    endpoint.publicAccess === false ||
    (endpoint.publicAccess === true && endpoint.publicAccessCidrs !== undefined);
  const settings: Settings = {
    ...(endpoint && Object.keys(endpoint).length ? { endpoint } : {}),
    ...(logTypes && Object.keys(logTypes).length ? { logTypes } : {}),
    ...(judgeable ? {} : { pending: { cluster: true as const } }),
  };
  return [observe(detail, account, req.cluster, settings)];
}

/** `UpdateClusterVersion`: the version the cluster is being upgraded to. */
export function fromUpdateClusterVersion(detail: CloudTrailDetail, account: string): ClusterObservation[] {
  const req = request(detail);
  if (!req.version) throw new UnusableEventError("UpdateClusterVersion requestParameters name no version");
  return [observe(detail, account, req.cluster, { version: req.version })];
}

/** `AssociateEncryptionConfig`: secrets encryption with a KMS key (it can't be removed afterwards). */
export function fromAssociateEncryptionConfig(
  detail: CloudTrailDetail,
  account: string,
): ClusterObservation[] {
  const req = request(detail);
  const key = secretsKeyOf(req.encryptionConfig);
  return [observe(detail, account, req.cluster, key ? { secretsKeyArn: key } : {})];
}

/** `DeleteCluster`: the cluster is gone, and with it every finding about it. */
export function fromDeleteCluster(detail: CloudTrailDetail, account: string): ClusterObservation[] {
  const req = request(detail);
  return [{ ...observe(detail, account, req.cluster, undefined), tagsKnown: true }];
}
