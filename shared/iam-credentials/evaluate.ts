import { iamChecks } from "../checks/iam";
import type { VigilConfig } from "../config/schema";
import type { Severity } from "../core/severity";
import type { ResourceRef } from "../core/resource";
import { runChecks } from "../pipeline/evaluate";
import type { Violation } from "../checks/define";
import { credentialReportObservations } from "./observations";
import type { CredentialReport } from "./report";

/** One check's verdict on one resource, ready to become a finding. */
export interface CredentialVerdict {
  resource: ResourceRef;
  checkId: string;
  title: string;
  severity: Severity;
  /** Empty: the resource passes (an open finding of this check may be resolved). */
  violations: Violation[];
}

/**
 * Runs the IAM checks on every row of a credential report, as of `now`: the entry point for the
 * sweep (issue 8) and for running the evaluation at once. Pure. Returns a verdict for every check
 * that could judge a row (passing ones included), undecided checks left out. Exemptions and
 * remediation are the pipeline's: feed `credentialReportObservations` through it for those.
 */
export function evaluateCredentialReport(
  report: CredentialReport,
  now: Date,
  config: VigilConfig,
): CredentialVerdict[] {
  return credentialReportObservations(report, now).flatMap((observation) =>
    runChecks(observation, iamChecks, { config })
      .filter((result) => !result.undecided)
      .map((result) => ({
        resource: observation.resource,
        checkId: result.check.id,
        title: result.check.title,
        severity: result.check.severity,
        violations: result.violations,
      })),
  );
}
