import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import type { CheckDefinition, CloudTrailTrigger } from "../shared/checks/define";
import {
  cloudTrailTriggersPattern,
  configEventPattern,
  serviceEventPatterns,
  type EventPatternJson,
} from "./event-patterns";

/** One rule a forwarder puts on a Region's default bus: its construct id, description and pattern. */
export interface ForwardedPattern {
  id: string;
  description: string;
  pattern: EventPatternJson;
}

/**
 * What Vigil's home rules match, as forwarding rules for another Region (or a member account): the
 * CloudTrail calls of `cloudTrailTriggers` (with the loop guard ignoring `ignoredRoleArns`), the
 * Config item changes and the service events (ECR, Inspector, GuardDuty, ...) the checks watch.
 * Same builders as the home stack, so forwarder and home rule cannot drift. The CloudTrail calls are
 * split over as many rules as keep each pattern within EventBridge's default size quota. Rule ids follow
 * the home stack's (service rules from the detail-type), so adding a check doesn't rename other rules.
 */
export function forwardedPatterns(
  checks: readonly CheckDefinition[],
  cloudTrailTriggers: readonly CloudTrailTrigger[],
  ignoredRoleArns: readonly string[],
): ForwardedPattern[] {
  const forwarded: ForwardedPattern[] = cloudTrailPatternsWithin(cloudTrailTriggers, ignoredRoleArns).map(
    (pattern, index) => ({
      id: index ? `CloudTrailRule${index + 1}` : "CloudTrailRule",
      description: "Vigil: write calls the checks watch, except Vigil's own remediations",
      pattern,
    }),
  );
  const config = configEventPattern(checks);
  if (config) {
    forwarded.push({
      id: "ConfigRule",
      description: "Vigil: Config item changes for checked resource types",
      pattern: config,
    });
  }
  const ids = new Set<string>();
  for (const pattern of serviceEventPatterns(checks)) {
    const base = `${pattern["detail-type"].join("").replace(/[^A-Za-z0-9]/g, "")}Rule`;
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}${n}`;
    ids.add(id);
    forwarded.push({
      id,
      description: `Vigil: ${pattern.source.join(", ")} "${pattern["detail-type"].join(", ")}" events the checks watch`,
      pattern,
    });
  }
  return forwarded;
}

/**
 * EventBridge's default quota on a rule's pattern, in characters (adjustable to 4096 on request):
 * forwarding rules stay within it, whatever the account's quota.
 */
export const EVENT_PATTERN_MAX_CHARS = 2048;

/**
 * `cloudTrailTriggersPattern` split into as few patterns as fit `maxChars` each: triggers grouped
 * by event source (in order), a source too big on its own split by event names. Same loop guard in
 * each. CDK tokens in `ignoredRoleArns` count as their placeholder, longer than what they resolve to.
 */
export function cloudTrailPatternsWithin(
  triggers: readonly CloudTrailTrigger[],
  ignoredRoleArns: readonly string[],
  maxChars = EVENT_PATTERN_MAX_CHARS,
): EventPatternJson[] {
  const fits = (group: readonly CloudTrailTrigger[]) =>
    JSON.stringify(cloudTrailTriggersPattern(group, ignoredRoleArns)).length <= maxChars;
  const bySource = new Map<string, Set<string>>();
  for (const trigger of triggers) {
    const names = bySource.get(trigger.eventSource) ?? new Set<string>();
    for (const name of trigger.eventNames) names.add(name);
    bySource.set(trigger.eventSource, names);
  }
  const groups: CloudTrailTrigger[][] = [];
  let current: CloudTrailTrigger[] = [];
  for (const [eventSource, names] of [...bySource].sort(([a], [b]) => a.localeCompare(b))) {
    const whole = { eventSource, eventNames: [...names].sort() };
    if (fits([...current, whole])) {
      current.push(whole);
      continue;
    }
    if (current.length) groups.push(current);
    let part: string[] = [];
    for (const name of whole.eventNames) {
      if (fits([{ eventSource, eventNames: [...part, name] }])) {
        part.push(name);
        continue;
      }
      if (!part.length)
        throw new Error(
          `the CloudTrail pattern for ${eventSource} ${name} alone exceeds ${maxChars} characters`,
        );
      groups.push([{ eventSource, eventNames: part }]);
      part = [name];
    }
    current = [{ eventSource, eventNames: part }];
  }
  if (current.length) groups.push(current);
  return groups.map((group) => cloudTrailTriggersPattern(group, ignoredRoleArns) as EventPatternJson);
}

/**
 * The role EventBridge assumes to put forwarded events on the target bus: only EventBridge, only for
 * rules of `sourceAccount` (confused deputy). The targets add exactly events:PutEvents on that bus.
 */
export function forwardRole(
  scope: Construct,
  id: string,
  description: string,
  sourceAccount: string,
): iam.Role {
  return new iam.Role(scope, id, {
    description,
    assumedBy: new iam.ServicePrincipal("events.amazonaws.com", {
      conditions: { StringEquals: { "aws:SourceAccount": sourceAccount } },
    }),
  });
}

/**
 * One rule per pattern on `scope`'s default bus, each sending the event unchanged (same source,
 * detail-type and detail) to `bus` through `role`. EventBridge retries a bus target for 24 hours.
 */
export function addForwardingRules(
  scope: Construct,
  forwarded: readonly ForwardedPattern[],
  bus: events.IEventBus,
  role: iam.IRole,
  suffix: string,
): events.Rule[] {
  return forwarded.map(({ id, description, pattern }) => {
    const { source, "detail-type": detailType, detail } = pattern;
    const rule = new events.Rule(scope, id, {
      description: `${description}, ${suffix}`.slice(0, 512),
      // As the home rules (infra/event-rules.ts): no `detail` key rather than an empty object.
      eventPattern: { source, detailType, ...(Object.keys(detail).length ? { detail } : {}) },
    });
    rule.addTarget(new targets.EventBus(bus, { role }));
    return rule;
  });
}
