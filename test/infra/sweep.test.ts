import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsSolutionsChecks } from "../../infra/nag";
import {
  LAMBDA_SERVICE_ERRORS,
  SWEEP_EXECUTION_TIMEOUT,
  SWEEP_TOLERATED_FAILURE_PERCENTAGE,
} from "../../infra/sweep";
import { SWEEP_UNIT_FAILED } from "../../shared/sweep/worker";
import { resolvePseudo, resourcesOfType, synthVigil, removeSynthOutputs, type Synthesized } from "./synth";

/**
 * The scheduled sweep on Step Functions (infra/sweep.ts): EventBridge Scheduler starts a Standard
 * state machine; Plan (planner Lambda) -> Distributed Map over (account, Region) pairs -> inline
 * Map over the pair's units -> worker Lambda; then success with the summary or a failure (alarmed).
 */
let defaults: Synthesized;
let configured: Synthesized;

beforeAll(() => {
  defaults = synthVigil();
  configured = synthVigil({
    context: {
      vigilConfig: {
        sweep: {
          schedule: "cron(0 3 * * ? *)",
          regions: ["eu-west-1"],
          maxConcurrency: 6,
          maxAccountRegions: 3,
        },
        securityHub: { export: true },
      },
    },
  });
}, 180_000);

afterAll(removeSynthOutputs);

const idOf = ({ template }: Synthesized, prefix: string, type = "AWS::Lambda::Function") => {
  const found = resourcesOfType(template, type).find(([id]) => id.startsWith(prefix));
  if (!found) throw new Error(`no ${type} ${prefix}`);
  return found;
};

interface State {
  Type: string;
  [key: string]: unknown;
}
interface Asl {
  StartAt: string;
  States: Record<string, State>;
  QueryLanguage?: string;
  TimeoutSeconds?: number;
}

/**
 * The state machine's definition as JSON: its `Fn::Join` with every token (function ARNs, the
 * partition) written as `<LogicalId.Attr>` / `<Ref>`, so states can be compared as plain JSON.
 */
function definitionOf(synth: Synthesized): Asl {
  const [, machine] = idOf(synth, "SweepStateMachine", "AWS::StepFunctions::StateMachine");
  const body = machine.Properties?.DefinitionString as string | { "Fn::Join": [string, unknown[]] };
  const text =
    typeof body === "string"
      ? body
      : body["Fn::Join"][1]
          .map((part) => {
            if (typeof part === "string") return part;
            const token = part as { Ref?: string; "Fn::GetAtt"?: [string, string] };
            if (token.Ref) return `<${token.Ref}>`;
            if (token["Fn::GetAtt"]) return `<${token["Fn::GetAtt"].join(".")}>`;
            throw new Error(`unexpected token ${JSON.stringify(part)}`);
          })
          .join("");
  return JSON.parse(text) as Asl;
}
const functionArn = (synth: Synthesized, prefix: string) => `<${idOf(synth, prefix)[0]}.Arn>`;

