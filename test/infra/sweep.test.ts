import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Match } from "aws-cdk-lib/assertions";
import { AwsSolutionsChecks } from "../../infra/nag";
import { SWEEP_MAX_RECEIVE_COUNT } from "../../infra/sweep";
import { resolvePseudo, resourcesOfType, synthVigil, removeSynthOutputs, type Synthesized } from "./synth";

let defaults: Synthesized;
let configured: Synthesized;

beforeAll(() => {
  defaults = synthVigil();
  configured = synthVigil({
    context: {
      vigilConfig: {
        sweep: { schedule: "cron(0 3 * * ? *)", regions: ["eu-west-1"], maxConcurrency: 6 },
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

describe("scheduled sweep", () => {
  it("EventBridge Scheduler invokes the planner every 6 hours by default, naming the sweep by the scheduled time", () => {
    const [plannerId] = idOf(defaults, "SweepPlanner");
    const [, schedule] = idOf(defaults, "SweepSchedule", "AWS::Scheduler::Schedule");
    expect(schedule.Properties).toMatchObject({
      ScheduleExpression: "rate(6 hours)",
      State: "ENABLED",
      FlexibleTimeWindow: { Mode: "OFF" },
      Target: {
        Arn: { "Fn::GetAtt": [plannerId, "Arn"] },
        Input: JSON.stringify({ scheduledTime: "<aws.scheduler.scheduled-time>" }),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: {
          Arn: { "Fn::GetAtt": [expect.stringMatching(/^SweepPlannerDeadLetterQueue/), "Arn"] },
        },
        RoleArn: { "Fn::GetAtt": [expect.stringMatching(/^SweepSchedulerRole/), "Arn"] },
      },
    });
  });

  it("takes the schedule and the concurrency from the config (`sweep`)", () => {
    const [, schedule] = idOf(configured, "SweepSchedule", "AWS::Scheduler::Schedule");
    expect(schedule.Properties?.ScheduleExpression).toBe("cron(0 3 * * ? *)");
    const [, mapping] = idOf(configured, "SweepWorker", "AWS::Lambda::EventSourceMapping");
    expect(mapping.Properties?.ScalingConfig).toEqual({ MaximumConcurrency: 6 });
  });

  it("the planner queues the units: it may send to the sweep queue, nothing more but its logs and dead-letter queue", () => {
    const [, planner] = idOf(defaults, "SweepPlanner");
    const variables = (planner.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.SWEEP_QUEUE_URL).toEqual({ Ref: expect.stringMatching(/^SweepQueue/) });
    expect(variables.FINDINGS_TABLE).toBeUndefined();
    const roleId = (planner.Properties?.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    const statements = resourcesOfType(defaults.template, "AWS::IAM::Policy")
      .filter(([, p]) => (p.Properties?.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(
        ([, p]) =>
          (p.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] })
            .Statement,
      );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect(actions).toEqual([
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "sqs:GetQueueAttributes",
      "sqs:GetQueueUrl",
      "sqs:SendMessage",
      "sqs:SendMessage",
    ]);
  });

  it("the queue: encrypted, SSL only, visibility six times the worker's timeout, a dead-letter queue after 3 receives", () => {
    const [, queue] = idOf(defaults, "SweepQueue", "AWS::SQS::Queue");
    const [, worker] = idOf(defaults, "SweepWorker");
    expect(queue.Properties).toMatchObject({
      SqsManagedSseEnabled: true,
      VisibilityTimeout: 6 * (worker.Properties?.Timeout as number),
      RedrivePolicy: {
        deadLetterTargetArn: { "Fn::GetAtt": [expect.stringMatching(/^SweepDeadLetterQueue/), "Arn"] },
        maxReceiveCount: SWEEP_MAX_RECEIVE_COUNT,
      },
    });
    defaults.template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      Queues: [{ Ref: Match.stringLikeRegexp("^SweepQueue") }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
    defaults.template.hasResourceProperties("AWS::CloudWatch::Alarm", {
      Dimensions: [
        {
          Name: "QueueName",
          Value: { "Fn::GetAtt": [Match.stringLikeRegexp("^SweepDeadLetterQueue"), "QueueName"] },
        },
      ],
      Threshold: 1,
    });
  });

  it("the worker takes one unit at a time, at most 4 at once, reporting failed units one by one", () => {
    const [workerId] = idOf(defaults, "SweepWorker");
    const [, mapping] = idOf(defaults, "SweepWorker", "AWS::Lambda::EventSourceMapping");
    expect(mapping.Properties).toEqual({
      FunctionName: { Ref: workerId },
      EventSourceArn: { "Fn::GetAtt": [expect.stringMatching(/^SweepQueue/), "Arn"] },
      BatchSize: 1,
      ScalingConfig: { MaximumConcurrency: 4 },
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
  });

  it("the scheduler's role is assumable by EventBridge Scheduler of this account only and may invoke the planner only", () => {
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
    const statements = resourcesOfType(defaults.template, "AWS::IAM::Policy")
      .filter(([, p]) => (p.Properties?.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(
        ([, p]) => (p.Properties?.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement,
      );
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect(actions).toEqual(["lambda:InvokeFunction", "sqs:SendMessage"]);
  });

  it("securityHub.export: the worker may import into its account's default product and update findings, in each swept Region only", () => {
    const workerStatements = (synth: Synthesized) => {
      const [, worker] = idOf(synth, "SweepWorker");
      const roleId = (worker.Properties?.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
      return resourcesOfType(synth.template, "AWS::IAM::Policy")
        .filter(([, p]) => (p.Properties?.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
        .flatMap(
          ([, p]) =>
            (
              p.Properties?.PolicyDocument as {
                Statement: { Action: string | string[]; Resource: unknown }[];
              }
            ).Statement,
        )
        .filter((s) => JSON.stringify(s.Action).includes("securityhub:"));
    };
    expect(workerStatements(defaults)).toEqual([]);
    expect(resolvePseudo(workerStatements(configured))).toEqual([
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
    const report = new AwsSolutionsChecks(configured.app, { verbose: true }).validateScope(configured.app);
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
  });
});
