import { defineCheck } from "../define";
import { trailReadActions, updateTriggers } from "./triggers";

export default defineCheck({
  id: "VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED",
  title: "CloudTrail trails should stay multi-Region",
  severity: "HIGH",
  resourceType: "AWS::CloudTrail::Trail",
  // CloudTrail.1 / CIS 3.1 judge the whole account; this is one trail losing its other Regions.
  controls: [],
  description:
    "An UpdateTrail call turned the trail's multi-Region logging off, leaving the other Regions unrecorded. Vigil sets IsMultiRegionTrail back to true.",
  tampering: true,
  triggers: updateTriggers,
  iamActions: trailReadActions,
  remediation: { id: "restore-cloudtrail-logging", defaultMode: "auto" },
  undecided: (state) =>
    state.multiRegion === undefined
      ? "this call did not change whether the trail is multi-Region"
      : undefined,
  evaluate: (state) =>
    state.multiRegion === false
      ? [
          {
            summary: `multi-Region logging was turned off on trail ${state.trailName}`,
            evidence: {
              trailArn: state.trailArn,
              setting: "multiRegion",
              multiRegion: false,
              ...(state.includeGlobalServiceEvents !== undefined
                ? { includeGlobalServiceEvents: state.includeGlobalServiceEvents }
                : {}),
            },
          },
        ]
      : [],
});
