import { randomUUID } from "node:crypto";
import { once } from "node:events";
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * An HTTP proxy on 127.0.0.1 that sits in front of an AWS-compatible endpoint (local-aws) and,
 * per request, with seeded probabilities, answers with a fault instead of forwarding:
 *
 * - `throttle`: the service's own throttling error (EC2 `RequestLimitExceeded` 503, DynamoDB
 *   `ThrottlingException` 400, SNS `Throttling` 400), as the SDK parses and retries them;
 * - `serverError`: a 500 or 503 in the service's error format;
 * - `timeout`: no answer at all; the request is held until the client gives up (or `holdMs`
 *   passes, then the socket is destroyed);
 * - `timeoutAfterForward`: the request IS forwarded and the backend acts on it, then the answer is
 *   dropped like a timeout: the write happened but the client never learns it did.
 *
 * All but the last are decided before forwarding, so they have no side effect. Everything else is
 * forwarded unchanged (method, path, headers, body) and the answer streamed back.
 *
 * Deterministic: one seeded PRNG draw per eligible request, in arrival order. Requests that arrive
 * concurrently may arrive in either order, so the *set* of faults is reproducible but which of two
 * simultaneous requests gets which can vary; tests should assert invariants, not exact outcomes.
 */

export type FaultKind = "throttle" | "serverError" | "timeout" | "timeoutAfterForward";
export type FaultRates = Partial<Record<FaultKind, number>>;
export type ProxiedService = "dynamodb" | "ec2" | "sns" | "unknown";

/** What the proxy knows about a request when it decides its fate. */
export interface ProxiedRequest {
  service: ProxiedService;
  /** `RevokeSecurityGroupIngress`, `PutItem`, `Publish`, … */
  action: string;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** From the SDK's `amz-sdk-request: attempt=N; max=M` header; undefined without it. */
  attempt: number | undefined;
  maxAttempts: number | undefined;
  /** The SDK's `amz-sdk-invocation-id`: the same for every attempt of one command. */
  invocationId: string | undefined;
}

export interface FaultRecord {
  service: ProxiedService;
  action: string;
  attempt: number | undefined;
  fault: FaultKind | "passed";
  /** The status the client got (injected or the backend's); undefined when it got no answer. */
  status: number | undefined;
  /** The backend's status for forwarded requests (also for `timeoutAfterForward`). */
  backendStatus: number | undefined;
}

export interface FaultProxyOptions {
  /** The endpoint to forward to, e.g. local-aws's `http://127.0.0.1:<port>`. */
  target: string;
  /** Probabilities per request; their sum must not exceed 1. Missing kinds are 0. */
  rates: FaultRates;
  /** PRNG seed; the same seed and arrival order give the same faults. Default 1. */
  seed?: number;
  /** Which requests may get a fault (random draws are made only for these). Default: all. */
  only?: (req: ProxiedRequest) => boolean;
  /**
   * Never fault the SDK's last attempt (`attempt == max`): every command then succeeds within its
   * retries, so tests can use high rates without the SDK giving up. Scripted faults still apply.
   */
  spareLastAttempt?: boolean;
  /**
   * A scripted fault, decided before the random draw: return a kind to force it, `"pass"` to
   * forward without a draw, undefined to fall through to the rates.
   */
  script?: (req: ProxiedRequest) => FaultKind | "pass" | undefined;
  /** How long a `timeout` holds a request the client hasn't given up on before destroying it. */
  holdMs?: number;
  /**
   * Network delay before each request is answered or forwarded: a fixed ms, or `[min, max]` drawn
   * per request from a second seeded PRNG (so adding jitter doesn't change which faults are drawn).
   */
  delayMs?: number | [number, number];
}

export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to clients instead of the target. */
  endpoint: string;
  /** How many requests got each fault, and how many were passed through untouched. */
  injected: Record<FaultKind | "passed", number>;
  /** Every request in arrival order, with its fate. */
  log: FaultRecord[];
  setRates(rates: FaultRates): void;
  close(): Promise<void>;
}

const KINDS: readonly FaultKind[] = ["throttle", "serverError", "timeout", "timeoutAfterForward"];
const SNS_ACTIONS = new Set(["CreateTopic", "Publish", "Subscribe", "ListTopics", "DeleteTopic"]);
const DYNAMO_PREFIX = "com.amazonaws.dynamodb.v20120810#";

