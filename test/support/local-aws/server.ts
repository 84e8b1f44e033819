import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { ServiceDouble } from "./double";
import { serviceDoubles } from "./doubles";
import { startDynamoBackend } from "./dynamodb";
import { ec2ErrorXml, Ec2State } from "./ec2";
import { ec2Extensions } from "./ec2-extensions";
import { AwsError, parseForm, type Params } from "./query";
import { snsErrorXml, SnsState, type SnsMessage } from "./sns";
import { accessKeyIdOf } from "./sts";

/**
 * A tiny AWS-compatible endpoint on 127.0.0.1 for end-to-end tests: one URL for every service, as
 * `AWS_ENDPOINT_URL` gives the SDK. DynamoDB goes to dynalite; EC2 security groups and SNS topics
 * are modelled in memory. A test double: only what Vigil uses, with AWS's error codes.
 */

/** A built-in service, or a double's SigV4 signing name (`cloudtrail`, `s3`, ...). */
export type Service = "dynamodb" | "ec2" | "sns" | "unknown" | (string & {});

export interface RequestRecord {
  service: Service;
  action: string;
  /** Form fields for EC2 and SNS; `TableName` for DynamoDB; what a double chose to log. */
  params: Params;
}

export interface Signature {
  accessKeyId: string;
  region: string;
}

export interface LocalAwsOptions {
  /** Delay added before every response, to mimic a network round trip. */
  latencyMs?: number;
  /** Actions answered with EC2's `InvalidAction`, to play an emulator that lacks them. */
  unsupportedActions?: string[];
}

export interface LocalAws {
  /** `http://127.0.0.1:<port>`: use as `AWS_ENDPOINT_URL` or a client's `endpoint`. */
  endpoint: string;
  ec2State: Ec2State;
  sns: SnsState;
  /** The double serving a signing name, e.g. `double<CloudTrailDouble>("cloudtrail")`, for seeding and inspecting. */
  double<T extends ServiceDouble>(signingName: string): T;
  /** Every double serving a signing name, in registration order (when several share one). */
  doublesOf(signingName: string): ServiceDouble[];
  /** Every message published, oldest first. */
  snsMessages: SnsMessage[];
  /** Every request received, oldest first. */
  requests: RequestRecord[];
  /** The requests of one service and action, e.g. `calls("ec2", "RevokeSecurityGroupIngress")`. */
  calls(service: Service, action: string): RequestRecord[];
  /** Who signed a request and for which Region (SigV4 `Credential=AKID/date/region/…`): whose credentials made the call, where. */
  signatureOf(request: RequestRecord): Signature | undefined;
  close(): Promise<void>;
}

const SNS_ACTIONS = new Set(["CreateTopic", "Publish", "Subscribe", "ListTopics", "DeleteTopic"]);

/** SigV4 names the service and region: `Credential=AKID/20250101/us-east-1/ec2/aws4_request`. */
function credentialScope(req: IncomingMessage): { service?: string; region?: string } {
  const match = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(
    req.headers.authorization ?? "",
  );
  return match ? { region: match[1], service: match[2] } : {};
}

