import { Duration, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import { SqsEventSource } from "aws-cdk-lib/aws-lambda-event-sources";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as schedulerTargets from "aws-cdk-lib/aws-scheduler-targets";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { SecurityHubSettings } from "../shared/config/security-hub";
import { sweepRegions, type SweepSettings } from "../shared/config/sweep";
import { readVigilContext } from "./context";
import { RETRY_ATTEMPTS, type DetectionFunction } from "./detection-function";
import { acknowledgeWildcardResources } from "./nag";
import { securityHubExportGrants } from "./permissions";

/** One unit lists one resource type in one Region: a few hundred calls at most, with adaptive retry. */
export const SWEEP_WORKER_TIMEOUT = Duration.minutes(5);
/** AWS's advice for SQS event sources: at least six times the function's timeout. */
export const SWEEP_VISIBILITY_TIMEOUT = Duration.minutes(30);
/** A unit failing this often (three tries over about an hour and a half) is dead-lettered. */
export const SWEEP_MAX_RECEIVE_COUNT = 3;
export const SWEEP_PLANNER_TIMEOUT = Duration.minutes(1);

export interface SweepProps {
  settings: SweepSettings;
  /** functions/sweep-planner.ts */
  planner: DetectionFunction;
  /** functions/sweep-worker.ts */
  worker: DetectionFunction;
  alarmTopic: sns.ITopic;
  /** `securityHub` of Vigil's config; default: the CDK context's (`vigilConfig`). */
  securityHub?: SecurityHubSettings;
}

/**
 * The scheduled sweep: EventBridge Scheduler invokes the planner, which queues one message per
 * unit (a resource type in a Region); workers take them one at a time, a few at once (the event
 * source mapping's maximum concurrency), so a sweep stays under the APIs' rate limits. A failed
 * unit comes back after the visibility timeout and, failing again, lands in the dead-letter queue,
 * which alarms.
 */
export class Sweep extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: SweepProps) {
    super(scope, id);
    const { planner, worker, settings } = props;

    this.deadLetterQueue = new sqs.Queue(this, "DeadLetterQueue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new sqs.Queue(this, "Queue", {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: SWEEP_VISIBILITY_TIMEOUT,
      // A unit not taken before the next sweep is stale: the next sweep queues it again.
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SWEEP_MAX_RECEIVE_COUNT },
    });

    planner.function.addEnvironment("SWEEP_QUEUE_URL", this.queue.queueUrl);
    this.queue.grantSendMessages(planner.role);

    worker.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 1,
        maxConcurrency: settings.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    // Our own role (not the stack-wide one the target would make), so its grant is acknowledged here.
    const schedulerRole = new iam.Role(this, "SchedulerRole", {
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": Stack.of(this).account } },
      }),
      description: "Vigil sweep: EventBridge Scheduler invokes the sweep planner",
    });
    acknowledgeWildcardResources(
      schedulerRole,
      [`${planner.function.functionArn}:*`],
      "lambda:InvokeFunction on the planner function and its versions (`<arn>:*`, CDK's grantInvoke form); nothing else.",
    );
    this.schedule = new scheduler.Schedule(this, "Schedule", {
      description: "Vigil: the scheduled sweep of every resource the collectors list",
      schedule: scheduler.ScheduleExpression.expression(settings.schedule),
      target: new schedulerTargets.LambdaInvoke(planner.function, {
        role: schedulerRole,
        // Names the sweep: a retried invocation plans the same sweep.
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: RETRY_ATTEMPTS,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: planner.deadLetterQueue,
      }),
    });

    // `securityHub.export`: the worker imports the findings it touched into each swept Region's hub.
    const securityHub = props.securityHub ?? readVigilContext(this.node).config.securityHub;
    if (securityHub.export) {
      const stack = Stack.of(this);
      const regions = sweepRegions(settings, stack.region);
      for (const grant of securityHubExportGrants(
        { partition: stack.partition, account: stack.account },
        regions,
      ))
        worker.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: grant.actions, resources: grant.resources }),
        );
    }

    const alarm = new cloudwatch.Alarm(this, "DeadLetterAlarm", {
      alarmDescription: "Vigil sweep: units failed after retries and are in the dead-letter queue",
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
  }
}
