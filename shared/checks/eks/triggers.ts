import type { CheckTriggers } from "../define";

const SOURCE = "eks.amazonaws.com";
const CONFIG = ["AWS::EKS::Cluster"];

/** A check's cluster calls; DeleteCluster resolves its findings. Config items show the whole cluster. */
export function clusterTriggers(...eventNames: string[]): CheckTriggers {
  return {
    cloudTrail: [{ eventSource: SOURCE, eventNames: ["CreateCluster", ...eventNames, "DeleteCluster"] }],
    config: CONFIG,
  };
}

/** Add-on calls (Config's cluster items don't show add-ons). */
export const addonTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: SOURCE, eventNames: ["CreateAddon", "UpdateAddon", "DeleteAddon", "DeleteCluster"] },
  ],
  config: [],
};

/**
 * Reads for this resource type: DescribeCluster (what an event or Config item leaves out),
 * DescribeAddon (the vpc-cni configuration an UpdateAddon keeps), ListTagsForResource (exemptions).
 */
export const clusterReadActions = ["eks:DescribeAddon", "eks:DescribeCluster", "eks:ListTagsForResource"];
