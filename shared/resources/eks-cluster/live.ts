import type { EKSClient } from "@aws-sdk/client-eks";
import { errorName } from "../../aws/errors";
import { loadEks } from "../../aws/sdk";
import { UnusableEventError, type Observation } from "../adapter";
import { clusterSchema, settingsOfCluster } from "./cluster-shape";
import { VPC_CNI } from "./from-addon";
import { networkPolicyOf } from "./network-policy";
import type { EksClusterState, VpcCniState } from "./state";

type ClusterObservation = Observation<"AWS::EKS::Cluster">;

/** EKS's answer for a cluster (or add-on) that doesn't exist. */
export function isGone(error: unknown): boolean {
  return errorName(error) === "ResourceNotFoundException";
}

/** The cluster as DescribeCluster shows it now; undefined when it is gone. */
async function describeCluster(eks: EKSClient, name: string): Promise<Partial<EksClusterState> | undefined> {
  const { DescribeClusterCommand } = await loadEks();
  try {
    const out = await eks.send(new DescribeClusterCommand({ name }));
    if (!out.cluster) return undefined;
    const cluster = clusterSchema.safeParse(out.cluster);
    // A shape Vigil can't read is not a deleted cluster: closing its findings would be a false "fixed".
    if (!cluster.success)
      throw new UnusableEventError(
        `${name}: DescribeCluster answered a shape Vigil can't read: ${cluster.error.message}`,
      );
    return settingsOfCluster(cluster.data);
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

/** The `vpc-cni` add-on's network-policy setting now; unmanaged when EKS has no such add-on. */
async function describeVpcCni(eks: EKSClient, clusterName: string): Promise<VpcCniState> {
  const { DescribeAddonCommand } = await loadEks();
  try {
    const out = await eks.send(new DescribeAddonCommand({ clusterName, addonName: VPC_CNI }));
    const setting = networkPolicyOf(out.addon?.configurationValues);
    return "networkPolicy" in setting
      ? { managed: true, networkPolicy: setting.networkPolicy }
      : { managed: true, unreadable: setting.unreadable };
  } catch (error) {
    if (isGone(error)) return { managed: false };
    throw error;
  }
}

/**
 * Completes what the event left out. What the event states wins (an update in progress still shows
 * the old value in DescribeCluster); the live read fills only the gaps, tags included.
 */
export async function refreshCluster(
  observation: ClusterObservation,
  eks: EKSClient,
): Promise<ClusterObservation> {
  const state = observation.state;
  if (!state?.pending) return { ...observation, needsRefresh: false };
  const { pending, ...stated } = state;
  let next: EksClusterState = stated;
  let tagsKnown = observation.tagsKnown;
  if (pending.cluster) {
    const live = await describeCluster(eks, state.clusterName);
    // Deleted since the call: nothing of it is left to judge (its findings resolve).
    if (!live)
      return { ...observation, state: undefined, complete: true, tagsKnown: true, needsRefresh: false };
    next = {
      ...live,
      ...next,
      ...(live.endpoint || next.endpoint ? { endpoint: { ...live.endpoint, ...next.endpoint } } : {}),
      ...(live.logTypes || next.logTypes ? { logTypes: { ...live.logTypes, ...next.logTypes } } : {}),
      tags: next.tags ?? live.tags ?? {},
    };
    tagsKnown = true;
  }
  if (pending.vpcCni) next = { ...next, vpcCni: await describeVpcCni(eks, state.clusterName) };
  return { ...observation, state: next, tagsKnown, needsRefresh: false };
}

/** The tag API's "no such resource" (NotFoundException), besides the cluster API's. */
const TAGS_GONE = new Set(["NotFoundException", "ResourceNotFoundException"]);

/** The cluster's tags (exemptions); a cluster that is gone has none. */
export async function readClusterTags(eks: EKSClient, clusterArn: string): Promise<Record<string, string>> {
  const { ListTagsForResourceCommand } = await loadEks();
  try {
    const out = await eks.send(new ListTagsForResourceCommand({ resourceArn: clusterArn }));
    return { ...out.tags };
  } catch (error) {
    if (TAGS_GONE.has(errorName(error))) return {};
    throw error;
  }
}
