import type { CheckDefinition, CloudTrailTrigger } from "../shared/checks/define";
import { DETAIL_TYPES } from "../shared/events/envelope";

/**
 * EventBridge patterns derived from the check catalog. Pure (no CDK) so tests can match them against
 * sample events; the stack only wraps them in rules.
 */

/** An EventBridge pattern as the API and CloudFormation take it (raw field names, not CDK's camelCase). */
export interface EventPatternJson {
  source: string[];
  "detail-type": string[];
  detail: Record<string, unknown>;
}

// Shared with the intake that parses these events, so rule and parser cannot drift. AWS Config's is
// "Config Configuration Item Change" (AWS docs and real events), not "Configuration Item Change".
export const CLOUDTRAIL_DETAIL_TYPE = DETAIL_TYPES.cloudTrail;
export const CLOUDTRAIL_SERVICE_EVENT_DETAIL_TYPE = DETAIL_TYPES.cloudTrailServiceEvent;
export const CONFIG_DETAIL_TYPE = DETAIL_TYPES.configChange;
/**
 * What real console sign-in events carry (`ConsoleLogin` from `signin.amazonaws.com`; the EventBridge
 * guide's table spells it "Signin", the events don't). Only `aws.signin` sends it.
 */
export const CLOUDTRAIL_CONSOLE_SIGN_IN_DETAIL_TYPE = DETAIL_TYPES.cloudTrailConsoleSignIn;
const SIGN_IN_EVENT_SOURCE = "signin.amazonaws.com";
export const CONFIG_MESSAGE_TYPES = {
  item: "ConfigurationItemChangeNotification",
  /** Too big for the bus: the item is replaced by `configurationItemSummary` (no configuration inside). */
  oversized: "OversizedConfigurationItemChangeNotification",
} as const;

/** `ec2.amazonaws.com` -> `aws.ec2`: the bus `source` of CloudTrail events for that service. */
export function eventBridgeSource(eventSource: string): string {
  const match = /^([a-z0-9-]+)\.amazonaws\.com$/.exec(eventSource);
  if (!match)
    throw new Error(`CloudTrail eventSource "${eventSource}" is not of the form <service>.amazonaws.com`);
  return `aws.${match[1]}`;
}

const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();

/**
 * One pattern for every CloudTrail call any check listens to, or undefined when none does.
 * Service events CloudTrail records (Secrets Manager `RotationFailed`) share the detail shape and
 * are named among the same `eventNames`, so the rule takes both detail-types.
 *
 * `ignoredRoleArns` are roles whose own calls must not come back to Vigil (the remediation role: loop
 * guard). `anything-but` does not match an event that lacks the field (LocalStack's AWS-parity fix
 * localstack/localstack#13268; Event Ruler needs every pattern field present), and IAM users,
 * root and AWS services have no `sessionContext` at all, so the exclusion is
 * "issuer absent OR issuer not ours".
 */
export function cloudTrailEventPattern(
  checks: readonly CheckDefinition[],
  ignoredRoleArns: readonly string[],
): EventPatternJson | undefined {
  return cloudTrailTriggersPattern(
    checks.flatMap((check) => check.triggers.cloudTrail),
    ignoredRoleArns,
  );
}

/**
 * The pattern of `cloudTrailEventPattern` for a given set of triggers (the us-east-1 forwarder takes
 * the global services' ones, with the same loop guard). Console sign-ins have their own detail-type,
 * added only when a trigger names `signin.amazonaws.com`.
 */
export function cloudTrailTriggersPattern(
  triggers: readonly CloudTrailTrigger[],
  ignoredRoleArns: readonly string[],
): EventPatternJson | undefined {
  if (triggers.length === 0) return undefined;
  if (ignoredRoleArns.length === 0)
    throw new Error("the CloudTrail rule needs the remediation role to ignore");
  const issuerArn = (matcher: unknown) => ({
    userIdentity: { sessionContext: { sessionIssuer: { arn: [matcher] } } },
  });
  return {
    source: sortedUnique(triggers.map((trigger) => eventBridgeSource(trigger.eventSource))),
    "detail-type": [
      CLOUDTRAIL_DETAIL_TYPE,
      CLOUDTRAIL_SERVICE_EVENT_DETAIL_TYPE,
      ...(triggers.some((trigger) => trigger.eventSource === SIGN_IN_EVENT_SOURCE)
        ? [CLOUDTRAIL_CONSOLE_SIGN_IN_DETAIL_TYPE]
        : []),
    ],
    detail: {
      eventSource: sortedUnique(triggers.map((trigger) => trigger.eventSource)),
      eventName: sortedUnique(triggers.flatMap((trigger) => trigger.eventNames)),
      // Failed calls changed nothing (and carry `responseElements: null`).
      errorCode: [{ exists: false }],
      $or: [issuerArn({ exists: false }), issuerArn({ "anything-but": [...ignoredRoleArns] })],
    },
  };
}

/**
 * One pattern for the Config resource types any check listens to, or undefined when none does.
 * The resource type sits in `configurationItem` for normal items and in `configurationItemSummary`
 * for oversized ones, hence the `$or`.
 */
export function configEventPattern(checks: readonly CheckDefinition[]): EventPatternJson | undefined {
  const resourceTypes = sortedUnique(checks.flatMap((check) => check.triggers.config));
  if (resourceTypes.length === 0) return undefined;
  return {
    source: ["aws.config"],
    "detail-type": [CONFIG_DETAIL_TYPE],
    detail: {
      $or: [
        { messageType: [CONFIG_MESSAGE_TYPES.item], configurationItem: { resourceType: resourceTypes } },
        {
          messageType: [CONFIG_MESSAGE_TYPES.oversized],
          configurationItemSummary: { resourceType: resourceTypes },
        },
      ],
    },
  };
}

/**
 * One pattern per service event the checks listen to (ECR image pushes and scans, Inspector
 * findings), merged when source and detail-type match and no check narrows the detail differently.
 * Each pattern is a rule: `detail` filters differ per event, and the rules limit stays far away.
 */
export function serviceEventPatterns(checks: readonly CheckDefinition[]): EventPatternJson[] {
  const patterns = new Map<string, EventPatternJson>();
  for (const trigger of checks.flatMap((check) => check.triggers.events ?? [])) {
    const key = JSON.stringify([trigger.source, trigger.detailType, trigger.detail ?? {}]);
    patterns.set(key, {
      source: [trigger.source],
      "detail-type": [trigger.detailType],
      detail: trigger.detail ?? {},
    });
  }
  return [...patterns.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, pattern]) => pattern);
}
