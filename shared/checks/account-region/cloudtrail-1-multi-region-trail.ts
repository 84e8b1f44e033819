import type { TrailSummary } from "../../resources/account-region/state";
import { defineCheck } from "../define";

/** Why a trail doesn't count for CloudTrail.1 (known reasons only); empty when it counts or might. */
function disqualifiers(trail: TrailSummary): string[] {
  const why: string[] = [];
  if (!trail.multiRegion) why.push("single-Region trail");
  if (trail.logging === false) why.push("not logging");
  if (trail.managementEvents === "none") why.push("records no management events");
  if (trail.managementEvents === "read-only") why.push("records read management events only");
  if (trail.managementEvents === "write-only") why.push("records write management events only");
  return why;
}

const counts = (trail: TrailSummary) =>
  trail.multiRegion && trail.logging === true && trail.managementEvents === "all";

/** A trail that might count, but whose status or selectors Vigil could not read. */
const mightCount = (trail: TrailSummary) => !counts(trail) && disqualifiers(trail).length === 0;

export default defineCheck({
  id: "CloudTrail.1",
  title:
    "CloudTrail should have at least one logging multi-Region trail recording read and write management events",
  severity: "HIGH",
  resourceType: "AWS::::AccountRegion",
  controls: ["FSBP CloudTrail.1", "CIS 3.1"],
  description:
    "Without a multi-Region trail that is logging and records both read and write management events, API activity in this Region leaves no audit record. Vigil doesn't remediate this: creating or changing a trail needs choices (S3 bucket, KMS key, organization trail); create one (or fix an existing trail's logging or event selectors).",
  // Sweep only: no single call or Config item says that no trail covers the Region.
  triggers: { cloudTrail: [], config: [] },
  // The sweep's collector makes the reads (its own iamActions); the adapter reads nothing.
  iamActions: [],
  undecided(state) {
    if (state.cloudTrail === "unknown") return "Vigil may not list this Region's trails (AccessDenied)";
    const { trails } = state.cloudTrail;
    if (trails.some(counts)) return undefined;
    const unread = trails.filter(mightCount).map((t) => t.name);
    return unread.length
      ? `Vigil could not read the status or event selectors of trail(s) ${unread.join(", ")} (AccessDenied)`
      : undefined;
  },
  evaluate(state) {
    if (state.cloudTrail === "unknown") return [];
    const { trails } = state.cloudTrail;
    if (trails.some((t) => counts(t) || mightCount(t))) return [];
    return [
      {
        summary: trails.length
          ? `No trail in ${state.region} is a logging multi-Region trail recording read and write management events (${trails.length} trail(s) seen, none counts)`
          : `No CloudTrail trail covers ${state.region}`,
        evidence: {
          region: state.region,
          trails: trails.map((t) => ({
            name: t.name,
            homeRegion: t.homeRegion,
            multiRegion: t.multiRegion,
            logging: t.logging,
            managementEvents: t.managementEvents,
            ...(t.organizationTrail ? { organizationTrail: true } : {}),
            whyItDoesNotCount: disqualifiers(t),
          })),
        },
      },
    ];
  },
});
