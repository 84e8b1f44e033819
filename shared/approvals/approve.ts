import type { VigilConfig } from "../config/schema";
import type { Approval, ApprovalOutcome, Finding } from "../findings/model";
import { updateFinding, type FindingsStore } from "../findings/store";
import type { EventContext } from "../pipeline/event-context";
import { modeFor } from "../pipeline/evaluate";
import { IncompleteProcessingError, processObservations } from "../pipeline/process-event";
import type { VigilRuntime } from "../pipeline/runtime";
import { SECURITY_GROUP_TYPE } from "../resources/security-group/ref";
import type { Collector } from "../sweep/collector";
import { collectors as allCollectors } from "../sweep/collectors";
import { readCurrentState } from "./current-state";
import { planOf, refusalFor, type Refusal, type RefusalReason } from "./preconditions";
import { outcomeOf, recordingApproval, type ApprovedRun } from "./record-approval";

/** Who approves, as the CLI or the Slack endpoint established it. */
export interface Approver {
  /** Shown to people and kept in the finding: an IAM ARN, a name, or a Slack user. */
  by: string;
  /** The identity behind `by` when known (STS caller ARN, Slack member id). */
  principal?: string;
  via: Approval["via"];
}

export interface ApproveResult {
  /** True only when the planned remediation ran and the finding is REMEDIATED. */
  approved: boolean;
  /** Set when the approval ran (approved or not). */
  outcome?: ApprovalOutcome;
  /** Set when the approval was refused before anything ran. */
  refusal?: RefusalReason;
  /** One or two lines for the person who approved. */
  message: string;
  finding?: Finding;
}

export interface ApproveOptions {
  /** Where the current state of types other than security groups is read from (default: the sweep's). */
  collectors?: readonly Collector[];
  /** The Region the runtime's clients address: a finding elsewhere is refused (its reads would miss it). */
  region?: string;
  /** The account the runtime's credentials act in: a finding of another account is refused. */
  account?: string;
}

const refused = (refusal: Refusal, finding?: Finding): ApproveResult => ({
  approved: false,
  refusal: refusal.reason,
  message: refusal.message,
  ...(finding ? { finding } : {}),
});

/**
 * The configuration of the approved run: exactly as configured, except that the approved check runs
 * `auto` for the resource's account. An entry naming the account is the strongest (see
 * shared/config/accounts.ts); a global `modeOverride` is kept for every other check of that account.
 */
export function approvalConfig(config: VigilConfig, checkId: string, account: string): VigilConfig {
  const { modeOverride, ...rest } = config;
  return {
    ...rest,
    accounts: [
      ...config.accounts,
      ...(modeOverride ? [{ accounts: [account], modeOverride }] : []),
      { accounts: [account], modes: { [checkId]: "auto" as const }, reason: `approved ${checkId}` },
    ],
  };
}

/**
 * Runs a dry-run finding's planned remediation once someone approved it. The finding must be OPEN
 * with a planned remediation nobody approved yet. The resource is read again first and goes through
 * the normal pipeline (checks, exemptions, loop guard, optimistic locking, alert) with only the
 * approved check in `auto`: still violating, it is remediated; fixed meanwhile or exempt now, the
 * finding resolves or is suppressed and nothing changes. The finding records who approved, when,
 * through what and the outcome. A second approval of the same plan (a double click) does nothing.
 */
