import { defineCheck } from "../define";

export default defineCheck({
  id: "GuardDuty.1",
  title: "GuardDuty should be enabled: the Region should have an enabled GuardDuty detector",
  severity: "HIGH",
  resourceType: "AWS::::AccountRegion",
  // VIGIL.GUARDDUTY.DISABLED / DELETED report the call that turned a detector off; this one the standing state.
  controls: ["FSBP GuardDuty.1"],
  description:
    "No enabled GuardDuty detector in this Region, so threats here go undetected. Vigil doesn't remediate this (enabling GuardDuty starts billing and may be the delegated administrator's call in an organization); create or enable the Region's detector.",
  // Sweep only: no single call or Config item says that a Region never had a detector.
  triggers: { cloudTrail: [], config: [] },
  // The sweep's collector makes the reads (its own iamActions); the adapter reads nothing.
  iamActions: [],
  undecided: (state) =>
    state.guardDuty === "unknown"
      ? "Vigil may not list this Region's GuardDuty detectors (AccessDenied)"
      : undefined,
  evaluate(state) {
    if (state.guardDuty === "unknown") return [];
    const { detectors } = state.guardDuty;
    if (detectors.some((d) => d.status === "ENABLED")) return [];
    return [
      {
        summary: detectors.length
          ? `GuardDuty is not enabled in ${state.region}: detector ${detectors.map((d) => `${d.detectorId} is ${d.status}`).join(", ")}`
          : `GuardDuty is not enabled in ${state.region}: no detector`,
        evidence: {
          region: state.region,
          detectors: detectors.map((d) => ({ detectorId: d.detectorId, status: d.status })),
        },
      },
    ];
  },
});
