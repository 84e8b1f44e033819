import { parseArgs } from "node:util";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { Message, SQSClient } from "@aws-sdk/client-sqs";
import { standardClientConfig } from "../aws/clients";
import { loadLambda, loadSqs } from "../aws/sdk";

/**
 * `vigil redrive`: replays Vigil's dead-letter queues after a fix.
 *
 * Discovery: every queue tagged `vigil:redrive` (infra/detection-function.ts `markDeadLetterQueue`)
 * in the account and Region; SQS's own ListQueues and ListQueueTags, no stack name or outputs.
 * - `invoke` queues hold what Lambda's async retries and the EventBridge target gave up on: the body
 *   is the original event. The function is the one whose DeadLetterConfig is the queue (ListFunctions),
 *   invoked again asynchronously (InvocationType Event). A message is deleted only after Lambda
 *   accepted its invocation: a failure part-way leaves every unreplayed message in the queue.
 * - `move` queues are SQS dead-letter queues: an SQS message move task returns the messages to
 *   the queues they came from.
 */

export const REDRIVE_USAGE = `Usage: npm run vigil -- redrive [--queue <name|url|arn>] [--dry-run] [--max N]

  Replays Vigil's dead-letter queues (tagged vigil:redrive) in AWS_REGION: each dead-lettered event is
  sent to its function again (asynchronous invoke) and deleted only once Lambda accepted it; SQS
  dead-letter queues are moved back to their source queue (SQS message move task).
  --queue    only this queue (its name, URL or ARN)
  --dry-run  count the messages and name the targets; receive, invoke, delete and move nothing
  --max N    replay at most N messages per queue (move tasks can't be limited: skipped with --max)`;

export const REDRIVE_TAG = "vigil:redrive";
export const SOURCE_TAG = "vigil:dead-letter-for";
/** Long enough for one batch's invocations; a message whose invoke failed comes back after it. */
export const RECEIVE_VISIBILITY_SECONDS = 60;
/** A queue is left alone after this many invocations failed in a row (the function is likely gone or refusing). */
export const MAX_CONSECUTIVE_FAILURES = 3;

export interface RedriveOptions {
  queue?: string;
  dryRun: boolean;
  max?: number;
}

export interface RedriveClients {
  sqs: SQSClient;
  lambda: LambdaClient;
}

export interface DeadLetterQueue {
  url: string;
  name: string;
  arn: string;
  /** What the queue catches (the `vigil:dead-letter-for` tag), e.g. `CloudTrailEvent`. */
  source: string;
  redrive: "invoke" | "move";
  /** Messages visible when discovered. */
  waiting: number;
}

export interface QueueReport {
  queue: string;
  source: string;
  waiting: number;
  /** The function invoked, or "source queues" for a move. */
  target?: string;
  replayed: number;
  failed: number;
  /** Replayed but not deleted (DeleteMessage failed): the event will be replayed again next time (Vigil de-duplicates by event id). */
  notDeleted: number;
  moveTaskHandle?: string;
  skipped?: string;
  errors: string[];
}

/** Vigil's dead-letter queues (tagged), with their ARN and depth; only the one `--queue` names, if given. */
export async function discoverQueues(clients: RedriveClients, only?: string): Promise<DeadLetterQueue[]> {
  const { GetQueueAttributesCommand, ListQueueTagsCommand, paginateListQueues } = await loadSqs();
  const urls: string[] = [];
  for await (const page of paginateListQueues({ client: clients.sqs }, { MaxResults: 1000 }))
    urls.push(...(page.QueueUrls ?? []));
  const queues: DeadLetterQueue[] = [];
  for (const url of urls) {
    const name = url.split("/").pop() ?? url;
    // Before any call about it: with --queue, the other queues are not even looked at (an ARN is checked below).
    if (only && !only.startsWith("arn:") && only !== url && only !== name) continue;
    const { Tags: tags = {} } = await clients.sqs.send(new ListQueueTagsCommand({ QueueUrl: url }));
    const redrive = tags[REDRIVE_TAG];
    if (redrive !== "invoke" && redrive !== "move") continue;
    const { Attributes: attributes = {} } = await clients.sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["QueueArn", "ApproximateNumberOfMessages"],
      }),
    );
    const arn = attributes.QueueArn ?? "";
    if (only?.startsWith("arn:") && only !== arn) continue;
    queues.push({
      url,
      name,
      arn,
      source: tags[SOURCE_TAG] ?? name,
      redrive,
      waiting: Number(attributes.ApproximateNumberOfMessages ?? "0"),
    });
  }
  if (only && !queues.length)
    throw new Error(
      `--queue ${only}: no Vigil dead-letter queue (tagged ${REDRIVE_TAG}) by that name, URL or ARN`,
    );
  return queues;
}