/** mulberry32: small, fast, good enough for test decisions, and reproducible from a 32-bit seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkRates(rates: FaultRates): FaultRates {
  const values = KINDS.map((k) => rates[k] ?? 0);
  if (values.some((v) => !(v >= 0 && v <= 1)) || values.reduce((a, b) => a + b, 0) > 1 + 1e-9)
    throw new Error(`fault rates must be in [0, 1] and sum to at most 1: ${JSON.stringify(rates)}`);
  return { ...rates };
}

/** SigV4's credential scope names the service: `Credential=AKID/20250101/us-east-1/ec2/aws4_request`. */
function scopedService(headers: IncomingHttpHeaders): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(headers.authorization ?? "")?.[1];
}

function describe(req: IncomingMessage, body: string): ProxiedRequest {
  const headers = req.headers;
  const target = String(headers["x-amz-target"] ?? "");
  const scoped = scopedService(headers);
  let service: ProxiedService;
  let action: string;
  if (target) {
    service = scoped === "dynamodb" || target.startsWith("DynamoDB_") ? "dynamodb" : "unknown";
    action = target.split(".").pop() ?? target;
  } else {
    action = new URLSearchParams(body).get("Action") ?? "";
    service =
      scoped === "ec2" || scoped === "sns"
        ? scoped
        : action
          ? SNS_ACTIONS.has(action)
            ? "sns"
            : "ec2"
          : "unknown";
  }
  const sdkRequest = /attempt=(\d+);\s*max=(\d+)/.exec(String(headers["amz-sdk-request"] ?? ""));
  const invocation = headers["amz-sdk-invocation-id"];
  return {
    service,
    action,
    method: req.method ?? "POST",
    path: req.url ?? "/",
    headers,
    body,
    attempt: sdkRequest ? Number(sdkRequest[1]) : undefined,
    maxAttempts: sdkRequest ? Number(sdkRequest[2]) : undefined,
    invocationId: typeof invocation === "string" ? invocation : undefined,
  };
}

interface ErrorAnswer {
  status: number;
  contentType: string;
  body: string;
}

function ec2Error(status: number, code: string, message: string): ErrorAnswer {
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${code}</Code>` +
    `<Message>${message}</Message></Error></Errors><RequestID>${randomUUID()}</RequestID></Response>`;
  return { status, contentType: "text/xml", body };
}

function snsError(status: number, code: string, message: string): ErrorAnswer {
  const type = status >= 500 ? "Receiver" : "Sender";
  const body =
    `<ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><Error><Type>${type}</Type>` +
    `<Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
  return { status, contentType: "text/xml", body };
}

function jsonError(status: number, type: string, message: string, version: string): ErrorAnswer {
  return {
    status,
    contentType: `application/x-amz-json-${version}`,
    body: JSON.stringify({ __type: type, message }),
  };
}

/** The service's own throttling error, in its protocol's dialect. */
export function throttlingAnswer(service: ProxiedService): ErrorAnswer {
  switch (service) {
    case "ec2":
      return ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.");
    case "sns":
      return snsError(400, "Throttling", "Rate exceeded");
    case "dynamodb":
      return jsonError(400, `${DYNAMO_PREFIX}ThrottlingException`, "Rate exceeded", "1.0");
    default:
      return jsonError(400, "ThrottlingException", "Rate exceeded", "1.1");
  }
}

