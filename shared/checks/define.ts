import type { VigilConfig } from "../config/schema";
import type { RemediationMode } from "../core/modes";
import type { Severity } from "../core/severity";
import type { ResourceStates, ResourceType } from "../resources/states";

/** CloudTrail calls that can create or change what a check looks at. */
export interface CloudTrailTrigger {
  /** e.g. `ec2.amazonaws.com` */
  eventSource: string;
  eventNames: string[];
}

/** A service's own EventBridge event (not a CloudTrail call, not a Config change), e.g. ECR's scan results. */
export interface ServiceEventTrigger {
  /** EventBridge `source`, e.g. `aws.ecr`. */
  source: string;
  /** EventBridge `detail-type`, e.g. `ECR Image Scan`. */
  detailType: string;
  /**
   * An EventBridge pattern for `detail` that narrows the rule (e.g. `{ "scan-status": ["COMPLETE"] }`).
   * The adapter must still check what it relies on: the rule is a filter, not a parser.
   */
  detail?: Record<string, unknown>;
}

export interface CheckTriggers {
  /**
   * CloudTrail calls; also the service events CloudTrail delivers as "AWS Service Event via
   * CloudTrail" (e.g. Secrets Manager's `RotationFailed`), which carry the same detail shape.
   */
  cloudTrail: CloudTrailTrigger[];
  /** Config resource types whose configuration-item changes re-evaluate the check. */
  config: string[];
  /** Service events; the resource type's adapter reads them with `fromEvent`. */
  events?: ServiceEventTrigger[];
}

/** One reason a resource fails a check. `evidence` is stored in the finding as it is. */
export interface Violation {
  summary: string;
  evidence: Record<string, unknown>;
  /** The network source a violation is about, so config exemptions can match it by CIDR. */
  cidr?: string;
  /**
   * When this violation is worse (or milder) than the check's usual severity, e.g. a vulnerable
   * image that is running. The finding takes the highest of its violations'.
   */
  severity?: Severity;
}

export interface CheckContext {
  config: VigilConfig;
}

export interface CheckDefinition<T extends ResourceType = ResourceType> {
  /** Security Hub control id where one exists (`EC2.19`), else a `VIGIL.*` id. */
  id: string;
  title: string;
  severity: Severity;
  resourceType: T;
  /** e.g. `["FSBP EC2.19"]`, `["SecurityHub EC2.53", "CIS 5.2"]`. */
  controls: string[];
  /** Why it matters and how to fix it, one or two sentences. */
  description: string;
  triggers: CheckTriggers;
  /** Read-only IAM actions the check needs to evaluate beyond the event itself. */
  iamActions: string[];
  remediation?: { id: string; defaultMode: RemediationMode };
  /**
   * The violation turns off or weakens logging or threat detection, often an intruder's first move:
   * its alert leads with who did it, from where and with what (principal, source IP, user agent).
   */
  tampering?: true;
  /**
   * Re-observing an open (or remediated) finding normally updates it without an alert: only status
   * changes are news. `on-severity-increase`: a re-observation that raises the finding's severity
   * is news too (GuardDuty republishes a finding with a higher count, and sometimes rates it worse).
   */
  realert?: "on-severity-increase";
  /** Pure: resource state in, violations out. No I/O. */
  evaluate(state: ResourceStates[T], context: CheckContext): Violation[];
  /**
   * Why this check can't judge this state although the rest of it is whole (e.g. KMS won't say who
   * manages the key), or undefined when it can. An undecided check leaves its finding as it is:
   * nothing opens, nothing resolves, while the resource's other checks still do both.
   */
  undecided?(state: ResourceStates[T], context: CheckContext): string | undefined;
}

/** Identity function that gives a check literal its type; every check file default-exports one. */
export function defineCheck<T extends ResourceType>(check: CheckDefinition<T>): CheckDefinition<T> {
  return check;
}
