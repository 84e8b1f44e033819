import { loadEks } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { refreshCluster } from "../../resources/eks-cluster/live";
import { CLUSTER_TYPE, clusterRef } from "../../resources/eks-cluster/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** ListClusters takes up to 100 per page. */
const PAGE_SIZE = 100;

/**
 * Every EKS cluster of the Region, read as the event path's refresh reads it: DescribeCluster
 * (version, endpoint access, secrets encryption, control-plane logs, tags) and the `vpc-cni`
 * add-on's network-policy setting (DescribeAddon; none managed: `managed: false`). A cluster
 * deleted meanwhile is skipped.
 */
export function eksClustersCollector(pageSize = PAGE_SIZE): Collector<"AWS::EKS::Cluster"> {
  return defineCollector({
    resourceType: CLUSTER_TYPE,
    scope: "regional",
    iamActions: ["eks:ListClusters", "eks:DescribeCluster", "eks:DescribeAddon"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::EKS::Cluster">> {
      const [eks, { paginateListClusters }] = await Promise.all([ctx.clients.eks(), loadEks()]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateListClusters({ client: eks }, { maxResults: pageSize })) {
        for (const name of page.clusters ?? []) {
          const resource = clusterRef(name, ctx.account, ctx.region);
          const read = await refreshCluster(
            {
              resource,
              state: {
                clusterName: name,
                clusterArn: resource.arn,
                region: ctx.region,
                pending: { cluster: true, vpcCni: true },
              },
              complete: true,
              observedAt,
              tagsKnown: false,
              needsRefresh: true,
            },
            eks,
          );
          if (!read.state) continue;
          yield { ...read, needsRefresh: false };
        }
      }
    },
  });
}

export default eksClustersCollector();
