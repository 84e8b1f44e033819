import { highest } from "../core/severity";
import type { Finding } from "../findings/model";
import { updateFinding } from "../findings/store";
import { deliverAlert } from "../notifiers/deliver";
import type { Observation } from "../resources/adapter";
import type { EventContext } from "./event-context";
import type { CheckResult } from "./evaluate";
import { nextFinding } from "./lifecycle";
import type { VigilRuntime } from "./runtime";

/**
 * After the remediation, each check's finding is written (conditional, optimistic locking). Returns
 * the findings written and which of them this event owns the news of.
 */
export async function storeFindings(
  observation: Observation,
  results: CheckResult[],
  ids: string[],
  stored: Map<string, Finding>,
  records: Map<string, NonNullable<Finding["remediation"]>>,
  rt: VigilRuntime,
  ctx: EventContext,
  now: Date,
): Promise<{ finding: Finding; changed: boolean; owned: boolean }[]> {
  const written = await Promise.all(
    results.map(async (result, i) => {
      const id = ids[i] ?? "";
      const transition = (current: Finding | undefined) =>
        nextFinding(current, {
          result,
          observation,
          remediation: records.get(result.check.id),
          actor: ctx.actor,
          eventId: ctx.eventId,
          eventTime: ctx.eventTime,
          now,
          minNotifySeverity: rt.config.minNotifySeverity,
          flappingWindowMinutes: rt.config.flapping.windowMinutes,
        });
      try {
        const { before, after } = await updateFinding(rt.store, id, transition, {
          current: stored.get(id),
          preloaded: true,
        });
        if (!after) return undefined;
        // This handler announces what its own write changed, or what its own event left untold
        // (a retry after a failed alert); news another concurrent handler wrote is that one's to tell.
        const statusChanged = after !== before && after.status !== before?.status;
        const redelivery = before?.eventIds.includes(ctx.eventId) === true;
        // A re-alert that this write raised (e.g. a republished GuardDuty finding whose severity rose).
        const raisedAlert = after.notificationPending === true && before?.notificationPending !== true;
        return {
          finding: after,
          changed: after !== before,
          owned: statusChanged || redelivery || raisedAlert,
        };
      } catch (error) {
        // Nothing is silently dropped: the full finding goes to the log, and the event fails for a retry.
        rt.logger.error("could not store finding", {
          findingId: id,
          finding: transition(stored.get(id)),
          error: error as Error,
        });
        ctx.failures.push(`store ${id}: ${(error as Error).message}`);
        return undefined;
      }
    }),
  );
  return written.filter((w) => w !== undefined);
}

/** One alert per resource listing every finding whose news is not yet told; flags cleared once delivered. */
export async function announce(
  observation: Observation,
  findings: Finding[],
  rt: VigilRuntime,
  ctx: EventContext,
): Promise<boolean> {
  const pending = findings.filter((f) => f.notificationPending);
  if (!pending.length) return false;
  const tampering = pending.some(
    (f) =>
      (f.status === "OPEN" || f.status === "REMEDIATED") &&
      rt.checks.some((check) => check.id === f.checkId && check.tampering),
  );
  const alert = {
    resource: observation.resource,
    severity: highest(pending.map((f) => f.severity)),
    findings: pending,
    ...(ctx.actor ? { actor: ctx.actor } : {}),
    eventTime: ctx.eventTime,
    eventId: ctx.eventId,
    ...(tampering ? { tampering } : {}),
    // For routes that match on a tag (notifications.routes[].match.tags).
    ...(observation.tagsKnown && observation.state?.tags ? { tags: observation.state.tags } : {}),
  };
  const outcome = await deliverAlert(alert, [...rt.notifiers], { logger: rt.logger });
  if (outcome.failed.length) {
    ctx.failures.push(...outcome.failed.map((f) => `notify ${f.notifier}: ${f.error}`));
    return false;
  }
  // The finding just written is the current version: no re-read needed unless someone raced us.
  await Promise.all(
    pending.map(async (finding) => {
      try {
        await updateFinding(
          rt.store,
          finding.id,
          (current) =>
            current?.notificationPending ? { ...current, notificationPending: false } : undefined,
          { current: finding, preloaded: true },
        );
      } catch (error) {
        // The alert went out; at worst a retry sends it once more.
        rt.logger.warn("could not clear the pending-alert flag", {
          findingId: finding.id,
          error: error as Error,
        });
      }
    }),
  );
  return true;
}
