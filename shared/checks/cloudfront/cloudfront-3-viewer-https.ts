import { defineCheck } from "../define";
import { distributionReadActions, distributionTriggers } from "./triggers";

/** Evidence lists at most this many behaviors (a distribution may have dozens). */
const MAX_LISTED = 25;

export default defineCheck({
  id: "CloudFront.3",
  title: "CloudFront distributions should require encryption in transit",
  severity: "MEDIUM",
  resourceType: "AWS::CloudFront::Distribution",
  controls: ["FSBP CloudFront.3"],
  description:
    "A cache behavior's viewer protocol policy is allow-all, so viewers can fetch over plain HTTP. Set it to redirect-to-https or https-only. CloudFront is global: its CloudTrail events arrive only in us-east-1.",
  triggers: distributionTriggers,
  iamActions: distributionReadActions,
  undecided: (state) =>
    state.behaviors === undefined ? "this call does not say the distribution's cache behaviors" : undefined,
  evaluate: (state) => {
    const open = (state.behaviors ?? []).filter((b) => b.viewerProtocolPolicy === "allow-all");
    if (!open.length) return [];
    const names = open.map((b) => (b.pathPattern === undefined ? "the default behavior" : b.pathPattern));
    const more = names.length > 5 ? ` and ${names.length - 5} more` : "";
    return [
      {
        summary: `distribution ${state.distributionId} allows HTTP (viewer protocol policy allow-all) on ${names.slice(0, 5).join(", ")}${more}`,
        evidence: {
          distributionId: state.distributionId,
          distributionArn: state.distributionArn,
          ...(state.enabled !== undefined ? { enabled: state.enabled } : {}),
          allowAll: open.slice(0, MAX_LISTED).map((b) => b.pathPattern ?? "(default)"),
          ...(open.length > MAX_LISTED ? { allowAllCount: open.length } : {}),
        },
      },
    ];
  },
});
