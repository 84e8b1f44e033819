import type { ResourceRef } from "../core/resource";
import { actorFromCloudTrail } from "../events/cloudtrail";
import { classifyEvent, type Intake } from "../events/intake";
import type { Finding, FindingStatus } from "../findings/model";
import { NeedsAwsError, UnusableEventError, type Observation, type ReadClients } from "../resources/adapter";
import { accountOrganizationalUnits } from "./account-scope";
import { applyExemptions, runChecks } from "./evaluate";
import type { EventContext } from "./event-context";
import { findingIdFor } from "./lifecycle";
import { fetchOversizedItem } from "./oversized";
import { isFlapping, isTransient, remediateResource } from "./remediate";
import { announce, storeFindings } from "./record";
import { clientsForResource } from "./resource-clients";
import type { VigilRuntime } from "./runtime";

export interface ResourceReport {
  resource: ResourceRef;
  findings: { id: string; checkId: string; status: FindingStatus; changed: boolean }[];
  remediation: { action: string; result: string }[];
  /** AWS calls made before the remediation completed (tag read, refresh, rule lookup, revoke). */
  awsCalls: number;
  alerted: boolean;
}

export interface EventReport {
  eventId?: string;
  outcome: "processed" | "ignored" | "invalid";
  reason?: string;
  resources: ResourceReport[];
}

/** Store writes or alerts that failed after retries: the caller must fail so the event is retried or dead-lettered. */
export class IncompleteProcessingError extends Error {
  constructor(readonly failures: string[]) {
    super(`event processed with failures: ${failures.join("; ")}`);
    this.name = "IncompleteProcessingError";
  }
}

async function observationsOf(
  intake: Extract<Intake, { kind: "cloudtrail" | "config" | "service" }>,
  rt: VigilRuntime,
): Promise<Observation[]> {
  if (intake.kind === "service") {
    return intake.resourceTypes.flatMap((type) => {
      const adapter = rt.adapters.find((a) => a.resourceType === type);
      return adapter?.fromEvent ? adapter.fromEvent(intake.envelope) : [];
    });
  }
  if (intake.kind === "cloudtrail") {
    return intake.resourceTypes.flatMap((type) => {
      const adapter = rt.adapters.find((a) => a.resourceType === type);
      return adapter ? adapter.fromCloudTrail(intake.detail, intake.envelope.account) : [];
    });
  }
  const adapter = rt.adapters.find((a) => a.resourceType === intake.resourceType);
  if (!adapter) return [];
  const { detail } = intake;
  if (detail.messageType === "ConfigurationItemChangeNotification")
    return [adapter.fromConfigItem(detail.configurationItem)];
  const summary = detail.configurationItemSummary;
  // Fetched in the item's own account and Region: a member account's through its role.
  const access = await clientsForResource({ account: summary.awsAccountId, region: summary.awsRegion }, rt);
  const configService = access.reads === rt.readClients ? rt.configService : access.reads?.configService;
  if (!configService) {
    // A throttled STS fails the event for a retry; a role that can't be assumed won't do better later.
    if (access.holdBack?.retry) throw new Error(`oversized Config item: ${access.holdBack.reason}`);
    const why = access.holdBack ? ` (${access.holdBack.reason})` : "";
    throw new NeedsAwsError(`oversized Config item: fetching it needs AWS access${why}`);
  }
  return [adapter.fromConfigItem(await fetchOversizedItem(await configService(), summary))];
}

/**
 * The whole path for one resource: checks, exemptions, remediation, findings, alert — in that
 * order, because the exposure window ends at the remediation and nothing after it may delay it.
 */
