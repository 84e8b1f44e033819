import type { Cluster, DescribeClusterCommandOutput } from "@aws-sdk/client-eks";
import { eksClusterChecks } from "../../shared/checks/eks";
import { vigilConfigSchema } from "../../shared/config/schema";
import type { VigilConfigInput } from "../../shared/config/schema";
import { findingId } from "../../shared/findings/id";
import type { EksClusterState } from "../../shared/resources/eks-cluster/state";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const CLUSTER = "payments-prod";
export const CLUSTER_ARN = `arn:aws:eks:${REGION}:${ACCOUNT}:cluster/${CLUSTER}`;
export const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/3f6b2c1d-8a4e-4b7f-9c2d-5e1a7b3c9d0f`;

export const eksEvent = (name: string) => loadEvent(`eks/${name}.json`);

export const idFor = (checkId: string, resourceId = CLUSTER) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: {}, ...extra });
}

export const baseState: EksClusterState = { clusterName: CLUSTER, clusterArn: CLUSTER_ARN, region: REGION };

/** The area's check by id (from its own index: the tests don't depend on the whole catalog). */
export const eksCheck = (id: string) => eksClusterChecks.find((check) => check.id === id);

/** A check's verdict on a state: its undecided reason when it can't judge, else its violations. */
export function judge(id: string, state: EksClusterState, config: VigilConfigInput = {}) {
  const found = eksClusterChecks.find((check) => check.id === id);
  if (!found || found.resourceType !== "AWS::EKS::Cluster") throw new Error(`no EKS cluster check ${id}`);
  const context = { config: vigilConfigSchema.parse(config) };
  const c = found as unknown as {
    evaluate(
      s: EksClusterState,
      ctx: typeof context,
    ): { summary: string; evidence: unknown; severity?: string }[];
    undecided?(s: EksClusterState, ctx: typeof context): string | undefined;
  };
  return c.undecided?.(state, context) ?? c.evaluate(state, context);
}

/** The DescribeCluster answer for a cluster (SDK shape). */
export function describedCluster(overrides: Partial<Cluster> = {}): DescribeClusterCommandOutput {
  return {
    $metadata: {},
    cluster: {
      name: CLUSTER,
      arn: CLUSTER_ARN,
      version: "1.33",
      resourcesVpcConfig: {
        endpointPublicAccess: true,
        endpointPrivateAccess: true,
        publicAccessCidrs: ["0.0.0.0/0"],
      },
      logging: {
        clusterLogging: [
          { types: ["api", "audit"], enabled: true },
          { types: ["authenticator", "controllerManager", "scheduler"], enabled: false },
        ],
      },
      encryptionConfig: [{ resources: ["secrets"], provider: { keyArn: KEY_ARN } }],
      tags: { team: "payments" },
      ...overrides,
    },
  };
}
