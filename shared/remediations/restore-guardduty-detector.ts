import type { DetectorFeature, GuardDutyClient } from "@aws-sdk/client-guardduty";
import { errorName } from "../aws/errors";
import { loadGuardDuty } from "../aws/sdk";
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

/** GuardDuty answers BadRequestException (not a NotFound) for a detector id that is no longer there. */
const isGone = (error: unknown) =>
  errorName(error) === "BadRequestException" &&
  /detector|not found|not owned/i.test((error as Error).message);

/** What to turn back on: the detector itself and/or exactly the protection plans the violations name. */
interface Plan {
  enable: boolean;
  /** Feature names as AWS's own UpdateDetector event spelled them, so valid DetectorFeature values. */
  features: string[];
}

function planFor(evidence: Record<string, unknown>[]): Plan {
  const features = evidence
    .filter((e) => e.setting === "protection" && typeof e.feature === "string")
    .map((e) => String(e.feature));
  return { enable: evidence.some((e) => e.setting === "enabled"), features: [...new Set(features)] };
}

function describePlan(plan: Plan, detectorId: string): string {
  const parts = [
    ...(plan.enable ? ["Enable=true"] : []),
    ...(plan.features.length ? [`Features ${plan.features.map((f) => `${f}=ENABLED`).join(",")}`] : []),
  ];
  return `UpdateDetector ${detectorId} ${parts.join(" ")}`;
}

/** UpdateDetector answers nothing on success, so GetDetector confirms the detector and each plan run. */
async function restore(guardDuty: GuardDutyClient, detectorId: string, plan: Plan): Outcome {
  const { GetDetectorCommand, UpdateDetectorCommand } = await loadGuardDuty();
  try {
    await guardDuty.send(
      new UpdateDetectorCommand({
        DetectorId: detectorId,
        ...(plan.enable ? { Enable: true } : {}),
        ...(plan.features.length
          ? { Features: plan.features.map((name) => ({ Name: name as DetectorFeature, Status: "ENABLED" })) }
          : {}),
      }),
    );
  } catch (error) {
    if (!isGone(error)) throw error;
    // Not "already-gone": that would mark the finding fixed while the Region may have no GuardDuty at
    // all. Nothing was re-enabled; the deletion is its own finding (and its own remediation).
    return {
      result: "skipped",
      action: `detector ${detectorId} no longer exists: nothing to re-enable (see VIGIL.GUARDDUTY.DELETED)`,
      awsCalls: 1,
    };
  }
  const live = await guardDuty.send(new GetDetectorCommand({ DetectorId: detectorId }));
  const on = new Set<string>(
    (live.Features ?? []).filter((f) => f.Status === "ENABLED").map((f) => f.Name ?? ""),
  );
  const unconfirmed = [
    ...(plan.enable && live.Status !== "ENABLED" ? [`detector status ${live.Status ?? "unknown"}`] : []),
    ...plan.features.filter((f) => !on.has(f)),
  ];
  const done = [...(plan.enable ? ["re-enabled"] : []), ...plan.features.map((f) => `${f} on`)];
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