/** A 500 (internal error) or 503 (unavailable), in the service's dialect. */
export function serverErrorAnswer(service: ProxiedService, status: 500 | 503): ErrorAnswer {
  const internal = status === 500;
  switch (service) {
    case "ec2":
      return internal
        ? ec2Error(500, "InternalError", "An internal error has occurred")
        : ec2Error(503, "Unavailable", "The server is overloaded and can't handle the request");
    case "sns":
      return internal
        ? snsError(500, "InternalError", "Internal Error")
        : snsError(503, "ServiceUnavailable", "Service Unavailable");
    case "dynamodb":
      return internal
        ? jsonError(500, `${DYNAMO_PREFIX}InternalServerError`, "Internal server error", "1.0")
        : jsonError(503, `${DYNAMO_PREFIX}ServiceUnavailable`, "Service unavailable", "1.0");
    default:
      return internal
        ? jsonError(500, "InternalFailure", "Internal failure", "1.1")
        : jsonError(503, "ServiceUnavailable", "Service unavailable", "1.1");
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = seededRandom(options.seed ?? 1);
  const jitter = seededRandom((options.seed ?? 1) ^ 0x9e3779b9);
  const holdMs = options.holdMs ?? 10_000;
  let rates = checkRates(options.rates);
  const injected: FaultProxy["injected"] = {
    throttle: 0,
    serverError: 0,
    timeout: 0,
    timeoutAfterForward: 0,
    passed: 0,
  };
  const log: FaultRecord[] = [];
  const agent = new Agent({ keepAlive: true });
  const holds = new Set<NodeJS.Timeout>();

  function decide(req: ProxiedRequest): FaultKind | "passed" {
    const scripted = options.script?.(req);
    if (scripted === "pass") return "passed";
    if (scripted) return scripted;
    if (options.only && !options.only(req)) return "passed";
    if (options.spareLastAttempt && req.attempt !== undefined && req.attempt >= (req.maxAttempts ?? 1))
      return "passed";
    const draw = random();
    let edge = 0;
    for (const kind of KINDS) {
      edge += rates[kind] ?? 0;
      if (draw < edge) return kind;
    }
    return "passed";
  }

  /** No answer: wait for the client to give up (socket closed), or destroy the socket after holdMs. */
  function hold(res: ServerResponse): void {
    if (res.closed || res.socket?.destroyed !== false) return; // the client already gave up
    const timer = setTimeout(() => {
      holds.delete(timer);
      res.socket?.destroy();
    }, holdMs);
    holds.add(timer);
    res.once("close", () => {
      clearTimeout(timer);
      holds.delete(timer);
    });
  }

  function answer(res: ServerResponse, error: ErrorAnswer): void {
    res.writeHead(error.status, {
      "content-type": error.contentType,
      "content-length": Buffer.byteLength(error.body),
      "x-amzn-requestid": randomUUID(),
    });
    res.end(error.body);
  }

  /** Sends the request on unchanged; resolves with the backend's answer (not yet read). */
  function forward(req: ProxiedRequest, body: Buffer): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const upstream = httpRequest(
        {
          protocol: target.protocol,
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.path,
          headers: req.headers,
          agent,
        },
        resolve,
      );
      upstream.on("error", reject);
      upstream.end(body);
    });
  }

  async function handle(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(incoming);
    const req = describe(incoming, body.toString("utf8"));
    // Every draw happens here, in arrival order, before any waiting.
    const fault = decide(req);
    const error =
      fault === "throttle"
        ? throttlingAnswer(req.service)
        : fault === "serverError"
          ? serverErrorAnswer(req.service, random() < 0.5 ? 500 : 503)
          : undefined;
    const delay = options.delayMs;
    const waitMs =
      delay === undefined
        ? 0
        : typeof delay === "number"
          ? delay
          : delay[0] + jitter() * (delay[1] - delay[0]);
    injected[fault]++;
    const record: FaultRecord = {
      service: req.service,
      action: req.action,
      attempt: req.attempt,
      fault,
      status: error?.status,
      backendStatus: undefined,
    };
    log.push(record);
    if (waitMs > 0) await sleep(waitMs);

    if (error) return answer(res, error);
    if (fault === "timeout") return hold(res);

    const upstream = await forward(req, body);
    record.backendStatus = upstream.statusCode;
    if (fault === "timeoutAfterForward") {
      // Let the backend finish (read its whole answer), then answer nothing.
      upstream.resume();
      await once(upstream, "end");
      return hold(res);
    }
    record.status = upstream.statusCode;
    res.writeHead(upstream.statusCode ?? 502, upstream.headers);
    upstream.pipe(res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`fault proxy: ${String(error)}`);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    injected,
    log,
    setRates(next) {
      rates = checkRates(next);
    },
    close: () =>
      (closing ??= new Promise<void>((done, fail) => {
        for (const timer of holds) clearTimeout(timer);
        holds.clear();
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
        agent.destroy();
      })),
  };
}