async function processObservation(
  initial: Observation,
  rt: VigilRuntime,
  ctx: EventContext,
): Promise<ResourceReport> {
  const now = rt.now();
  const adapter = rt.adapters.find((a) => a.resourceType === initial.resource.type);
  let observation = initial;
  let awsCalls = 0;
  // The resource's own account and Region: a member account's role, another Region's endpoint.
  const access = await clientsForResource(initial.resource, rt);
  if (observation.needsRefresh && adapter?.refresh) {
    if (!access.reads) {
      if (access.holdBack?.retry) throw new Error(`${observation.resource.id}: ${access.holdBack.reason}`);
      const why = access.holdBack ? ` (${access.holdBack.reason})` : "";
      throw new NeedsAwsError(`${observation.resource.id}: the event must be confirmed against AWS${why}`);
    }
    observation = await adapter.refresh(observation, access.reads, { config: rt.config });
    awsCalls++;
  }
  let results = runChecks(observation, rt.checks, { config: rt.config });
  const ids = results.map((r) => findingIdFor(r, observation));
  const violated = results.some((r) => r.violations.length > 0);

  // The store read and the tag read run side by side: neither may lengthen the exposure window alone.
  const needTags = violated && !observation.tagsKnown;
  // So does the OU lookup, made only when a rule naming an OU could matter (shared/pipeline/account-scope.ts).
  const [stored, tagRead, units] = await Promise.all([
    rt.store.getMany(ids),
    needTags ? readTags(observation, rt, access.reads) : undefined,
    accountOrganizationalUnits(rt, observation.resource.account, results, now),
  ]);
  if (needTags) awsCalls++;
  awsCalls += units?.awsCalls ?? 0;
  const tags = tagRead?.tags;
  // Without the tags an exemption can't be ruled out: report, but change nothing (and retry if that may help).
  const tagsUnreadable = needTags && tags === undefined;
  results = applyExemptions(
    results,
    observation.resource,
    observation.tagsKnown ? observation.state?.tags : tags,
    rt.config,
    now,
    units?.organizationalUnits,
  );

  // A redelivered event is not acted on twice, unless its remediation failed: then the retry is the point.
  const duplicate = ids.every((id, i) => {
    const finding = stored.get(id);
    return (
      !results[i]?.violations.length ||
      (finding?.eventIds.includes(ctx.eventId) && finding.remediation?.result !== "failed")
    );
  });
  const remediation: ResourceReport["remediation"] = [];
  const records = new Map<string, NonNullable<Finding["remediation"]>>();
  // A retry after a partly failed store: what this event's first run did stands for the findings it
  // could not write (running it again would only find the rules gone and lose the undo payload).
  const earlier = [...stored.values()].find(
    (f) => f.eventIds.includes(ctx.eventId) && f.remediation?.result === "succeeded",
  )?.remediation;
  if (!duplicate && earlier) {
    for (const r of results) {
      if (r.violations.length && r.check.remediation?.id === earlier.remediationId)
        records.set(r.check.id, earlier);
    }
  } else if (!duplicate) {
    const flapping = isFlapping([...stored.values()], rt.config, now);
    if (flapping)
      rt.logger.warn("loop guard: resource remediated too often, holding back", {
        resource: observation.resource.id,
      });
    for (const definition of rt.remediations.filter((d) => d.resourceType === observation.resource.type)) {
      const run = await remediateResource({
        observation,
        results,
        remediation: definition,
        config: rt.config,
        clients: access.remediation,
        holdBack: flapping
          ? { reason: "held back: remediated too often in the loop-guard window", retry: false }
          : tagsUnreadable
            ? {
                reason: "held back: the resource's tags (exemptions) could not be read",
                retry: tagRead?.transient === true,
              }
            : units?.holdBack,
        now,
        logger: rt.logger,
        // Where Vigil can't act (a member role it can't assume) wins over the reasons above: it explains them.
        ...(access.holdBack ? { holdBack: access.holdBack } : {}),
      });
      awsCalls += run.awsCalls;
      // A transient failure (throttling, 5xx, timeout) fails the event so Lambda retries the remediation.
      if (run.transientFailure)
        ctx.failures.push(`remediate ${observation.resource.id}: ${run.transientFailure}`);
      for (const [checkId, record] of run.records) records.set(checkId, record);
      const distinct = new Map([...run.records.values()].map((r) => [`${r.result}|${r.action}`, r]));
      remediation.push(...[...distinct.values()].map(({ action, result }) => ({ action, result })));
    }
  }

  const failuresBefore = ctx.failures.length;
  const findings = await storeFindings(observation, results, ids, stored, records, rt, ctx, now);
  // One alert per resource: if a write failed, the retry announces all of them together.
  const allStored = !ctx.failures.slice(failuresBefore).some((f) => f.startsWith("store "));
  const alerted =
    allStored &&
    (await announce(
      observation,
      findings.filter((f) => f.owned).map((f) => f.finding),
      rt,
      ctx,
    ));
  return {
    resource: observation.resource,
    findings: findings.map(({ finding, changed }) => ({
      id: finding.id,
      checkId: finding.checkId,
      status: finding.status,
      changed,
    })),
    remediation,
    awsCalls,
    alerted,
  };
}