export async function approve(
  findingId: string,
  approver: Approver,
  rt: VigilRuntime,
  options: ApproveOptions = {},
): Promise<ApproveResult> {
  const now = rt.now();
  const time = now.toISOString();
  const finding = await rt.store.get(findingId);
  const refusal = refusalFor(finding, findingId, now);
  const plan = finding && planOf(finding);
  if (refusal || !finding || !plan) return refused(refusal ?? { reason: "not-found", message: "" }, finding);

  const { region, account } = finding.resource;
  if ((options.region && region !== options.region) || (options.account && account !== options.account))
    return refused(
      {
        reason: "unsupported",
        message: `finding ${findingId} is in account ${account}, ${region}; this approval acts in ${options.account ?? "this account"}, ${options.region ?? "this Region"}`,
      },
      finding,
    );
  const check = rt.checks.find((c) => c.id === finding.checkId);
  const collectors = options.collectors ?? allCollectors;
  const readable =
    finding.resource.type === SECURITY_GROUP_TYPE ||
    collectors.some((c) => c.resourceType === finding.resource.type);
  if (!check?.remediation || !rt.remediations.some((r) => r.id === plan.remediationId) || !readable)
    return refused(
      {
        reason: "unsupported",
        message: `finding ${findingId}: Vigil can't re-read ${finding.resource.type} or run ${plan.remediationId} from here`,
      },
      finding,
    );
  if (modeFor(check, rt.config, { account: finding.resource.account }) === "off")
    return refused(
      {
        reason: "mode-off",
        message: `finding ${findingId}: remediation of ${check.id} is off in the configuration now; nothing done`,
      },
      finding,
    );
  if (!rt.readClients || !rt.remediationClients)
    return refused(
      {
        reason: "no-aws",
        message: "approving needs AWS access: set AWS_REGION and credentials (or AWS_ENDPOINT_URL)",
      },
      finding,
    );

  // The claim: a conditional write, so of two approvals at once (a double click) only one runs.
  const claim: Approval = {
    by: approver.by,
    ...(approver.principal ? { principal: approver.principal } : {}),
    via: approver.via,
    at: time,
    plan,
  };
  const { after: claimed } = await updateFinding(rt.store, findingId, (current) =>
    current && !refusalFor(current, findingId, now) ? { ...current, approval: claim } : undefined,
  );
  if (claimed?.approval !== claim)
    return refused(
      refusalFor(claimed, findingId, now) ?? {
        reason: "in-progress",
        message: `finding ${findingId} changed meanwhile`,
      },
      claimed,
    );
  rt.logger.info("remediation approved", {
    findingId,
    by: approver.by,
    via: approver.via,
    plan: plan.action,
  });

  const run: ApprovedRun = { findingId, resourceId: finding.resource.id, time, approval: claim };
  let reason: string | undefined;
  let failures: string[] = [];
  try {
    const observation = await readCurrentState(finding.resource, {
      clients: rt.readClients,
      config: rt.config,
      collectors,
      now,
      logger: rt.logger,
    });
    if (!observation) throw new Error(`no way to read ${finding.resource.type} ${finding.resource.id}`);
    // Read after the plan, so never older than the state the finding was judged on (clocks differ:
    // CloudTrail's event time against this machine's), or the pipeline would discard it as stale.
    if (finding.observedAt && Date.parse(finding.observedAt) > now.getTime())
      observation.observedAt = finding.observedAt;
    const scoped: VigilRuntime = {
      ...rt,
      config: approvalConfig(rt.config, check.id, finding.resource.account),
      store: recordingApproval(rt.store, run),
      // One clock for the run: its remediation records carry `time`, which is how its findings are told apart.
      now: () => now,
    };
    const ctx: EventContext = {
      eventId: `approval:${findingId}:${time}`,
      eventTime: time,
      actor: undefined,
      failures: [],
    };
    try {
      const report = await processObservations([observation], ctx, scoped);
      reason = report.reason;
    } catch (error) {
      // Store writes or alerts that failed after retries: what was written stands; say what failed.
      if (!(error instanceof IncompleteProcessingError)) throw error;
      failures = error.failures;
    }
  } catch (error) {
    // Nothing was changed (the current state could not be read, or the pipeline broke before acting):
    // the claim is withdrawn so the approval can be tried again.
    await withdraw(rt.store, findingId, claim);
    rt.logger.error("approval failed", { findingId, error: error as Error });
    return {
      approved: false,
      outcome: "failed",
      message: `approval of ${findingId} failed before anything changed: ${(error as Error).message}`,
      finding,
    };
  }

  let stored = await rt.store.get(findingId);
  if (stored?.approval === undefined || (stored.approval.at === time && !stored.approval.outcome)) {
    // The pipeline left the finding as it was (e.g. the check could not judge the state): record that.
    const detail = reason ?? "the check did not confirm the violation on the current state; nothing changed";
    const { after } = await updateFinding(rt.store, findingId, (current) =>
      current?.approval?.at === time && !current.approval.outcome
        ? { ...current, approval: { ...current.approval, outcome: "held-back", detail } }
        : undefined,
    );
    stored = after;
  }
  return summary(run, approver, stored, failures);
}

/** Removes our claim (only ours, only while it has no outcome). */
async function withdraw(store: FindingsStore, findingId: string, claim: Approval): Promise<void> {
  await updateFinding(store, findingId, (current) => {
    if (!current || current.approval?.at !== claim.at || current.approval.outcome) return undefined;
    const { approval: _claim, ...rest } = current;
    return rest;
  }).catch(() => undefined); // a stale claim expires on its own (STALE_CLAIM_MS)
}

function summary(
  run: ApprovedRun,
  approver: Approver,
  finding: Finding | undefined,
  failures: string[],
): ApproveResult {
  const { findingId } = run;
  // Normally the approval the run wrote; if a concurrent write dropped it, what the finding shows.
  const approval = finding?.approval?.at === run.time ? finding.approval : finding && outcomeOf(finding, run);
  const outcome = approval?.outcome ?? "failed";
  const after = failures.length ? `\nwarning: ${failures.join("; ")}` : "";
  const status = finding ? `; finding ${finding.status}` : "";
  const what =
    outcome === "remediated"
      ? `remediated: ${finding?.remediation?.action ?? "done"}`
      : `${outcome}: ${approval?.detail ?? "nothing changed"}`;
  return {
    approved: outcome === "remediated",
    outcome,
    message: `${findingId} approved by ${approver.by} via ${approver.via}; ${what}${status}${after}`,
    ...(finding ? { finding } : {}),
  };
}