function serviceOf(req: IncomingMessage, params: Params, doubles: Map<string, ServiceDouble[]>): Service {
  const scoped = credentialScope(req).service;
  if (scoped === "dynamodb" || scoped === "ec2" || scoped === "sns") return scoped;
  if (scoped && doubles.has(scoped)) return scoped;
  if (String(req.headers["x-amz-target"] ?? "").startsWith("DynamoDB_")) return "dynamodb";
  if (params.Action) return SNS_ACTIONS.has(params.Action) ? "sns" : "ec2";
  return "unknown";
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** For the request log; dynalite itself answers malformed JSON. */
function tableNameOf(body: Buffer): Params {
  try {
    const { TableName } = JSON.parse(body.toString("utf8")) as { TableName?: unknown };
    return typeof TableName === "string" ? { TableName } : {};
  } catch {
    return {};
  }
}

function reply(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, {
    "content-type": "text/xml",
    "content-length": Buffer.byteLength(body),
    "x-amzn-requestid": requestId,
  });
  res.end(body);
}

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const dynamo = await startDynamoBackend();
  const ec2State = new Ec2State();
  for (const install of ec2Extensions) install(ec2State);
  const sns = new SnsState();
  // Several doubles may share a signing name (IAM users, policies, grants): see `accepts` in double.ts.
  const doubles = new Map<string, ServiceDouble[]>();
  for (const double of serviceDoubles.map((create) => create()))
    doubles.set(double.signingName, [...(doubles.get(double.signingName) ?? []), double]);
  const requests: RequestRecord[] = [];
  // Kept beside the records (not in them) so tests comparing whole records are unaffected.
  const signatures = new WeakMap<RequestRecord, Signature>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (options.latencyMs) await sleep(options.latencyMs);
    const target = String(req.headers["x-amz-target"] ?? "");
    const params = target ? {} : parseForm(body.toString("utf8"));
    const service = serviceOf(req, params, doubles);
    const requestId = randomUUID();
    const log = (record: RequestRecord) => {
      requests.push(record);
      const accessKeyId = accessKeyIdOf(req.headers.authorization);
      const { region } = credentialScope(req);
      if (accessKeyId && region) signatures.set(record, { accessKeyId, region });
    };

    const candidates = doubles.get(service);
    if (candidates) {
      const region = credentialScope(req).region ?? "us-east-1";
      const request = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        headers: req.headers,
        body,
        target,
        region,
        requestId,
      };
      // A double that claims the request wins over a catch-all (one without `accepts`), whatever the order.
      const double =
        candidates.find((d) => d.accepts?.(request) === true) ??
        candidates.find((d) => !d.accepts) ??
        candidates[0];
      const answer = await (double as ServiceDouble).handle(request);
      log({ service, action: answer.action, params: answer.params ?? {} });
      res.writeHead(answer.status, {
        ...answer.headers,
        "content-length": Buffer.byteLength(answer.body),
        "x-amzn-requestid": requestId,
      });
      return void res.end(answer.body);
    }

    if (service === "dynamodb") {
      log({ service, action: target.split(".")[1] ?? target, params: tableNameOf(body) });
      return dynamo.forward(req.method ?? "POST", req.url ?? "/", req.headers, body, res);
    }

    const action = params.Action ?? target;
    log({ service, action, params });
    const region = credentialScope(req).region ?? "us-east-1";
    if (service === "unknown" && target) {
      // A JSON-protocol service this double doesn't model (e.g. AWS Config): answer in JSON.
      const error = { __type: "UnknownOperationException", message: `${target} is not supported` };
      res.writeHead(400, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId });
      return void res.end(JSON.stringify(error));
    }
    try {
      if (options.unsupportedActions?.includes(action))
        throw new AwsError("InvalidAction", `The action ${action} is not valid for this web service.`);
      if (service === "ec2") return reply(res, 200, ec2State.handle(action, params, requestId), requestId);
      if (service === "sns") return reply(res, 200, sns.handle(action, params, requestId, region), requestId);
      throw new AwsError("UnknownService", "local-aws serves only DynamoDB, EC2 and SNS");
    } catch (error) {
      const aws = error instanceof AwsError ? error : new AwsError("InternalError", String(error), 500);
      const xml = service === "sns" ? snsErrorXml(aws, requestId) : ec2ErrorXml(aws, requestId);
      return reply(res, aws.status, xml, requestId);
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(error));
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    ec2State,
    sns,
    double: <T extends ServiceDouble>(signingName: string) => {
      const found = doubles.get(signingName)?.[0];
      if (!found) throw new Error(`local-aws has no double for ${signingName}`);
      return found as T;
    },
    doublesOf: (signingName) => [...(doubles.get(signingName) ?? [])],
    snsMessages: sns.messages,
    requests,
    calls: (service, action) => requests.filter((r) => r.service === service && r.action === action),
    signatureOf: (request) => signatures.get(request),
    close: () =>
      (closing ??= new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }).then(() => dynamo.close())),
  };
}
