import type { Violation } from "../checks/define";
import type { VigilConfig } from "../config/schema";
import type { Finding, RemediationRecord } from "../findings/model";
import type { VigilLogger } from "../log";
import type { RemediationClients, RemediationDefinition, RemediationOutcome } from "../remediations/define";
import type { Observation } from "../resources/adapter";
import type { CheckResult } from "./evaluate";

export interface RemediationRun {
  /** Set when the remediation failed for a reason a retry may fix. */
  transientFailure?: string;
  /** The record each check's finding gets, by check id. */
  records: Map<string, RemediationRecord>;
  awsCalls: number;
}

function record(
  remediationId: string,
  outcome: RemediationOutcome,
  mode: RemediationRecord["mode"],
  time: string,
): RemediationRecord {
  return {
    remediationId,
    mode,
    action: outcome.action,
    result: outcome.result,
    time,
    ...(outcome.detail ? { detail: outcome.detail } : {}),
    ...(outcome.undo ? { undo: outcome.undo } : {}),
  };
}

/** The loop guard's third layer: a resource remediated too often in the window is left alone and reported. */
export function isFlapping(
  findings: readonly (Finding | undefined)[],
  config: VigilConfig,
  now: Date,
): boolean {
  const since = now.getTime() - config.flapping.windowMinutes * 60_000;
  const times = new Set(
    findings.flatMap((f) => f?.remediationTimes ?? []).filter((t) => Date.parse(t) >= since),
  );
  return times.size >= config.flapping.maxRemediations;
}

export interface RemediateInput {
  observation: Observation;
  results: CheckResult[];
  remediation: RemediationDefinition;
  config: VigilConfig;
  clients: RemediationClients | undefined;
  /**
   * Why auto-remediation must not run this time (loop guard, unreadable tags); undefined to go ahead.
   * `retry`: the cause is transient (a throttled tag read), so the event fails and its redelivery tries again.
   */
  holdBack: { reason: string; retry: boolean } | undefined;
  now: Date;
  logger: VigilLogger;
}

/**
 * One remediation per resource for all the checks that ask for it: the violations of `auto` checks
 * are fixed in one call; the rest of `dry-run` checks are planned. A rule several checks flag is
 * acted on once, and each check's finding records what happened to its violations.
 */
export async function remediateResource(input: RemediateInput): Promise<RemediationRun> {
  const { observation, results, remediation, config, now } = input;
  const time = now.toISOString();
  const records = new Map<string, RemediationRecord>();
  const state = observation.state;
  const mine = results.filter((r) => r.check.remediation?.id === remediation.id && r.violations.length > 0);
  if (!state || !mine.length) return { records, awsCalls: 0 };

  for (const r of mine.filter((r) => r.mode === "off")) {
    records.set(r.check.id, {
      remediationId: remediation.id,
      mode: "off",
      // When a per-account or per-OU entry turned it off, the finding says which (and why).
      action: `remediation is off for this check${r.modeSource ? ` (${r.modeSource})` : ""}`,
      result: "skipped",
      time,
    });
  }
  const auto = mine.filter((r) => r.mode === "auto");
  const autoKeys = new Set(auto.flatMap((r) => r.violations.map(violationKey)));
  // Dry-run checks whose violations an auto check already fixes share the auto outcome.
  const dryRun = mine.filter(
    (r) => r.mode === "dry-run" && !r.violations.every((v) => autoKeys.has(violationKey(v))),
  );
  const sharesAuto = mine.filter((r) => r.mode === "dry-run" && !dryRun.includes(r));
  let awsCalls = 0;
  let transientFailure: string | undefined;

  if (auto.length) {
    const checkIds = [...auto, ...sharesAuto].map((r) => r.check.id);
    let outcome: RemediationOutcome;
    if (input.holdBack?.retry) {
      // Recorded as failed so the redelivered event is not taken for a duplicate and remediates.
      outcome = { result: "failed", action: input.holdBack.reason, awsCalls: 0 };
      transientFailure = input.holdBack.reason;
    } else if (input.holdBack) {
      outcome = { result: "skipped", action: input.holdBack.reason, awsCalls: 0 };
    } else if (!input.clients) {
      outcome = { result: "skipped", action: "held back: no AWS access in this environment", awsCalls: 0 };
    } else {
      try {
        outcome = await remediation.apply(
          { state, violations: auto.flatMap((r) => r.violations), dryRun: false },
          input.clients,
        );
      } catch (error) {
        input.logger.error("remediation failed", {
          remediation: remediation.id,
          resource: observation.resource.id,
          error: error as Error,
        });
        outcome = {
          result: "failed",
          action: `${remediation.title}: failed`,
          detail: (error as Error).message,
          awsCalls: 0,
        };
        if (isTransient(error)) transientFailure = (error as Error).message;
      }
    }
    if (outcome.undo) {
      // `vigil undo` marks the group exempt from these checks so the restored rule stays.
      outcome.undo = {
        ...outcome.undo,
        params: { ...outcome.undo.params, exemptChecks: checkIds, exemptionTagKey: config.exemptionTagKey },
      };
    }
    awsCalls += outcome.awsCalls;
    for (const id of checkIds) records.set(id, record(remediation.id, outcome, "auto", time));
  }
  if (dryRun.length) {
    const outcome = await remediation.apply(
      { state, violations: dryRun.flatMap((r) => r.violations), dryRun: true },
      input.clients ?? noClients,
    );
    for (const r of dryRun) records.set(r.check.id, record(remediation.id, outcome, "dry-run", time));
  }
  return { records, awsCalls, ...(transientFailure ? { transientFailure } : {}) };
}

/** Throttling, server errors, timeouts and dropped connections: worth another try later. */
export function isTransient(error: unknown): boolean {
  const e = error as {
    name?: string;
    code?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  if (e.$retryable) return true;
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) return true;
  return /Throttl|RequestLimitExceeded|TooManyRequests|Timeout|ECONNRESET|ECONNREFUSED|EPIPE|socket hang up/i.test(
    `${e.name ?? ""} ${e.code ?? ""}`,
  );
}

function violationKey(violation: Violation): string {
  return JSON.stringify(violation.evidence.rule ?? violation.evidence);
}

const refuse = (): Promise<never> => Promise.reject(new Error("dry-run remediation must not call AWS"));
const noClients: RemediationClients = {
  ec2: refuse,
  ecr: refuse,
  ecs: refuse,
  lambda: refuse,
  secretsManager: refuse,
  inspector2: refuse,
  kms: refuse,
  cloudTrail: refuse,
  guardDuty: refuse,
  s3: refuse,
  s3Control: refuse,
  rds: refuse,
  sqs: refuse,
  sns: refuse,
  efs: refuse,
  dynamoDb: refuse,
  elbv2: refuse,
  cloudFront: refuse,
  iam: refuse,
  eks: refuse,
  configService: refuse,
};
