import { Duration, Stack } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import * as cloudwatchActions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as scheduler from "aws-cdk-lib/aws-scheduler";
import * as schedulerTargets from "aws-cdk-lib/aws-scheduler-targets";
import type * as sns from "aws-cdk-lib/aws-sns";
import * as sfn from "aws-cdk-lib/aws-stepfunctions";
import * as tasks from "aws-cdk-lib/aws-stepfunctions-tasks";
import { Construct } from "constructs";
import type { OrganizationSettings } from "../shared/config/organization";
import type { SecurityHubSettings } from "../shared/config/security-hub";
import { sweepRegions, type SweepSettings } from "../shared/config/sweep";
import { SWEEP_UNIT_FAILED } from "../shared/sweep/worker";
import { readVigilContext } from "./context";
import { RETRY_ATTEMPTS, type DetectionFunction } from "./detection-function";
import { acknowledgeWildcardResources } from "./nag";
import { securityHubExportGrants, sweepPlannerOrganizationsGrants } from "./permissions";

/** One unit lists one resource type in one account and Region: a few hundred calls at most, with adaptive retry. */
export const SWEEP_WORKER_TIMEOUT = Duration.minutes(5);
/** Listing the organisation's accounts (a call per OU and page) and planning. */
export const SWEEP_PLANNER_TIMEOUT = Duration.minutes(1);
/** A sweep still running after this is stopped (and alarmed): it would overlap the next ones. */
export const SWEEP_EXECUTION_TIMEOUT = Duration.hours(12);
/**
 * (Account, Region) pairs whose child execution may fail outright (not a unit: those are caught)
 * before the whole sweep stops.
 */
export const SWEEP_TOLERATED_FAILURE_PERCENTAGE = 10;
/** The errors Lambda's Invoke API returns for throttling and its own faults: retried with backoff. */
export const LAMBDA_SERVICE_ERRORS = [
  "Lambda.TooManyRequestsException",
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.ClientExecutionTimeoutException",
];

export interface SweepProps {
  settings: SweepSettings;
  /** functions/sweep-planner.ts */
  planner: DetectionFunction;
  /** functions/sweep-worker.ts */
  worker: DetectionFunction;
  alarmTopic: sns.ITopic;
  /** `securityHub` of Vigil's config; default: the CDK context's (`vigilConfig`). */
  securityHub?: SecurityHubSettings;
  /** `organization` of Vigil's config; default: the CDK context's (`vigilConfig`). */
  organization?: OrganizationSettings;
}

/**
 * The scheduled sweep, on Step Functions: EventBridge Scheduler starts a Standard state machine;
 * the planner returns the (account, Region) pairs and their resource types; a Distributed Map
 * runs a child execution per pair, at most `sweep.maxAccountRegions` at once, and each child runs
 * its units (one resource type each) at most `sweep.maxConcurrency` at once, so a sweep stays
 * under each account's and Region's API rate limits. A failed unit is retried with backoff and
 * jitter, then recorded; the sweep goes on. The execution ends with the summary, and fails (which
 * alarms) when a unit or a pair failed.
 */