/** Every state, inner ones (Map item processors) included, by name. */
function allStates(states: Record<string, State>): Record<string, State> {
  const found: Record<string, State> = {};
  for (const [name, state] of Object.entries(states)) {
    found[name] = state;
    const processor = state.ItemProcessor as { States?: Record<string, State> } | undefined;
    if (processor?.States) Object.assign(found, allStates(processor.States));
  }
  return found;
}
const stateOf = (synth: Synthesized, name: string): State => {
  const state = allStates(definitionOf(synth).States)[name];
  if (!state) throw new Error(`no state ${name}`);
  return state;
};

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
const statementsOfRole = ({ template }: Synthesized, roleId: string): Statement[] =>
  resourcesOfType(template, "AWS::IAM::Policy")
    .filter(([, p]) => (p.Properties?.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
const roleOfFunction = (synth: Synthesized, prefix: string) =>
  (idOf(synth, prefix)[1].Properties?.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
const actionsOf = (statements: Statement[]) =>
  statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
const LAMBDA_RETRY = {
  ErrorEquals: LAMBDA_SERVICE_ERRORS,
  IntervalSeconds: 2,
  BackoffRate: 2,
  MaxAttempts: 6,
  MaxDelaySeconds: 60,
  JitterStrategy: "FULL",
};

describe("scheduled sweep: schedule and state machine", () => {
  it("EventBridge Scheduler starts the state machine every 6 hours by default, naming the sweep by the scheduled time", () => {
    const [machineId] = idOf(defaults, "SweepStateMachine", "AWS::StepFunctions::StateMachine");
    const [, schedule] = idOf(defaults, "SweepSchedule", "AWS::Scheduler::Schedule");
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: "rate(6 hours)",
      State: "ENABLED",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: {
        Arn: { Ref: machineId },
        Input: JSON.stringify({ scheduledTime: "<aws.scheduler.scheduled-time>" }),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: {
          Arn: { "Fn::GetAtt": [expect.stringMatching(/^SweepPlannerDeadLetterQueue/), "Arn"] },
        },
        RoleArn: { "Fn::GetAtt": [expect.stringMatching(/^SweepSchedulerRole/), "Arn"] },
      },
    });
    const [, configuredSchedule] = idOf(configured, "SweepSchedule", "AWS::Scheduler::Schedule");
    expect(configuredSchedule.Properties?.ScheduleExpression).toBe("cron(0 3 * * ? *)");
  });

  it("the scheduler's role is assumable by EventBridge Scheduler of this account only and may start the sweep only", () => {
    const [machineId] = idOf(defaults, "SweepStateMachine", "AWS::StepFunctions::StateMachine");
    const [roleId, role] = idOf(defaults, "SweepSchedulerRole", "AWS::IAM::Role");
    expect(resolvePseudo(role.Properties?.AssumeRolePolicyDocument)).toMatchObject({
      Statement: [
        {
          Action: "sts:AssumeRole",
          Principal: { Service: "scheduler.amazonaws.com" },
          Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
        },
      ],
    });
    expect(statementsOfRole(defaults, roleId)).toEqual([
      { Effect: "Allow", Action: "states:StartExecution", Resource: { Ref: machineId } },
      // The schedule's dead-letter queue: a start that failed after retries lands there (alarmed).
      {
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: { "Fn::GetAtt": [expect.stringMatching(/^SweepPlannerDeadLetterQueue/), "Arn"] },
      },
    ]);
  });

  it("a Standard state machine in JSONata, logging ALL to its own log group kept three months, traced with X-Ray", () => {
    const [, machine] = idOf(defaults, "SweepStateMachine", "AWS::StepFunctions::StateMachine");
    expect(machine.Properties).toMatchObject({
      StateMachineType: "STANDARD",
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: "ALL",
        IncludeExecutionData: true,
        Destinations: [
          {
            CloudWatchLogsLogGroup: {
              LogGroupArn: { "Fn::GetAtt": [expect.stringMatching(/^SweepLogs/), "Arn"] },
            },
          },
        ],
      },
    });
    const [, logs] = idOf(defaults, "SweepLogs", "AWS::Logs::LogGroup");
    expect(logs.Properties?.RetentionInDays).toBe(90);
    const asl = definitionOf(defaults);
    expect(asl.QueryLanguage).toBe("JSONata");
    expect(asl.TimeoutSeconds).toBe(SWEEP_EXECUTION_TIMEOUT.toSeconds());
  });

  it("Plan -> a Distributed Map over (account, Region) pairs -> a verdict: success with the summary, or a failure", () => {
    const asl = definitionOf(defaults);
    expect(asl.StartAt).toBe("Plan");
    expect(asl.States.Plan).toMatchObject({
      Type: "Task",
      Resource: "arn:<AWS::Partition>:states:::lambda:invoke",
      Arguments: { FunctionName: functionArn(defaults, "SweepPlanner"), Payload: "{% $states.input %}" },
      Output: "{% $states.result.Payload %}",
      Retry: [LAMBDA_RETRY],
      Next: "SweepAccountsAndRegions",
    });
    expect(asl.States.SweepAccountsAndRegions?.Next).toBe("AllUnitsCompleted");
    expect(asl.States.AllUnitsCompleted).toEqual({
      Type: "Choice",
      Choices: [
        { Condition: "{% $states.input.failed = 0 and $states.input.pairsFailed = 0 %}", Next: "SweepDone" },
      ],
      Default: "SweepIncomplete",
    });
    expect(asl.States.SweepDone).toMatchObject({ Type: "Succeed" });
    expect(asl.States.SweepIncomplete).toMatchObject({
      Type: "Fail",
      Error: "SweepIncomplete",
      Cause: expect.stringMatching(/^\{% .*\$states\.input\.failed.* %\}$/),
    });
  });

  it("the Distributed Map: a Standard child execution per pair, sweep.maxAccountRegions at once (default 10), the pair's types looked up", () => {
    const map = stateOf(defaults, "SweepAccountsAndRegions");
    expect(map).toMatchObject({
      Type: "Map",
      Items: "{% $states.input.pairs %}",
      ItemSelector: {
        account: "{% $states.context.Map.Item.Value.account %}",
        region: "{% $states.context.Map.Item.Value.region %}",
        resourceTypes: "{% $lookup($states.input.resourceTypes, $states.context.Map.Item.Value.types) %}",
        startedAt: "{% $states.input.startedAt %}",
        homeAccount: "{% $states.input.homeAccount %}",
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: "DISTRIBUTED", ExecutionType: "STANDARD" },
        StartAt: "SweepPair",
      },
      MaxConcurrency: 10,
      ToleratedFailurePercentage: SWEEP_TOLERATED_FAILURE_PERCENTAGE,
      Label: "VigilSweep",
    });
    // The summary: counts only (the state stays small however many units ran).
    expect(Object.keys(map.Output as object).sort()).toEqual(
      ["accounts", "completed", "failed", "pairs", "pairsFailed", "regions", "startedAt", "units"].sort(),
    );
    expect(stateOf(configured, "SweepAccountsAndRegions").MaxConcurrency).toBe(3);
  });

  it("each pair: an inline Map over its units, sweep.maxConcurrency at once (default 4), each one worker invocation", () => {
    const pair = stateOf(defaults, "SweepPair");
    expect(pair).toMatchObject({
      Type: "Map",
      Items: "{% $states.input.resourceTypes %}",
      ItemSelector: {
        account: "{% $states.input.account %}",
        region: "{% $states.input.region %}",
        resourceType: "{% $states.context.Map.Item.Value %}",
        startedAt: "{% $states.input.startedAt %}",
        homeAccount: "{% $states.input.homeAccount %}",
      },
      ItemProcessor: { ProcessorConfig: { Mode: "INLINE" }, StartAt: "SweepUnit" },
      MaxConcurrency: 4,
      Output: {
        completed: '{% $count($states.result[outcome = "completed"]) %}',
        failed: '{% $count($states.result[outcome = "failed"]) %}',
      },
      End: true,
    });
    expect(stateOf(configured, "SweepPair").MaxConcurrency).toBe(6);
  });

  it("a unit: the worker with the unit as payload; Lambda errors retried with backoff and jitter, a failed unit later; anything left is caught", () => {
    expect(stateOf(defaults, "SweepUnit")).toEqual({
      Type: "Task",
      QueryLanguage: "JSONata",
      Comment: expect.any(String),
      Resource: "arn:<AWS::Partition>:states:::lambda:invoke",
      Arguments: { FunctionName: functionArn(defaults, "SweepWorker"), Payload: "{% $states.input %}" },
      Output: "{% $states.result.Payload %}",
      // The worker's own timeout (5 minutes) and a minute more.
      TimeoutSeconds: 360,
      Retry: [
        LAMBDA_RETRY,
        {
          ErrorEquals: [SWEEP_UNIT_FAILED],
          IntervalSeconds: 120,
          BackoffRate: 3,
          MaxAttempts: 2,
          JitterStrategy: "FULL",
        },
      ],
      // One failed unit never fails its pair or the sweep: it is counted.
      Catch: [
        {
          ErrorEquals: ["States.ALL"],
          Output: {
            resourceType: "{% $states.input.resourceType %}",
            outcome: "failed",
            error: "{% $states.errorOutput.Error %}",
          },
          Next: "UnitFailed",
        },
      ],
      End: true,
    });
    expect(stateOf(defaults, "UnitFailed")).toMatchObject({ Type: "Pass", End: true });
  });

  it("alarms to the alert topic when an execution fails (failed units or pairs), times out or is stopped", () => {
    const [machineId] = idOf(defaults, "SweepStateMachine", "AWS::StepFunctions::StateMachine");
    const [, alarm] = idOf(defaults, "SweepFailedAlarm", "AWS::CloudWatch::Alarm");
    const metric = (id: string, name: string) => ({
      Id: id,
      MetricStat: {
        Metric: {
          Namespace: "AWS/States",
          MetricName: name,
          Dimensions: [{ Name: "StateMachineArn", Value: { Ref: machineId } }],
        },
        Period: 300,
        Stat: "Sum",
      },
      ReturnData: false,
    });
    expect(alarm.Properties).toMatchObject({
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
      AlarmActions: [{ Ref: expect.stringMatching(/^AlertsTopic/) }],
    });
    expect(alarm.Properties?.Metrics).toEqual([
      expect.objectContaining({
        Expression: "FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)",
        ReturnData: true,
      }),
      metric("failed", "ExecutionsFailed"),
      metric("timedOut", "ExecutionsTimedOut"),
      metric("aborted", "ExecutionsAborted"),
    ]);
  });

  it("no queue any more: no sweep queue, no event source mapping, no SWEEP_QUEUE_URL", () => {
    expect(
      resourcesOfType(defaults.template, "AWS::SQS::Queue")
        .map(([id]) => id)
        .filter((id) => /^SweepQueue|^SweepDeadLetter/.test(id)),
    ).toEqual([]);
    expect(resourcesOfType(defaults.template, "AWS::Lambda::EventSourceMapping")).toEqual([]);
    const [, planner] = idOf(defaults, "SweepPlanner");
    expect(
      (planner.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.SWEEP_QUEUE_URL,
    ).toBeUndefined();
  });
});