/** The resource's tags, or why they are missing: `transient` when a later retry may read them. */
async function readTags(
  observation: Observation,
  rt: VigilRuntime,
  reads: ReadClients | undefined,
): Promise<{ tags?: Record<string, string>; transient: boolean }> {
  const adapter = rt.adapters.find((a) => a.resourceType === observation.resource.type);
  if (!adapter || !reads) return { transient: false };
  try {
    return { tags: await adapter.readTags(observation, reads), transient: false };
  } catch (error) {
    const transient = isTransient(error);
    rt.logger.error(
      transient
        ? "could not read tags; auto-remediation held back, the event will be retried"
        : "could not read tags; auto-remediation held back",
      { resource: observation.resource.id, error: error as Error },
    );
    return { transient };
  }
}

/** An event Vigil can't act on: invalid (logged as an error), or ignored when only AWS access is missing. */
function rejected(
  rt: VigilRuntime,
  eventId: string,
  error: UnusableEventError,
  resources: ResourceReport[],
  resource?: string,
): EventReport {
  const offline = error instanceof NeedsAwsError;
  const attributes = { eventId, resource, reason: error.message };
  if (offline) rt.logger.warn("event needs AWS access; skipped", attributes);
  else rt.logger.error("event rejected", attributes);
  return { eventId, outcome: offline ? "ignored" : "invalid", reason: error.message, resources };
}

/** Entry point shared by the Lambda handlers and the CLI's replay. */
export async function processEvent(raw: unknown, rt: VigilRuntime): Promise<EventReport> {
  const intake = classifyEvent(raw, rt.checks, rt.config);
  if (intake.kind === "ignored") {
    rt.logger.debug("event ignored", { eventId: intake.eventId, reason: intake.reason });
    return { eventId: intake.eventId, outcome: "ignored", reason: intake.reason, resources: [] };
  }
  if (intake.kind === "invalid") {
    rt.logger.error("event rejected", { eventId: intake.eventId, reason: intake.reason });
    return { eventId: intake.eventId, outcome: "invalid", reason: intake.reason, resources: [] };
  }
  const ctx: EventContext = {
    eventId: intake.envelope.id,
    eventTime: intake.kind === "cloudtrail" ? intake.detail.eventTime : intake.envelope.time,
    actor: intake.kind === "cloudtrail" ? actorFromCloudTrail(intake.detail) : undefined,
    failures: [],
  };
  let observations: Observation[];
  try {
    observations = await observationsOf(intake, rt);
  } catch (error) {
    if (!(error instanceof UnusableEventError)) throw error;
    return rejected(rt, ctx.eventId, error, []);
  }
  return processObservations(observations, ctx, rt);
}

/**
 * Checks to alert for observations the caller made itself from a source that is no EventBridge
 * event (the EKS audit log): the same findings, lifecycle, remediation and one alert per resource.
 */
export async function processObservations(
  observations: Observation[],
  ctx: EventContext,
  rt: VigilRuntime,
): Promise<EventReport> {
  const resources: ResourceReport[] = [];
  let unusable: { error: UnusableEventError; resource: string } | undefined;
  for (const observation of observations) {
    try {
      resources.push(await processObservation(observation, rt, ctx));
    } catch (error) {
      if (!(error instanceof UnusableEventError)) throw error;
      // The event's other resources are still processed; the first problem is reported.
      unusable ??= { error, resource: observation.resource.id };
    }
  }
  if (ctx.failures.length) throw new IncompleteProcessingError(ctx.failures);
  if (unusable) return rejected(rt, ctx.eventId, unusable.error, resources, unusable.resource);
  return { eventId: ctx.eventId, outcome: "processed", resources };
}
