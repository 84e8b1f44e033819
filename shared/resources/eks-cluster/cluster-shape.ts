import { z } from "zod";
import type { EksClusterState, EndpointAccess } from "./state";

/**
 * The EKS API's camelCase cluster shapes, as CloudTrail records requests and responses and as
 * DescribeCluster answers: one reading for both.
 */

/** CloudTrail writes booleans as JSON booleans; tolerate the string form. */
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

export const vpcConfigSchema = z.looseObject({
  endpointPublicAccess: flag.nullish(),
  endpointPrivateAccess: flag.nullish(),
  publicAccessCidrs: z.array(z.string()).nullish(),
});

export const loggingSchema = z.looseObject({
  clusterLogging: z
    .array(z.looseObject({ types: z.array(z.string()).nullish(), enabled: flag.nullish() }))
    .nullish(),
});

export const encryptionConfigSchema = z.array(
  z.looseObject({
    resources: z.array(z.string()).nullish(),
    provider: z.looseObject({ keyArn: z.string().nullish() }).nullish(),
  }),
);

/** A `Cluster` (CreateCluster's `responseElements.cluster`, DescribeCluster's `cluster`). */
export const clusterSchema = z.looseObject({
  name: z.string().min(1).nullish(),
  // The 2018 CloudTrail samples in the EKS guide call it `clusterName`.
  clusterName: z.string().min(1).nullish(),
  arn: z.string().nullish(),
  version: z.string().nullish(),
  resourcesVpcConfig: vpcConfigSchema.nullish(),
  logging: loggingSchema.nullish(),
  encryptionConfig: encryptionConfigSchema.nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
});
export type ClusterShape = z.infer<typeof clusterSchema>;

/** Every control-plane log type EKS has; a whole-cluster view says each one's state. */
export const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export function allLogTypesOff(): Record<string, boolean> {
  return Object.fromEntries(LOG_TYPES.map((t) => [t, false]));
}

/** The log types a `logging` setting turns on or off (a type without `enabled` says nothing). */
export function logTypesOf(
  logging: z.infer<typeof loggingSchema> | null | undefined,
): Record<string, boolean> {
  const types: Record<string, boolean> = {};
  for (const setup of logging?.clusterLogging ?? []) {
    if (setup.enabled === null || setup.enabled === undefined) continue;
    for (const type of setup.types ?? []) types[type] = setup.enabled;
  }
  return types;
}

/** The endpoint settings a `resourcesVpcConfig` states; fields it leaves out stay absent. */
export function endpointOf(vpc: z.infer<typeof vpcConfigSchema> | null | undefined): EndpointAccess {
  return {
    ...(typeof vpc?.endpointPublicAccess === "boolean" ? { publicAccess: vpc.endpointPublicAccess } : {}),
    ...(typeof vpc?.endpointPrivateAccess === "boolean" ? { privateAccess: vpc.endpointPrivateAccess } : {}),
    ...(vpc?.publicAccessCidrs ? { publicAccessCidrs: vpc.publicAccessCidrs } : {}),
  };
}

/**
 * The KMS key that envelope-encrypts secrets, null when no encryption configuration covers them.
 * Undefined when the list is absent (the source doesn't say).
 */
export function secretsKeyOf(
  config: z.infer<typeof encryptionConfigSchema> | null | undefined,
): string | null | undefined {
  if (config === null || config === undefined) return undefined;
  const secrets = config.find((c) => c.resources?.includes("secrets") && c.provider?.keyArn);
  return secrets?.provider?.keyArn ?? null;
}

/** The settings a whole `Cluster` shows (DescribeCluster, CreateCluster's response). */
export function settingsOfCluster(
  cluster: ClusterShape,
): Pick<EksClusterState, "version" | "endpoint" | "secretsKeyArn" | "logTypes" | "tags"> {
  return {
    ...(cluster.version ? { version: cluster.version } : {}),
    ...(cluster.resourcesVpcConfig ? { endpoint: endpointOf(cluster.resourcesVpcConfig) } : {}),
    // A whole cluster without an encryption configuration has none.
    secretsKeyArn: secretsKeyOf(cluster.encryptionConfig ?? []) ?? null,
    // DescribeCluster lists every type with its state; a type it leaves out is off.
    logTypes: { ...allLogTypesOff(), ...logTypesOf(cluster.logging) },
    ...(cluster.tags ? { tags: cluster.tags } : {}),
  };
}
