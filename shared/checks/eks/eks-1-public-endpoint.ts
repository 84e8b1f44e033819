import { canonicalCidr } from "../../net/cidr";
import { defineCheck } from "../define";
import { clusterReadActions, clusterTriggers } from "./triggers";

const WORLD = new Set(["0.0.0.0/0", "::/0"]);

export default defineCheck({
  id: "EKS.1",
  title: "EKS cluster endpoints should not be publicly accessible",
  severity: "HIGH",
  resourceType: "AWS::EKS::Cluster",
  controls: ["FSBP EKS.1"],
  description:
    "The cluster's Kubernetes API server endpoint is reachable from the internet (CRITICAL when open to 0.0.0.0/0). Turn public access off and reach the API through the private endpoint, or at least limit publicAccessCidrs to known networks.",
  triggers: clusterTriggers("UpdateClusterConfig"),
  iamActions: clusterReadActions,
  undecided: (state) =>
    state.endpoint?.publicAccess === undefined ||
    (state.endpoint.publicAccess && state.endpoint.publicAccessCidrs === undefined)
      ? "this view does not say whether (and from where) the API server endpoint is public"
      : undefined,
  evaluate: (state) => {
    const endpoint = state.endpoint;
    if (!endpoint?.publicAccess) return [];
    const cidrs = endpoint.publicAccessCidrs ?? [];
    const world = cidrs.filter((c) => WORLD.has(canonicalCidr(c) ?? c));
    return [
      {
        summary: world.length
          ? `EKS cluster ${state.clusterName} has a public API server endpoint open to ${world.join(", ")}`
          : `EKS cluster ${state.clusterName} has a public API server endpoint (allowed from ${cidrs.join(", ")})`,
        evidence: {
          clusterName: state.clusterName,
          setting: "endpointPublicAccess",
          endpointPublicAccess: true,
          ...(endpoint.privateAccess !== undefined ? { endpointPrivateAccess: endpoint.privateAccess } : {}),
          publicAccessCidrs: cidrs,
        },
        ...(world.length ? { severity: "CRITICAL" as const } : {}),
      },
    ];
  },
});
