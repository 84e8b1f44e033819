import { CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SQSClient,
  SendMessageCommand,
} from "@aws-sdk/client-sqs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "../support/cli-harness";
import { loadEvent } from "../support/events";
import type { LambdaDouble } from "../support/local-aws/lambda";
import type { SqsDouble } from "../support/local-aws/sqs";

/**
 * `npm run vigil -- redrive` in a child process against the local endpoint: SQS (JSON 1.0,
 * `AmazonSQS.*`) and Lambda (REST-JSON `/2015-03-31/functions/...`) doubles, queues and functions
 * created through the SDK the way the stack creates them (tags, DeadLetterConfig).
 */

const TIMEOUT = 90_000;
const VIGIL_TAGS = (source: string, redrive = "invoke") => ({
  "vigil:dead-letter-for": source,
  "vigil:redrive": redrive,
});
const CLOUDTRAIL_DLQ = "VigilStack-CloudTrailEventDeadLetterQueue4D7702FA-Ab12Cd34Ef56";
const CONFIG_DLQ = "VigilStack-ConfigChangeDeadLetterQueue04DA3966-Gh78Ij90Kl12";
const CLOUDTRAIL_FN = "VigilStack-CloudTrailEventFunction0AC305CB-Mn34Op56";
const CONFIG_FN = "VigilStack-ConfigChangeFunction1B2C3D4E-Qr78St90";
const OTHER_DLQ = "orders-dlq";

const events = {
  ssh: JSON.stringify(loadEvent("security-group/authorize-ssh-world-ipv4.json")),
  rdp: JSON.stringify(loadEvent("security-group/authorize-rdp-world-ipv6.json")),
  config: JSON.stringify(loadEvent("security-group/config-item-world-open-ssh-and-rdp.json")),
};

interface Seeded {
  arns: Record<string, string>;
  /** Requests before this index were the seeding. */
  seededUntil: number;
}

async function seed(h: CliHarness): Promise<Seeded> {
  const sqs = new SQSClient(h.clientConfig);
  const lambda = new LambdaClient(h.clientConfig);
  const arns: Record<string, string> = {};
  const queue = async (
    name: string,
    tags: Record<string, string>,
    attributes: Record<string, string> = {},
  ) => {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({
        QueueName: name,
        tags,
        Attributes: { MessageRetentionPeriod: "1209600", ...attributes },
      }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }),
    );
    arns[name] = Attributes?.QueueArn ?? "";
    return QueueUrl ?? "";
  };
  const fn = (name: string, deadLetterQueue: string) =>
    lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Role: "arn:aws:iam::111122223333:role/vigil-function",
        Runtime: "nodejs24.x",
        Handler: "index.handler",
        Code: { ZipFile: new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array<number>(18).fill(0)]) },
        DeadLetterConfig: { TargetArn: arns[deadLetterQueue] },
      }),
    );
  const cloudTrail = await queue(CLOUDTRAIL_DLQ, VIGIL_TAGS("CloudTrailEvent"));
  const config = await queue(CONFIG_DLQ, VIGIL_TAGS("ConfigChange"));
  const other = await queue(OTHER_DLQ, { team: "orders" });
  await fn(CLOUDTRAIL_FN, CLOUDTRAIL_DLQ);
  await fn(CONFIG_FN, CONFIG_DLQ);
  await fn("orders-handler", OTHER_DLQ);
  for (const [url, body] of [
    [cloudTrail, events.ssh],
    [cloudTrail, events.rdp],
    [config, events.config],
    [other, '{"order":42}'],
  ] as const)
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  sqs.destroy();
  lambda.destroy();
  return { arns, seededUntil: h.aws.requests.length };
}

