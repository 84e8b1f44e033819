import { Duration } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type { Construct } from "constructs";
import type { DetectionFunction } from "./detection-function";
import { RETRY_ATTEMPTS } from "./detection-function";
import type { EventPatternJson } from "./event-patterns";

/** Routes events matching `pattern` on the default bus to `target`, dead-lettering what it cannot deliver. */
export function routeEvents(
  scope: Construct,
  id: string,
  pattern: EventPatternJson,
  target: DetectionFunction,
  description: string,
): events.Rule {
  const { source, "detail-type": detailType, detail } = pattern;
  // A rule that does not narrow `detail` leaves the key out rather than sending an empty object.
  const eventPattern = { source, detailType, ...(Object.keys(detail).length ? { detail } : {}) };
  const rule = new events.Rule(scope, id, { description, eventPattern });
  rule.addTarget(
    new targets.LambdaFunction(target.function, {
      deadLetterQueue: target.deadLetterQueue,
      retryAttempts: RETRY_ATTEMPTS,
      // A compliance event older than this is better caught by the next change or a sweep.
      maxEventAge: Duration.hours(2),
    }),
  );
  return rule;
}
