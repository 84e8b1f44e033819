import type { CloudTrailClient, UpdateTrailCommandInput } from "@aws-sdk/client-cloudtrail";
import { errorName } from "../aws/errors";
import { loadCloudTrail } from "../aws/sdk";
import type { TrailState } from "../resources/cloudtrail-trail/state";
import { defineRemediation, type RemediationOutcome } from "./define";

export const RESTORE_CLOUDTRAIL_ID = "restore-cloudtrail-logging";

/**
 * Why there is no undo: putting back an attacker's StopLogging/UpdateTrail would re-open the gap
 * Vigil closed. No undo payload is recorded; whoever really wants it off does it themselves (and
 * exempts the trail with the `vigil:exempt` tag first, or Vigil turns it back on).
 */
const NO_UNDO =
  "not undoable by design: Vigil never turns CloudTrail logging, log file validation or multi-Region back off; " +
  "do it yourself after tagging the trail exempt, if it is really intended";

type Setting = "logging" | "logFileValidation" | "multiRegion";

interface Plan {
  startLogging: boolean;
  update: Pick<UpdateTrailCommandInput, "EnableLogFileValidation" | "IsMultiRegionTrail">;
  /** Weakened settings Vigil can't put back safely, with the reason. */
  skipped: string[];
}

/** Exactly the settings the violations name, each restored to its safe value, nothing else. */
function planFor(evidence: Record<string, unknown>[]): Plan {
  const settings = new Set(evidence.map((e) => e.setting).filter((s): s is Setting => typeof s === "string"));
  const plan: Plan = { startLogging: settings.has("logging"), update: {}, skipped: [] };
  if (settings.has("logFileValidation")) plan.update.EnableLogFileValidation = true;
  if (settings.has("multiRegion")) {
    // AWS refuses a multi-Region trail without global service events; turning those on too is more than undoing.
    if (evidence.some((e) => e.setting === "multiRegion" && e.includeGlobalServiceEvents === false))
      plan.skipped.push("multi-Region not restored: the trail no longer includes global service events");
    else plan.update.IsMultiRegionTrail = true;
  }
  return plan;
}

function stepsOf(plan: Plan, trail: string): string[] {
  const parts: string[] = [];
  if (plan.startLogging) parts.push(`StartLogging ${trail}`);
  const fields = Object.entries(plan.update).map(([k, v]) => `${k}=${String(v)}`);
  if (fields.length) parts.push(`UpdateTrail ${trail} ${fields.join(" ")}`);
  return parts;
}

/** Sends the plan; returns what AWS confirmed, or undefined when the trail is gone. */
async function carryOut(
  cloudTrail: CloudTrailClient,
  plan: Plan,
  trailArn: string,
): Promise<{ done: string[]; unconfirmed: string[]; calls: number } | undefined> {
  const { StartLoggingCommand, UpdateTrailCommand } = await loadCloudTrail();
  const result = { done: [] as string[], unconfirmed: [] as string[], calls: 0 };
  try {
    if (plan.startLogging) {
      result.calls++;
      // An empty answer is the success answer: StartLogging throws when it can't.
      await cloudTrail.send(new StartLoggingCommand({ Name: trailArn }));
      result.done.push("logging restarted");
    }
    if (Object.keys(plan.update).length) {
      result.calls++;
      const out = await cloudTrail.send(new UpdateTrailCommand({ Name: trailArn, ...plan.update }));
      if (plan.update.EnableLogFileValidation) {
        (out.LogFileValidationEnabled === true ? result.done : result.unconfirmed).push(
          "log file validation on",
        );
      }
      if (plan.update.IsMultiRegionTrail) {
        (out.IsMultiRegionTrail === true ? result.done : result.unconfirmed).push("multi-Region on");
      }
    }
  } catch (error) {
    if (errorName(error) === "TrailNotFoundException") return undefined;
    throw error;
  }
  return result;
}

export default defineRemediation<"AWS::CloudTrail::Trail">({
  id: RESTORE_CLOUDTRAIL_ID,
  title: "Restore CloudTrail logging and the trail settings an attacker weakened",
  resourceType: "AWS::CloudTrail::Trail",
  iamActions: ["cloudtrail:StartLogging", "cloudtrail:UpdateTrail"],
  undoIamActions: [],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const trail: TrailState = state;
    if (trail.outOfScope)
      return { result: "skipped", action: `not remediated: ${trail.outOfScope}`, awsCalls: 0 };
    const plan = planFor(violations.map((v) => v.evidence));
    const steps = stepsOf(plan, trail.trailArn);
    const skipped = plan.skipped.length ? { detail: plan.skipped.join("; ") } : {};
    if (!steps.length)
      return { result: "skipped", action: "nothing Vigil can restore safely", ...skipped, awsCalls: 0 };
    if (dryRun) return { result: "planned", action: steps.join("; "), ...skipped, awsCalls: 0 };

    const outcome = await carryOut(await clients.cloudTrail(), plan, trail.trailArn);
    // Not "already-gone": that would mark the finding fixed, and nothing was restored. The deletion is its own finding.
    if (!outcome) {
      return {
        result: "skipped",
        action: `trail ${trail.trailArn} no longer exists: nothing to restore (see VIGIL.CLOUDTRAIL.DELETED)`,
        awsCalls: 1,
      };
    }
    const notes = [...plan.skipped, NO_UNDO];
    // Partly done is reported as failed: every finding sharing this call must stay open until all is back.
    if (outcome.unconfirmed.length || plan.skipped.length) {
      const unconfirmed = outcome.unconfirmed.length
        ? `; AWS did not confirm ${outcome.unconfirmed.join(", ")}`
        : "";
      return {
        result: "failed",
        action: `${trail.trailArn}: partly restored (${outcome.done.join(", ") || "nothing"})${unconfirmed}`,
        detail: notes.join("; "),
        awsCalls: outcome.calls,
      };
    }
    return {
      result: "succeeded",
      action: `${trail.trailArn}: ${outcome.done.join(", ")}`,
      detail: notes.join("; "),
      awsCalls: outcome.calls,
    };
  },
  async undo() {
    throw new Error(`restore-cloudtrail-logging: ${NO_UNDO}`);
  },
});
