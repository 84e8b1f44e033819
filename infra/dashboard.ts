import { Duration } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sns from "aws-cdk-lib/aws-sns";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import {
  EVENTS_RECEIVED,
  EVENTS_REJECTED,
  EVENT_TYPES,
  EVENT_TYPE_DIMENSION,
  FINDINGS_OPENED,
  FINDINGS_REMEDIATED,
  FINDINGS_RESOLVED,
  FINDINGS_SUPPRESSED,
  METRICS_NAMESPACE,
  METRICS_SERVICE,
  PROCESSING_ERRORS,
  PROCESSING_LATENCY,
  REMEDIATION_FAILURES,
  SERVICE_DIMENSION,
} from "../shared/metrics/names";
import { DetectionFunction } from "./detection-function";

/** The window the counters are summed over, on the graphs and in the remediation-failure alarm. */
export const METRIC_PERIOD = Duration.minutes(5);

export interface DeadLetterQueueSource {
  /** Shown on the graph, e.g. the function's construct id. */
  label: string;
  queue: sqs.IQueue;
  /** The queue's existing depth alarm, reused (not duplicated); without one, the dashboard makes it. */
  alarm?: cloudwatch.IAlarm;
}

export interface VigilDashboardProps {
  /** Every handler, for Duration p50/p99. */
  functions: { label: string; function: lambda.IFunction }[];
  /**
   * Every dead-letter queue, whoever owns it (the detection functions', the EKS subscriber's, a
   * sweep's): a list, so a new queue is one more entry, not a change here.
   */
  deadLetterQueues: DeadLetterQueueSource[];
  /** Where the alarms notify (the alert topic). */
  alarmTopic: sns.ITopic;
  /** Alarms made elsewhere (the sweep's failed executions), shown with the others. */
  otherAlarms?: cloudwatch.IAlarm[];
}

/** Every DetectionFunction under `scope` (call it once they all exist): new functions need no change here. */
export function detectionFunctionsIn(scope: Construct): DetectionFunction[] {
  return scope.node.findAll().filter((c): c is DetectionFunction => c instanceof DetectionFunction);
}

/** The dashboard's sources for the stack's detection functions: their handlers and dead-letter queues with their alarms. */
export function detectionFunctionSources(
  functions: readonly DetectionFunction[],
): Pick<VigilDashboardProps, "functions" | "deadLetterQueues"> {
  return {
    functions: functions.map((fn) => ({ label: fn.node.id, function: fn.function })),
    deadLetterQueues: functions.map((fn) => ({
      label: fn.node.id,
      queue: fn.deadLetterQueue,
      alarm: fn.deadLetterAlarm,
    })),
  };
}

/** One of Vigil's EMF metrics (shared/metrics/names.ts), with exactly the dimensions the handlers emit. */
export function vigilMetric(
  metricName: string,
  options: { eventType?: string; statistic?: string; label?: string } = {},
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: {
      [SERVICE_DIMENSION]: METRICS_SERVICE,
      ...(options.eventType ? { [EVENT_TYPE_DIMENSION]: options.eventType } : {}),
    },
    statistic: options.statistic ?? cloudwatch.Stats.SUM,
    period: METRIC_PERIOD,
    ...(options.label ? { label: options.label } : {}),
  });
}

/**
 * Operating Vigil: a CloudWatch dashboard (events by type, findings, remediation failures, DLQ
 * depth, latency) and the alarms someone must act on, to the alert topic: a remediation failed
 * (a finding stays open that Vigil meant to close), or an event is in a dead-letter queue (run
 * `npm run vigil -- redrive` after the fix). Missing data is no failure: no events, no alarm.
 */
export class VigilDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly remediationFailuresAlarm: cloudwatch.Alarm;
  /** One per dead-letter queue: the ones passed in, and those made here. */
  readonly deadLetterAlarms: cloudwatch.IAlarm[];

  constructor(scope: Construct, id: string, props: VigilDashboardProps) {
    super(scope, id);
    const action = new cloudwatchActions.SnsAction(props.alarmTopic);

    this.remediationFailuresAlarm = new cloudwatch.Alarm(this, "RemediationFailuresAlarm", {
      alarmDescription:
        "Vigil: a remediation failed; the finding stays OPEN (see the alert and `npm run vigil -- findings --status OPEN`)",
      metric: vigilMetric(REMEDIATION_FAILURES),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.remediationFailuresAlarm.addAlarmAction(action);

    this.deadLetterAlarms = props.deadLetterQueues.map((source) => {
      if (source.alarm) return source.alarm;
      const alarm = new cloudwatch.Alarm(this, `${source.label}DeadLetterAlarm`, {
        alarmDescription: `Vigil ${source.label}: messages failed after retries and are in the dead-letter queue (npm run vigil -- redrive)`,
        metric: depth(source.queue),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      return alarm;
    });

    this.dashboard = new cloudwatch.Dashboard(this, "Dashboard", {
      defaultInterval: Duration.hours(24),
    });
    const graph = (title: string, left: cloudwatch.IMetric[], width = 8) =>
      new cloudwatch.GraphWidget({ title, left, width, height: 6, leftYAxis: { min: 0 } });

    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({
        title: "Alarms",
        alarms: [this.remediationFailuresAlarm, ...this.deadLetterAlarms, ...(props.otherAlarms ?? [])],
        width: 24,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      graph(
        "Events received by type",
        EVENT_TYPES.map((type) => vigilMetric(EVENTS_RECEIVED, { eventType: type, label: type })),
      ),
      graph("Findings", [
        vigilMetric(FINDINGS_OPENED, { label: "opened" }),
        vigilMetric(FINDINGS_REMEDIATED, { label: "remediated" }),
        vigilMetric(FINDINGS_RESOLVED, { label: "resolved" }),
        vigilMetric(FINDINGS_SUPPRESSED, { label: "suppressed" }),
      ]),
      graph("Remediation failures and errors", [
        vigilMetric(REMEDIATION_FAILURES, { label: "remediation failures" }),
        vigilMetric(PROCESSING_ERRORS, { label: "invocations failed (retried, then dead-lettered)" }),
        vigilMetric(EVENTS_REJECTED, { label: "malformed events rejected" }),
      ]),
    );
    this.dashboard.addWidgets(
      graph(
        "Dead-letter queue depth",
        props.deadLetterQueues.map((source) => depth(source.queue, source.label)),
      ),
      graph(
        "Handler duration p50 / p99 (ms)",
        props.functions.flatMap((fn) =>
          ["p50", "p99"].map((statistic) =>
            fn.function.metricDuration({
              statistic,
              period: METRIC_PERIOD,
              label: `${fn.label} ${statistic}`,
            }),
          ),
        ),
      ),
      graph(
        "Event to decision p50 / p99 (ms)",
        EVENT_TYPES.filter((type) => type !== "sweep").flatMap((type) =>
          ["p50", "p99"].map((statistic) =>
            vigilMetric(PROCESSING_LATENCY, { eventType: type, statistic, label: `${type} ${statistic}` }),
          ),
        ),
      ),
    );
  }
}

/** Messages waiting in a dead-letter queue: the most seen in the minute. */
function depth(queue: sqs.IQueue, label?: string): cloudwatch.IMetric {
  return queue.metricApproximateNumberOfMessagesVisible({
    period: Duration.minutes(1),
    statistic: cloudwatch.Stats.MAXIMUM,
    ...(label ? { label } : {}),
  });
}