describe("scheduled sweep: IAM", () => {
  it("the state machine's role: invoke the planner and the worker, run its own child executions, log and trace; nothing else", () => {
    const [machineId, machine] = idOf(defaults, "SweepStateMachine", "AWS::StepFunctions::StateMachine");
    const roleId = (machine.Properties?.RoleArn as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    const statements = statementsOfRole(defaults, roleId);
    const planner = idOf(defaults, "SweepPlanner")[0];
    const worker = idOf(defaults, "SweepWorker")[0];
    const invoke = (fn: string) => ({
      Effect: "Allow",
      Action: "lambda:InvokeFunction",
      Resource: [{ "Fn::GetAtt": [fn, "Arn"] }, { "Fn::Join": ["", [{ "Fn::GetAtt": [fn, "Arn"] }, ":*"]] }],
    });
    expect(statements).toContainEqual(invoke(planner));
    expect(statements).toContainEqual(invoke(worker));
    expect(statements.filter((s) => actionsOf([s]).includes("lambda:InvokeFunction"))).toHaveLength(2);
    expect(statements).toContainEqual({
      Effect: "Allow",
      Action: "states:StartExecution",
      Resource: { Ref: machineId },
    });
    const executions = (suffix: string) => ({
      "Fn::Join": [
        "",
        [
          "arn:",
          { Ref: "AWS::Partition" },
          ":states:us-east-1:111122223333:execution:",
          { "Fn::Select": [6, { "Fn::Split": [":", { Ref: machineId }] }] },
          suffix,
        ],
      ],
    });
    expect(statements).toContainEqual({
      Effect: "Allow",
      Action: ["states:DescribeExecution", "states:StopExecution"],
      Resource: executions(":*"),
    });
    expect(statements).toContainEqual({
      Effect: "Allow",
      Action: "states:RedriveExecution",
      Resource: executions("/VigilSweep:*"),
    });
    const onStar = statements.filter((s) => s.Resource === "*");
    expect(actionsOf(onStar).every((action) => /^(logs|xray):/.test(action))).toBe(true);
    expect(actionsOf(statements).filter((action) => !/^(logs|xray):/.test(action))).toEqual([
      "lambda:InvokeFunction",
      "lambda:InvokeFunction",
      "states:DescribeExecution",
      "states:RedriveExecution",
      "states:StartExecution",
      "states:StopExecution",
    ]);
  });

  it("the planner: its logs and dead-letter queue only, outside organisation mode (no Organizations, no sweep queue)", () => {
    const statements = statementsOfRole(defaults, roleOfFunction(defaults, "SweepPlanner"));
    expect(actionsOf(statements)).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "sqs:SendMessage"]);
    expect(statements.find((s) => s.Action === "sqs:SendMessage")?.Resource).toEqual({
      "Fn::GetAtt": [expect.stringMatching(/^SweepPlannerDeadLetterQueue/), "Arn"],
    });
  });

  it("the planner and the worker know the home account (VIGIL_HOME_ACCOUNT: the stack's)", () => {
    for (const prefix of ["SweepPlanner", "SweepWorker"]) {
      const [, fn] = idOf(defaults, prefix);
      expect(
        (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables.VIGIL_HOME_ACCOUNT,
      ).toBe("111122223333");
    }
  });

  it("securityHub.export: the worker may import into its account's default product and update findings, in each swept Region only", () => {
    const hubStatements = (synth: Synthesized) =>
      statementsOfRole(synth, roleOfFunction(synth, "SweepWorker")).filter((s) =>
        JSON.stringify(s.Action).includes("securityhub:"),
      );
    expect(hubStatements(defaults)).toEqual([]);
    expect(resolvePseudo(hubStatements(configured))).toEqual([
      {
        Effect: "Allow",
        Action: "securityhub:BatchImportFindings",
        Resource: "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default",
      },
      {
        Effect: "Allow",
        Action: "securityhub:BatchUpdateFindings",
        Resource: "arn:aws:securityhub:eu-west-1:111122223333:hub/default",
      },
    ]);
  });

  it("passes cdk-nag", () => {
    for (const synth of [defaults, configured]) {
      const report = new AwsSolutionsChecks(synth.app, { verbose: true }).validateScope(synth.app);
      expect(
        report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`),
      ).toEqual([]);
    }
  });
});
