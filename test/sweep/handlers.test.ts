import { SQSClient, SendMessageBatchCommand } from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sweepPlanner } from "../../shared/sweep/planner";
import { sweepWorker, type SweepMessage } from "../../shared/sweep/worker";
import { parseConfig } from "../../shared/config/load";
import type { VigilLogger } from "../../shared/log";
import type { VigilRuntime } from "../../shared/pipeline/runtime";
import type { Collector } from "../../shared/sweep/collector";
import type { SweepUnit, SweepUnitResult } from "../../shared/sweep/report";
import { planUnits } from "../../shared/sweep/sweep";

const ACCOUNT = "111122223333";
const context = {
  invokedFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:VigilStack-SweepFunction`,
};
const logger = (): VigilLogger => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() });
const collector = (resourceType: string, scope: Collector["scope"]): Collector =>
  ({ resourceType, scope, iamActions: [], collect: async function* () {} }) as unknown as Collector;
const COLLECTORS = [collector("AWS::EC2::SecurityGroup", "regional"), collector("AWS::IAM::Role", "global")];
const STARTED = "2026-11-27T00:00:00Z";

function sqsEvent(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `m-${i}`,
      receiptHandle: `r-${i}`,
      body,
      attributes: {} as SQSEvent["Records"][number]["attributes"],
      messageAttributes: {},
      md5OfBody: "",
      eventSource: "aws:sqs",
      eventSourceARN: `arn:aws:sqs:us-east-1:${ACCOUNT}:VigilStack-SweepQueue`,
      awsRegion: "us-east-1",
    })),
  };
}
const message = (unit: Partial<SweepMessage> = {}): string =>
  JSON.stringify({
    account: ACCOUNT,
    region: "eu-west-1",
    resourceType: "AWS::EC2::SecurityGroup",
    startedAt: STARTED,
    ...unit,
  });

const completed = (unit: SweepUnit): SweepUnitResult => ({
  ...unit,
  outcome: "completed",
  resources: 3,
  deletedResources: 0,
  durationMs: 5,
});

describe("sweep worker", () => {
  const setup = (sweep = vi.fn(async (unit: SweepUnit) => completed(unit))) => {
    const runtimes = new Map<string, VigilRuntime>();
    const runtimeFor = vi.fn(async (region: string) => {
      const rt = { region } as unknown as VigilRuntime;
      runtimes.set(region, rt);
      return rt;
    });
    const log = logger();
    return {
      handler: sweepWorker({ runtimeFor, collectors: COLLECTORS, sweep, logger: log }),
      sweep,
      runtimeFor,
      runtimes,
      log,
    };
  };

  it("sweeps the unit with the runtime of its Region, the collectors and the sweep's name", async () => {
    const { handler, sweep, runtimes } = setup();
    expect(await handler(sqsEvent(message()), context)).toEqual({ batchItemFailures: [] });
    expect(sweep).toHaveBeenCalledTimes(1);
    expect(sweep).toHaveBeenCalledWith(
      { account: ACCOUNT, region: "eu-west-1", resourceType: "AWS::EC2::SecurityGroup" },
      runtimes.get("eu-west-1"),
      { collectors: COLLECTORS, startedAt: STARTED },
    );
  });

  it("a failed unit (outcome failed, or a throw) is a batch item failure, for SQS to deliver again", async () => {
    const sweep = vi
      .fn()
      .mockResolvedValueOnce({
        ...completed({ account: ACCOUNT, region: "eu-west-1", resourceType: "AWS::EC2::SecurityGroup" }),
        outcome: "failed",
        error: "Throttling",
      })
      .mockRejectedValueOnce(new Error("store unavailable"))
      .mockImplementationOnce(async (unit: SweepUnit) => completed(unit));
    const { handler, log } = setup(sweep);
    const response = await handler(sqsEvent(message(), message({ region: "us-east-1" }), message()), context);
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "m-0" }, { itemIdentifier: "m-1" }] });
    expect(log.error).toHaveBeenCalledWith(
      "sweep unit failed; it will be retried",
      expect.objectContaining({
        result: expect.objectContaining({ outcome: "failed", error: "store unavailable" }),
      }),
    );
  });

  it.each([
    ["not JSON", "{not json"],
    [
      "a unit without a resource type",
      JSON.stringify({ account: ACCOUNT, region: "eu-west-1", startedAt: STARTED }),
    ],
    ["a bad Region", message({ region: "Europe" })],
    ["a bad start time", message({ startedAt: "yesterday" })],
    ["an extra field", JSON.stringify({ ...JSON.parse(message()), checks: ["EC2.18"] })],
    ["another account's unit", message({ account: "444455556666" })],
  ])("drops %s with an error log and without sweeping (no retry would fix it)", async (_name, body) => {
    const { handler, sweep, runtimeFor, log } = setup();
    expect(await handler(sqsEvent(body), context)).toEqual({ batchItemFailures: [] });
    expect(sweep).not.toHaveBeenCalled();
    expect(runtimeFor).not.toHaveBeenCalled();
    expect(log.error).toHaveBeenCalledWith(
      expect.stringMatching(/^sweep message dropped/),
      expect.anything(),
    );
  });
});

describe("sweep worker: Security Hub export (config securityHub.export)", () => {
  it("asks the sweep for the touched findings only when exporting; an export that throws is logged, the unit still done", async () => {
    const sweep = vi.fn(async (unit: SweepUnit, _rt: VigilRuntime, _options: object) => ({
      ...completed(unit),
      touchedFindingIds: ["vf-1"],
    }));
    const getMany = vi.fn(async () => new Map());
    const log = logger();
    const handler = sweepWorker({
      runtimeFor: async () => ({ store: { getMany } }) as unknown as VigilRuntime,
      collectors: COLLECTORS,
      sweep,
      logger: log,
      exportFindings: async () => {
        throw new Error("Security Hub is not enabled");
      },
    });
    expect(await handler(sqsEvent(message()), context)).toEqual({ batchItemFailures: [] });
    expect(sweep.mock.calls[0]?.[2]).toEqual({
      collectors: COLLECTORS,
      startedAt: STARTED,
      trackFindings: true,
    });
    expect(getMany).toHaveBeenCalledWith(["vf-1"]);
    expect(log.error).toHaveBeenCalledWith(
      "Security Hub export after the sweep unit failed",
      expect.objectContaining({ region: "eu-west-1", findings: 1 }),
    );
    expect(log.info).toHaveBeenCalledWith("sweep unit done", expect.anything());
  });
});

describe("sweep planner", () => {
  const sqs = mockClient(SQSClient);
  afterEach(() => sqs.reset());

  const planner = (config = {}, plan: typeof planUnits = planUnits) =>
    sweepPlanner({
      config: parseConfig(config),
      region: "us-east-1",
      queueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/VigilStack-SweepQueue",
      collectors: COLLECTORS,
      plan,
      sqs: async () => new SQSClient({ region: "us-east-1" }),
      now: () => new Date("2026-11-27T05:00:00.000Z"),
      logger: logger(),
    });
  const sentBodies = () =>
    sqs
      .commandCalls(SendMessageBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? [])
      .map((entry) => JSON.parse(entry.MessageBody ?? "") as SweepMessage);

  it("queues one message per unit, named by the schedule's time; the stack's Region by default", async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const report = await planner()({ scheduledTime: STARTED }, context);
    expect(report).toEqual({ startedAt: STARTED, regions: ["us-east-1"], units: 2 });
    expect(sentBodies()).toEqual([
      { account: ACCOUNT, region: "us-east-1", resourceType: "AWS::EC2::SecurityGroup", startedAt: STARTED },
      { account: ACCOUNT, region: "us-east-1", resourceType: "AWS::IAM::Role", startedAt: STARTED },
    ]);
  });

  it("configured Regions: regional types in each, global ones in the first (home) Region only", async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    await planner({ sweep: { regions: ["eu-west-1", "us-east-1"] } })({ scheduledTime: STARTED }, context);
    expect(
      sentBodies()
        .map((m) => `${m.region} ${m.resourceType}`)
        .sort(),
    ).toEqual([
      "eu-west-1 AWS::EC2::SecurityGroup",
      "eu-west-1 AWS::IAM::Role",
      "us-east-1 AWS::EC2::SecurityGroup",
    ]);
  });

  it("sends at most 10 messages per call (SQS's batch limit); without a scheduled time, now names the sweep", async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const many = Array.from({ length: 23 }, (_, i) => ({
      account: ACCOUNT,
      region: "us-east-1",
      resourceType: `T${i}`,
    }));
    const report = await planner({}, () => many)({}, context);
    expect(report.startedAt).toBe("2026-11-27T05:00:00.000Z");
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([
      10, 10, 3,
    ]);
  });

  it("fails (for the schedule to retry) when SQS refuses some messages", async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [],
      Failed: [{ Id: "1", Code: "InternalError", SenderFault: false, Message: "try again" }],
    });
    await expect(planner()({ scheduledTime: STARTED }, context)).rejects.toThrow(
      /could not queue 1 sweep unit/,
    );
  });
});