/** Which function dead-letters to each queue: ListFunctions' DeadLetterConfig, by queue ARN. */
async function functionsByDeadLetterQueue(clients: RedriveClients): Promise<Map<string, string[]>> {
  const { paginateListFunctions } = await loadLambda();
  const byQueue = new Map<string, string[]>();
  for await (const page of paginateListFunctions({ client: clients.lambda }, {})) {
    for (const fn of page.Functions ?? []) {
      const target = fn.DeadLetterConfig?.TargetArn;
      if (target && fn.FunctionName) byQueue.set(target, [...(byQueue.get(target) ?? []), fn.FunctionName]);
    }
  }
  return byQueue;
}

export async function redrive(
  clients: RedriveClients,
  options: RedriveOptions,
  print: (line: string) => void,
): Promise<QueueReport[]> {
  const queues = await discoverQueues(clients, options.queue);
  const functions = queues.some((q) => q.redrive === "invoke")
    ? await functionsByDeadLetterQueue(clients)
    : new Map<string, string[]>();
  const reports: QueueReport[] = [];
  for (const queue of queues) {
    const report: QueueReport = {
      queue: queue.name,
      source: queue.source,
      waiting: queue.waiting,
      replayed: 0,
      failed: 0,
      notDeleted: 0,
      errors: [],
    };
    reports.push(report);
    if (queue.redrive === "move") await move(clients, queue, options, report);
    else {
      const owners = functions.get(queue.arn) ?? [];
      if (owners.length !== 1) {
        report.skipped = owners.length
          ? `several functions dead-letter here (${owners.join(", ")}): run again once one does`
          : "no Lambda function has this queue as its dead-letter queue (a retained queue of a replaced stack?)";
      } else {
        report.target = owners[0];
        if (options.dryRun) report.skipped = "dry run";
        // Even with none counted: the count lags by up to a minute, and an empty receive is cheap.
        else await replay(clients, queue.url, owners[0] ?? "", options, report);
      }
    }
    print(describe(report, options.dryRun));
  }
  return reports;
}

/** One line per queue: what was (or, in a dry run, would be) done. */
export function describe(report: QueueReport, dryRun: boolean): string {
  const head = `${report.queue} (${report.source}, ${report.waiting} waiting)`;
  if (dryRun)
    return report.skipped && report.skipped !== "dry run"
      ? `${head}: would skip: ${report.skipped}`
      : `${head}: would ${report.target === "source queues" ? "move the messages back to their source queues" : `invoke ${report.target} once per message`}`;
  if (report.skipped) return `${head}: skipped: ${report.skipped}`;
  if (report.moveTaskHandle)
    return `${head}: move task started to the source queues (task ${report.moveTaskHandle})`;
  const parts = [`${report.replayed} replayed to ${report.target}`];
  if (report.failed)
    parts.push(`${report.failed} failed and kept in the queue (${report.errors.join("; ")})`);
  if (report.notDeleted) parts.push(`${report.notDeleted} replayed but not deleted (will be replayed again)`);
  return `${head}: ${parts.join(", ")}`;
}

async function move(
  clients: RedriveClients,
  queue: DeadLetterQueue,
  options: RedriveOptions,
  report: QueueReport,
): Promise<void> {
  report.target = "source queues";
  if (options.dryRun) return void (report.skipped = "dry run");
  if (options.max !== undefined)
    return void (report.skipped =
      "a move task moves every message and --max can't limit it: run without --max");
  const { StartMessageMoveTaskCommand } = await loadSqs();
  try {
    const { TaskHandle } = await clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: queue.arn }));
    report.moveTaskHandle = TaskHandle ?? "";
  } catch (error) {
    report.failed = queue.waiting;
    report.errors.push(errorText(error));
  }
}

/**
 * Receive, invoke, delete, one message at a time within each batch. A message whose invoke failed
 * is not deleted (it is visible again after the visibility timeout) and is not retried in this run.
 */
