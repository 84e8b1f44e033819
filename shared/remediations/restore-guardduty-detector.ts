import type {
  DetectorFeature,
  DetectorFeatureConfiguration,
  FeatureAdditionalConfiguration,
  GuardDutyClient,
} from "@aws-sdk/client-guardduty";
import { loadGuardDuty } from "../aws/sdk";
import { isDetectorGone } from "../resources/guardduty-detector/gone";
import type { DetectorState } from "../resources/guardduty-detector/state";
import { defineRemediation, type RemediationOutcome } from "./define";

export const RESTORE_GUARDDUTY_ID = "restore-guardduty-detector";

/**
 * Why there is no undo: suspending GuardDuty again (or deleting the detector Vigil created) would
 * re-open the gap Vigil closed. No undo payload is recorded; whoever really wants GuardDuty off
 * does it themselves, after exempting the detector (tag `vigil:exempt`) or the check in config.
 */
const NO_UNDO =
  "not undoable by design: Vigil never suspends or deletes a GuardDuty detector; " +
  "do it yourself after exempting it, if it is really intended";

type Outcome = Promise<RemediationOutcome>;

/** A plan to turn back on, with the agent management the same call turned off with it. */
interface FeaturePlan {
  /** As AWS's own UpdateDetector event spelled it, so a valid DetectorFeature value. */
  name: string;
  agents: string[];
}

/** What to turn back on: the detector itself and/or exactly the protection plans the violations name. */
interface Plan {
  enable: boolean;
  features: FeaturePlan[];
}

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function planFor(evidence: Record<string, unknown>[]): Plan {
  const features = new Map<string, Set<string>>();
  for (const e of evidence) {
    if (e.setting !== "protection" || typeof e.feature !== "string") continue;
    const agents = features.get(e.feature) ?? new Set<string>();
    for (const agent of stringsOf(e.agentsOff)) agents.add(agent);
    features.set(e.feature, agents);
  }
  return {
    enable: evidence.some((e) => e.setting === "enabled"),
    features: [...features].map(([name, agents]) => ({ name, agents: [...agents] })),
  };
}

const featureText = (f: FeaturePlan) =>
  f.agents.length
    ? `${f.name}=ENABLED(${f.agents.map((a) => `${a}=ENABLED`).join(",")})`
    : `${f.name}=ENABLED`;

function describePlan(plan: Plan, detectorId: string): string {
  const parts = [
    ...(plan.enable ? ["Enable=true"] : []),
    ...(plan.features.length ? [`Features ${plan.features.map(featureText).join(",")}`] : []),
  ];
  return `UpdateDetector ${detectorId} ${parts.join(" ")}`;
}

/** The request's Features: each plan ENABLED, with its agent management only when the call turned it off. */
function featuresInput(plan: Plan): DetectorFeatureConfiguration[] {
  return plan.features.map((f) => ({
    Name: f.name as DetectorFeature,
    Status: "ENABLED",
    ...(f.agents.length
      ? {
          AdditionalConfiguration: f.agents.map((a) => ({
            Name: a as FeatureAdditionalConfiguration,
            Status: "ENABLED" as const,
          })),
        }
      : {}),
  }));
}