export class Sweep extends Construct {
  readonly stateMachine: sfn.StateMachine;
  /** Failed, timed-out or stopped executions, to the alert topic. */
  readonly failedAlarm: cloudwatch.Alarm;
  readonly schedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: SweepProps) {
    super(scope, id);
    const { planner, worker, settings } = props;
    const stack = Stack.of(this);
    // The stack passes its config; the CDK context's is read only for what it doesn't pass.
    const config = () => readVigilContext(this.node).config;
    const organization = props.organization ?? config().organization;
    const securityHub = props.securityHub ?? config().securityHub;

    // Both know the home account without asking: the member role of every other account is assumed.
    planner.function.addEnvironment("VIGIL_HOME_ACCOUNT", stack.account);
    worker.function.addEnvironment("VIGIL_HOME_ACCOUNT", stack.account);
    for (const grant of sweepPlannerOrganizationsGrants(organization, stack.partition))
      planner.allow(grant.actions, grant.resources);
    if (organization.enabled)
      acknowledgeWildcardResources(
        planner.role,
        sweepPlannerOrganizationsGrants(organization, stack.partition).flatMap((grant) => grant.resources),
        "Organizations list actions the planner makes to find the accounts to sweep: ListAccounts has no " +
          "resource-level permissions; ListAccountsForParent / ListOrganizationalUnitsForParent are scoped " +
          "to the organisation's OUs, whose ARNs hold the management account id (unknown here) and nested OU ids.",
      );

    this.stateMachine = new sfn.StateMachine(this, "StateMachine", {
      comment: "Vigil: the scheduled sweep of every account, Region and resource type",
      queryLanguage: sfn.QueryLanguage.JSONATA,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromChainable(sweepDefinition(this, props)),
      timeout: SWEEP_EXECUTION_TIMEOUT,
      tracingEnabled: true,
      logs: {
        destination: new logs.LogGroup(this, "Logs", { retention: logs.RetentionDays.THREE_MONTHS }),
        level: sfn.LogLevel.ALL,
        // Plans, units and counts: no finding content, no secrets.
        includeExecutionData: true,
      },
    });
    const role = this.stateMachine.role;
    acknowledgeWildcardResources(
      role,
      [`${planner.function.functionArn}:*`, `${worker.function.functionArn}:*`],
      "lambda:InvokeFunction on the planner and worker functions and their versions (`<arn>:*`, CDK's grantInvoke form); nothing else.",
    );
    acknowledgeWildcardResources(
      role,
      ["*"],
      "Step Functions' own delivery to CloudWatch Logs (logs:CreateLogDelivery, DescribeLogGroups, ...) and X-Ray " +
        "(xray:PutTraceSegments, ...) have no resource-level permissions.",
    );
    // The Distributed Map's child executions (CDK's DistributedMapPolicy): this state machine's own.
    const mapPolicy = this.stateMachine.node.tryFindChild("DistributedMapPolicy");
    if (mapPolicy instanceof iam.Policy)
      acknowledgeWildcardResources(
        mapPolicy,
        policyResources(mapPolicy.document),
        "Describe, stop and redrive the Distributed Map's child executions: `execution:<this state machine>:*` " +
          "(and `/<label>:*`), ids Step Functions makes at run time.",
      );

    // Our own role (not the stack-wide one the target would make), trusted by this account's Scheduler only.
    const schedulerRole = new iam.Role(this, "SchedulerRole", {
      assumedBy: new iam.ServicePrincipal("scheduler.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": stack.account } },
      }),
      description: "Vigil sweep: EventBridge Scheduler starts the sweep's state machine",
    });
    this.schedule = new scheduler.Schedule(this, "Schedule", {
      description: "Vigil: the scheduled sweep of every resource the collectors list",
      schedule: scheduler.ScheduleExpression.expression(settings.schedule),
      target: new schedulerTargets.StepFunctionsStartExecution(this.stateMachine, {
        role: schedulerRole,
        // Names the sweep: a retried start plans the same sweep (same unit event ids).
        input: scheduler.ScheduleTargetInput.fromObject({
          scheduledTime: scheduler.ContextAttribute.scheduledTime,
        }),
        retryAttempts: RETRY_ATTEMPTS,
        maxEventAge: Duration.hours(1),
        deadLetterQueue: planner.deadLetterQueue,
      }),
    });

    // `securityHub.export`: the worker imports the findings it touched into each swept Region's hub.
    if (securityHub.export) {
      const regions = sweepRegions(settings, stack.region);
      for (const grant of securityHubExportGrants(
        { partition: stack.partition, account: stack.account },
        regions,
      ))
        worker.role.addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: grant.actions, resources: grant.resources }),
        );
    }

    // A failed, timed-out or stopped sweep: a unit or a pair failed after retries, or the plan did.
    const alarm = (this.failedAlarm = new cloudwatch.Alarm(this, "FailedAlarm", {
      alarmDescription:
        "Vigil sweep: an execution failed (units or account/Region pairs failed after retries; its cause and history say which), timed out or was stopped",
      metric: new cloudwatch.MathExpression({
        // Each metric is emitted only when it happens: a missing one counts as 0, not as "no data".
        expression: "FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)",
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ statistic: cloudwatch.Stats.SUM }),
          timedOut: this.stateMachine.metricTimedOut({ statistic: cloudwatch.Stats.SUM }),
          aborted: this.stateMachine.metricAborted({ statistic: cloudwatch.Stats.SUM }),
        },
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
    alarm.addAlarmAction(new cloudwatchActions.SnsAction(props.alarmTopic));
  }
}

/** Every Resource of a policy document's statements (tokens included; the nag helper resolves them). */
function policyResources(document: iam.PolicyDocument): string[] {
  const json = document.toJSON() as { Statement?: { Resource?: string | string[] }[] } | undefined;
  return (json?.Statement ?? []).flatMap((statement) =>
    statement.Resource === undefined
      ? []
      : Array.isArray(statement.Resource)
        ? statement.Resource
        : [statement.Resource],
  );
}

/** Retries for Lambda's throttling and service errors: exponential backoff with full jitter. */
function retryLambdaErrors(task: sfn.TaskStateBase): void {
  task.addRetry({
    errors: LAMBDA_SERVICE_ERRORS,
    interval: Duration.seconds(2),
    backoffRate: 2,
    maxAttempts: 6,
    maxDelay: Duration.minutes(1),
    jitterStrategy: sfn.JitterType.FULL,
  });
}

/**
 * Plan -> Distributed Map over (account, Region) pairs -> inline Map over the pair's units ->
 * worker; then the summary, and success or failure. JSONata throughout: the summary counts.
 */