async function replay(
  clients: RedriveClients,
  queueUrl: string,
  functionName: string,
  options: RedriveOptions,
  report: QueueReport,
): Promise<void> {
  const { DeleteMessageCommand, ReceiveMessageCommand } = await loadSqs();
  const { InvokeCommand } = await loadLambda();
  const failedIds = new Set<string>();
  let consecutiveFailures = 0;
  const limit = options.max ?? Number.POSITIVE_INFINITY;
  while (report.replayed + report.failed < limit) {
    const { Messages: messages = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, limit - report.replayed - report.failed),
        VisibilityTimeout: RECEIVE_VISIBILITY_SECONDS,
        // Long polling asks every SQS server: an empty answer means the queue is (nearly) empty.
        WaitTimeSeconds: 1,
      }),
    );
    const fresh = messages.filter((m) => !failedIds.has(m.MessageId ?? ""));
    if (!fresh.length) return;
    for (const message of fresh) {
      const invoked = await invoke(clients, functionName, message, InvokeCommand);
      if (invoked !== true) {
        report.failed++;
        failedIds.add(message.MessageId ?? "");
        if (!report.errors.includes(invoked)) report.errors.push(invoked);
        if (++consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) {
          report.errors.push(`stopped after ${MAX_CONSECUTIVE_FAILURES} failures in a row`);
          return;
        }
        continue;
      }
      consecutiveFailures = 0;
      report.replayed++;
      try {
        await clients.sqs.send(
          new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }),
        );
      } catch {
        report.notDeleted++;
      }
    }
  }
}

/** True once Lambda accepted the asynchronous invocation (202); else why not. Never prints the body (it may hold resource details). */
async function invoke(
  clients: RedriveClients,
  functionName: string,
  message: Message,
  InvokeCommand: Awaited<ReturnType<typeof loadLambda>>["InvokeCommand"],
): Promise<true | string> {
  const body = message.Body ?? "";
  try {
    JSON.parse(body);
  } catch {
    return "a message body is not JSON (not an event)";
  }
  try {
    const answer = await clients.lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: "Event",
        Payload: new TextEncoder().encode(body),
      }),
    );
    return answer.StatusCode === 202 ? true : `Lambda answered ${answer.StatusCode}`;
  } catch (error) {
    return errorText(error);
  }
}

function errorText(error: unknown): string {
  const e = error as { name?: string; message?: string };
  return `${e.name ?? "Error"}: ${e.message ?? String(error)}`;
}

/** `vigil redrive ...`: parses its options, replays, prints one line per queue and a total; 1 when anything failed. */
export async function redriveCommand(argv: string[], print: (line: string) => void): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      queue: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      max: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    print(REDRIVE_USAGE);
    return 0;
  }
  if (positionals.length)
    throw new Error(`redrive takes no arguments (got ${positionals.join(" ")})\n\n${REDRIVE_USAGE}`);
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && (!Number.isInteger(max) || max < 1))
    throw new Error("--max must be a whole number of at least 1");
  const [{ SQSClient }, { LambdaClient }] = await Promise.all([loadSqs(), loadLambda()]);
  const clients = {
    sqs: new SQSClient(standardClientConfig),
    lambda: new LambdaClient(standardClientConfig),
  };
  try {
    const dryRun = values["dry-run"];
    const reports = await redrive(
      clients,
      { dryRun, ...(values.queue ? { queue: values.queue } : {}), ...(max ? { max } : {}) },
      print,
    );
    const total = (key: "replayed" | "failed" | "notDeleted" | "waiting") =>
      reports.reduce((n, r) => n + r[key], 0);
    const moves = reports.filter((r) => r.moveTaskHandle).length;
    if (!reports.length)
      print("No Vigil dead-letter queues found (tagged vigil:redrive) in this account and Region.");
    else if (dryRun)
      print(`Dry run: ${total("waiting")} message(s) in ${reports.length} queue(s); nothing changed.`);
    else
      print(
        `Redrive: ${total("replayed")} replayed, ${total("failed")} failed (kept in their queue)` +
          `${moves ? `, ${moves} move task(s) started` : ""}, ${total("notDeleted")} not deleted.`,
      );
    return reports.some((r) => r.failed > 0) ? 1 : 0;
  } finally {
    clients.sqs.destroy();
    clients.lambda.destroy();
  }
}