/** UpdateDetector answers nothing on success, so GetDetector confirms the detector and each plan run. */
async function restore(guardDuty: GuardDutyClient, detectorId: string, plan: Plan): Outcome {
  const { GetDetectorCommand, UpdateDetectorCommand } = await loadGuardDuty();
  try {
    await guardDuty.send(
      new UpdateDetectorCommand({
        DetectorId: detectorId,
        ...(plan.enable ? { Enable: true } : {}),
        ...(plan.features.length ? { Features: featuresInput(plan) } : {}),
      }),
    );
  } catch (error) {
    if (!isDetectorGone(error)) throw error;
    // Not "already-gone": that would mark the finding fixed while the Region may have no GuardDuty at
    // all. Nothing was re-enabled; the deletion is its own finding (and its own remediation).
    return {
      result: "skipped",
      action: `detector ${detectorId} no longer exists: nothing to re-enable (see VIGIL.GUARDDUTY.DELETED)`,
      awsCalls: 1,
    };
  }
  const live = await guardDuty.send(new GetDetectorCommand({ DetectorId: detectorId }));
  // "FEATURE" or "FEATURE/AGENT" for each plan and agent management GetDetector says is running.
  const on = new Set<string>(
    (live.Features ?? []).flatMap((f) =>
      f.Status === "ENABLED"
        ? [
            f.Name ?? "",
            ...(f.AdditionalConfiguration ?? [])
              .filter((a) => a.Status === "ENABLED")
              .map((a) => `${f.Name ?? ""}/${a.Name ?? ""}`),
          ]
        : [],
    ),
  );
  const wanted = plan.features.flatMap((f) => [f.name, ...f.agents.map((a) => `${f.name}/${a}`)]);
  const unconfirmed = [
    ...(plan.enable && live.Status !== "ENABLED" ? [`detector status ${live.Status ?? "unknown"}`] : []),
    ...wanted.filter((f) => !on.has(f)),
  ];
  const done = [
    ...(plan.enable ? ["re-enabled"] : []),
    ...plan.features.map((f) =>
      f.agents.length ? `${f.name} on (with ${f.agents.join(", ")})` : `${f.name} on`,
    ),
  ];
  if (unconfirmed.length) {
    // Partly done is failed: every finding sharing this call stays open until all is back.
    return {
      result: "failed",
      action: `${describePlan(plan, detectorId)} sent, but GetDetector does not confirm: ${unconfirmed.join(", ")}`,
      awsCalls: 2,
    };
  }
  return {
    result: "succeeded",
    action: `detector ${detectorId}: ${done.join(", ")}`,
    detail: NO_UNDO,
    awsCalls: 2,
  };
}

/** A Region holds at most one detector: create one only when none is left, never a second. */
async function recreate(guardDuty: GuardDutyClient, state: DetectorState): Outcome {
  const { CreateDetectorCommand, ListDetectorsCommand } = await loadGuardDuty();
  const existing = (await guardDuty.send(new ListDetectorsCommand({}))).DetectorIds ?? [];
  if (existing.length) {
    return {
      result: "skipped",
      action: `not created: ${state.region} already has detector ${existing.join(", ")}`,
      detail: "check that it is enabled; the deletion still needs investigating",
      awsCalls: 1,
    };
  }
  const created = (await guardDuty.send(new CreateDetectorCommand({ Enable: true }))).DetectorId;
  if (!created) {
    return {
      result: "failed",
      action: `CreateDetector in ${state.region} returned no detector id`,
      awsCalls: 2,
    };
  }
  return {
    result: "succeeded",
    action: `created enabled detector ${created} in ${state.region} (replaces deleted ${state.detectorId})`,
    detail: `new detector id ${created}; the deleted detector's findings and settings are not restored; ${NO_UNDO}`,
    awsCalls: 2,
  };
}

/** The client's Region, when it can say: acting in another Region than the detector's would be wrong. */
async function clientRegion(guardDuty: GuardDutyClient): Promise<string | undefined> {
  const region: unknown = guardDuty.config.region;
  if (typeof region === "function") return String(await (region as () => Promise<string>)());
  return typeof region === "string" ? region : undefined;
}

export default defineRemediation<"AWS::GuardDuty::Detector">({
  id: RESTORE_GUARDDUTY_ID,
  title: "Re-enable GuardDuty: resume a suspended detector, or create one when the Region's was deleted",
  resourceType: "AWS::GuardDuty::Detector",
  iamActions: [
    "guardduty:UpdateDetector",
    "guardduty:CreateDetector",
    "guardduty:GetDetector",
    "guardduty:ListDetectors",
  ],
  undoIamActions: [],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const evidence = violations.map((v) => v.evidence);
    const deleted = evidence.some((e) => e.setting === "deleted");
    const plan = planFor(evidence);
    if (!deleted && !plan.enable && !plan.features.length)
      return { result: "skipped", action: "nothing to restore", awsCalls: 0 };
    if (dryRun) {
      const action = deleted
        ? `CreateDetector Enable=true in ${state.region} if no detector is left there`
        : describePlan(plan, state.detectorId);
      return { result: "planned", action, awsCalls: 0 };
    }
    const guardDuty = await clients.guardDuty();
    const region = await clientRegion(guardDuty);
    if (region !== undefined && region !== state.region) {
      return {
        result: "skipped",
        action: `not remediated: detector is in ${state.region}, Vigil's client acts in ${region}`,
        awsCalls: 0,
      };
    }
    return deleted ? recreate(guardDuty, state) : restore(guardDuty, state.detectorId, plan);
  },
  async undo() {
    throw new Error(`${RESTORE_GUARDDUTY_ID}: ${NO_UNDO}`);
  },
});