function sweepDefinition(scope: Construct, props: SweepProps): sfn.IChainable {
  const { planner, worker, settings } = props;

  const plan = tasks.LambdaInvoke.jsonata(scope, "Plan", {
    comment: "Accounts x Regions x resource types, grouped by (account, Region)",
    lambdaFunction: planner.function,
    payload: sfn.TaskInput.fromText("{% $states.input %}"),
    outputs: "{% $states.result.Payload %}",
    retryOnServiceExceptions: false,
    taskTimeout: sfn.Timeout.duration(SWEEP_PLANNER_TIMEOUT.plus(Duration.minutes(1))),
  });
  retryLambdaErrors(plan);

  const sweepUnit = tasks.LambdaInvoke.jsonata(scope, "SweepUnit", {
    comment: "One resource type in one account and Region",
    lambdaFunction: worker.function,
    payload: sfn.TaskInput.fromText("{% $states.input %}"),
    outputs: "{% $states.result.Payload %}",
    retryOnServiceExceptions: false,
    taskTimeout: sfn.Timeout.duration(SWEEP_WORKER_TIMEOUT.plus(Duration.minutes(1))),
  });
  retryLambdaErrors(sweepUnit);
  // A unit that failed (listing, store or alert errors): again later, as SQS used to redeliver it.
  sweepUnit.addRetry({
    errors: [SWEEP_UNIT_FAILED],
    interval: Duration.minutes(2),
    backoffRate: 3,
    maxAttempts: 2,
    jitterStrategy: sfn.JitterType.FULL,
  });
  // Whatever is left (retries exhausted, an invalid unit, a timeout) is this unit's failure only.
  const unitFailed = sfn.Pass.jsonata(scope, "UnitFailed", { comment: "Recorded; the other units go on" });
  sweepUnit.addCatch(unitFailed, {
    errors: [sfn.Errors.ALL],
    outputs: {
      resourceType: "{% $states.input.resourceType %}",
      outcome: "failed",
      error: "{% $states.errorOutput.Error %}",
    },
  });

  const units = sfn.Map.jsonata(scope, "SweepPair", {
    comment: "The pair's units, sweep.maxConcurrency at once (the account's and Region's API rate limits)",
    items: sfn.ProvideItems.jsonata("{% $states.input.resourceTypes %}"),
    itemSelector: {
      account: "{% $states.input.account %}",
      region: "{% $states.input.region %}",
      resourceType: "{% $states.context.Map.Item.Value %}",
      startedAt: "{% $states.input.startedAt %}",
      homeAccount: "{% $states.input.homeAccount %}",
    },
    maxConcurrency: settings.maxConcurrency,
    outputs: {
      completed: '{% $count($states.result[outcome = "completed"]) %}',
      failed: '{% $count($states.result[outcome = "failed"]) %}',
    },
  });
  units.itemProcessor(sweepUnit);

  const pairs = sfn.DistributedMap.jsonata(scope, "SweepAccountsAndRegions", {
    comment: "A child execution per (account, Region), sweep.maxAccountRegions at once",
    items: sfn.ProvideItems.jsonata("{% $states.input.pairs %}"),
    itemSelector: {
      account: "{% $states.context.Map.Item.Value.account %}",
      region: "{% $states.context.Map.Item.Value.region %}",
      resourceTypes: "{% $lookup($states.input.resourceTypes, $states.context.Map.Item.Value.types) %}",
      startedAt: "{% $states.input.startedAt %}",
      homeAccount: "{% $states.input.homeAccount %}",
    },
    maxConcurrency: settings.maxAccountRegions,
    mapExecutionType: sfn.StateMachineType.STANDARD,
    toleratedFailurePercentage: SWEEP_TOLERATED_FAILURE_PERCENTAGE,
    label: "VigilSweep",
    // A failed child's result is its error (no `completed`): counted as a failed pair.
    outputs: {
      startedAt: "{% $states.input.startedAt %}",
      accounts: "{% $states.input.accounts %}",
      regions: "{% $states.input.regions %}",
      pairs: "{% $count($states.input.pairs) %}",
      units: "{% $states.input.units %}",
      completed: "{% $sum([$states.result.completed]) %}",
      failed: "{% $sum([$states.result.failed]) %}",
      pairsFailed: "{% $count($states.input.pairs) - $count([$states.result[$exists(completed)]]) %}",
    },
  });
  pairs.itemProcessor(units);

  const incomplete = sfn.Fail.jsonata(scope, "SweepIncomplete", {
    comment: "Alarmed: some units or pairs failed after retries",
    error: "SweepIncomplete",
    cause:
      "{% 'sweep ' & $states.input.startedAt & ': ' & $string($states.input.failed) & ' of ' & $string($states.input.units) & " +
      "' units failed, ' & $string($states.input.pairsFailed) & ' of ' & $string($states.input.pairs) & " +
      "' account/Region pairs did not finish (the execution history says which)' %}",
  });
  const done = new sfn.Succeed(scope, "SweepDone", {
    comment: "Every unit completed; the output is the summary",
  });
  const verdict = sfn.Choice.jsonata(scope, "AllUnitsCompleted")
    .when(sfn.Condition.jsonata("{% $states.input.failed = 0 and $states.input.pairsFailed = 0 %}"), done)
    .otherwise(incomplete);

  return plan.next(pairs).next(verdict);
}