describe("npm run vigil -- redrive", () => {
  let h: CliHarness;
  let seeded: Seeded;
  const sqsDouble = () => h.aws.double<SqsDouble>("sqs");
  const lambdaDouble = () => h.aws.double<LambdaDouble>("lambda");
  /** The CLI's requests (after seeding), as `service Action`. */
  const cliRequests = () => h.aws.requests.slice(seeded.seededUntil).map((r) => `${r.service} ${r.action}`);
  const receiptOf = (queue: string) =>
    sqsDouble()
      .queue(queue)
      ?.messages.map((m) => m.receiptHandle);

  beforeEach(async () => {
    h = await startCliHarness();
    seeded = await seed(h);
  }, TIMEOUT);
  afterEach(() => h.close());

  it(
    "replays each dead-lettered event to its function (async invoke), then deletes it; other queues untouched",
    async () => {
      const run = await h.vigil(["redrive"]);
      expect(run.stderr).not.toContain("vigil:");
      expect(run.code).toBe(0);

      expect(lambdaDouble().invocations).toEqual([
        { functionName: CLOUDTRAIL_FN, invocationType: "Event", payload: events.ssh },
        { functionName: CLOUDTRAIL_FN, invocationType: "Event", payload: events.rdp },
        { functionName: CONFIG_FN, invocationType: "Event", payload: events.config },
      ]);
      // Each delete comes after its message's accepted invoke; the empty receive ends the queue.
      expect(cliRequests().filter((r) => !/ListQueueTags|GetQueueAttributes/.test(r))).toEqual([
        "sqs ListQueues",
        "lambda ListFunctions",
        "sqs ReceiveMessage",
        "lambda Invoke",
        "sqs DeleteMessage",
        "lambda Invoke",
        "sqs DeleteMessage",
        "sqs ReceiveMessage",
        "sqs ReceiveMessage",
        "lambda Invoke",
        "sqs DeleteMessage",
        "sqs ReceiveMessage",
      ]);
      const receives = h.aws.calls("sqs", "ReceiveMessage").map((r) => r.params);
      expect(receives[0]).toMatchObject({
        MaxNumberOfMessages: "10",
        VisibilityTimeout: "60",
        WaitTimeSeconds: "1",
      });
      expect(receives.map((p) => p.QueueUrl?.split("/").pop())).not.toContain(OTHER_DLQ);
      expect(sqsDouble().queue(CLOUDTRAIL_DLQ)?.messages).toEqual([]);
      expect(sqsDouble().queue(CONFIG_DLQ)?.messages).toEqual([]);
      expect(sqsDouble().queue(OTHER_DLQ)?.messages).toMatchObject([
        { body: '{"order":42}', receiveCount: 0 },
      ]);
      expect(run.stdout).toContain(
        `${CLOUDTRAIL_DLQ} (CloudTrailEvent, 2 waiting): 2 replayed to ${CLOUDTRAIL_FN}`,
      );
      expect(run.stdout).toContain(`${CONFIG_DLQ} (ConfigChange, 1 waiting): 1 replayed to ${CONFIG_FN}`);
      expect(run.stdout).toContain("Redrive: 3 replayed, 0 failed (kept in their queue), 0 not deleted.");
    },
    TIMEOUT,
  );

  it(
    "keeps a message whose invoke failed (no delete for it), replays the rest, exits 1",
    async () => {
      lambdaDouble().failInvocations((invocation) =>
        invocation.payload === events.rdp
          ? {
              status: 409,
              code: "ResourceConflictException",
              message:
                "The operation cannot be performed at this time. The function is currently in the following state: Pending",
            }
          : undefined,
      );
      const run = await h.vigil(["redrive", "--queue", CLOUDTRAIL_DLQ]);
      expect(run.code).toBe(1);
      expect(lambdaDouble().invocations.map((i) => i.payload)).toEqual([events.ssh]);
      expect(cliRequests().filter((r) => /Receive|Invoke|Delete/.test(r))).toEqual([
        "sqs ReceiveMessage",
        "lambda Invoke",
        "sqs DeleteMessage",
        "lambda Invoke",
        // Received again only after the visibility timeout: the run ends with the queue looking empty.
        "sqs ReceiveMessage",
      ]);
      const kept = sqsDouble().queue(CLOUDTRAIL_DLQ)?.messages ?? [];
      expect(kept.map((m) => m.body)).toEqual([events.rdp]);
      const deleted = h.aws.calls("sqs", "DeleteMessage").map((r) => r.params.ReceiptHandle);
      expect(deleted).not.toContain(kept[0]?.receiptHandle);
      expect(run.stdout).toContain("1 replayed to");
      expect(run.stdout).toContain("1 failed and kept in the queue (ResourceConflictException:");
      expect(run.stdout).toContain("Redrive: 1 replayed, 1 failed (kept in their queue), 0 not deleted.");
    },
    TIMEOUT,
  );

  it(
    "--dry-run lists, counts and names the targets, and receives, invokes, deletes nothing",
    async () => {
      const run = await h.vigil(["redrive", "--dry-run"]);
      expect(run.code).toBe(0);
      expect(cliRequests()).toEqual([
        "sqs ListQueues",
        "sqs ListQueueTags",
        "sqs GetQueueAttributes",
        "sqs ListQueueTags",
        "sqs GetQueueAttributes",
        "sqs ListQueueTags",
        "lambda ListFunctions",
      ]);
      expect(lambdaDouble().invocations).toEqual([]);
      expect(receiptOf(CLOUDTRAIL_DLQ)).toEqual([undefined, undefined]);
      expect(run.stdout).toContain(
        `${CLOUDTRAIL_DLQ} (CloudTrailEvent, 2 waiting): would invoke ${CLOUDTRAIL_FN} once per message`,
      );
      expect(run.stdout).toContain("Dry run: 3 message(s) in 2 queue(s); nothing changed.");
    },
    TIMEOUT,
  );

  it(
    "--queue by ARN with --max 1 replays one message of that queue only",
    async () => {
      const run = await h.vigil(["redrive", "--queue", seeded.arns[CLOUDTRAIL_DLQ] ?? "", "--max", "1"]);
      expect(run.code).toBe(0);
      expect(lambdaDouble().invocations.map((i) => i.payload)).toEqual([events.ssh]);
      expect(h.aws.calls("sqs", "ReceiveMessage").map((r) => r.params.MaxNumberOfMessages)).toEqual(["1"]);
      expect(
        sqsDouble()
          .queue(CLOUDTRAIL_DLQ)
          ?.messages.map((m) => m.body),
      ).toEqual([events.rdp]);
      expect(sqsDouble().queue(CONFIG_DLQ)?.messages).toHaveLength(1);
    },
    TIMEOUT,
  );

  it(
    "a queue that is not Vigil's is refused by name",
    async () => {
      const run = await h.vigil(["redrive", "--queue", OTHER_DLQ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`--queue ${OTHER_DLQ}: no Vigil dead-letter queue (tagged vigil:redrive)`);
      expect(h.aws.calls("sqs", "ReceiveMessage")).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    "an SQS dead-letter queue (vigil:redrive=move) is moved back to its source queue with a message move task",
    async () => {
      const sqs = new SQSClient(h.clientConfig);
      const deadLetter = "vigil-sweep-units-dlq";
      await sqs.send(
        new CreateQueueCommand({ QueueName: deadLetter, tags: VIGIL_TAGS("SweepUnits", "move") }),
      );
      const dlqArn = sqsDouble().queue(deadLetter)?.arn ?? "";
      const redrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 3 });
      await sqs.send(
        new CreateQueueCommand({
          QueueName: "vigil-sweep-units",
          Attributes: { RedrivePolicy: redrivePolicy },
        }),
      );
      sqs.destroy();
      const source = sqsDouble().queue("vigil-sweep-units");
      sqsDouble().deadLetter(
        deadLetter,
        '{"unit":"AWS::EC2::SecurityGroup","region":"us-east-1"}',
        source?.arn ?? "",
      );

      const limited = await h.vigil(["redrive", "--queue", deadLetter, "--max", "5"]);
      expect(limited.stdout).toContain("skipped: a move task moves every message and --max can't limit it");
      expect(h.aws.calls("sqs", "StartMessageMoveTask")).toEqual([]);

      const run = await h.vigil(["redrive", "--queue", deadLetter]);
      expect(run.code).toBe(0);
      expect(h.aws.calls("sqs", "StartMessageMoveTask").map((r) => r.params)).toEqual([
        { SourceArn: dlqArn },
      ]);
      expect(sqsDouble().queue(deadLetter)?.messages).toEqual([]);
      expect(source?.messages.map((m) => m.body)).toEqual([
        '{"unit":"AWS::EC2::SecurityGroup","region":"us-east-1"}',
      ]);
      expect(run.stdout).toContain("move task started to the source queues");
      expect(h.aws.calls("lambda", "Invoke")).toEqual([]);
    },
    TIMEOUT,
  );
});
