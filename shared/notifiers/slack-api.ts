import { oneLine } from "./format";
import { redactUrls } from "./redact";
import type { SlackPayload } from "./slack";

/** Slack's Web API; overridable only through an explicit option (tests point it at a local server). */
export const SLACK_API_BASE_URL = "https://slack.com/api/";

/**
 * The Web API base from `SLACK_API_BASE_URL` (tests and Slack-compatible proxies), default Slack's.
 * The token travels to it, so only https, or plain http to this machine (a local test server), is taken.
 */
export function slackApiBaseUrl(value: string | undefined): string {
  if (!value) return SLACK_API_BASE_URL;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error("SLACK_API_BASE_URL is not a URL");
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new Error("SLACK_API_BASE_URL must be https (or http to localhost): the bot token is sent to it");
  }
  return url.toString();
}

/**
 * A failed Web API call. Slack answers most failures with HTTP 200 and `{ok: false, error}`; `code`
 * is that error string (`message_not_found`, `channel_not_found`, `invalid_auth`, …). The message
 * never contains the token.
 */
export class SlackApiError extends Error {
  override readonly name = "SlackApiError";
  constructor(
    message: string,
    readonly code: string,
    readonly status?: number,
    /** False for answers a retry cannot change (bad token, unknown channel, message gone). */
    readonly retryable = false,
  ) {
    super(message);
  }
}

/** Where a posted message is: chat.update needs the channel id (not a name) and the ts. */
export interface SlackMessageRef {
  channel: string;
  ts: string;
}

export interface SlackWebApiOptions {
  /** The bot token (`xoxb-…`), e.g. from `slackBotTokenFromSecret`. */
  token: () => Promise<string>;
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Longest Retry-After (429) waited for in place; longer ones fail the call as retryable. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

// Errors that say the same request will succeed later.
const TRANSIENT_CODES = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface SlackAnswer {
  ok?: unknown;
  error?: unknown;
  channel?: unknown;
  ts?: unknown;
}

/** The two Web API methods Vigil uses, over fetch with JSON bodies and a Bearer token. */
export class SlackWebApi {
  private readonly token: () => Promise<string>;
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: SlackWebApiOptions) {
    this.token = options.token;
    this.baseUrl = (options.baseUrl ?? SLACK_API_BASE_URL).replace(/\/?$/, "/");
    this.fetch = options.fetch ?? globalThis.fetch;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** chat.postMessage; `channel` may be a name, the answer carries the id. */
  postMessage(channel: string, payload: SlackPayload, threadTs?: string): Promise<SlackMessageRef> {
    return this.call("chat.postMessage", {
      channel,
      ...payload,
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
  }

  /** chat.update: the whole message is replaced (blocks included, so old blocks do not linger). */
  update(ref: SlackMessageRef, payload: SlackPayload): Promise<SlackMessageRef> {
    return this.call("chat.update", { channel: ref.channel, ts: ref.ts, ...payload });
  }

  private async call(method: string, body: Record<string, unknown>): Promise<SlackMessageRef> {
    const token = await this.token();
    // One wait for a short Retry-After, then the caller's retries (deliverAlert, Lambda) take over.
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await this.fetch(`${this.baseUrl}${method}`, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${token}` },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (error) {
        throw new SlackApiError(
          `Slack ${method} request failed: ${scrub(describe(error, this.timeoutMs), token)}`,
          "request_failed",
          undefined,
          true,
        );
      }
      const text = await response.text().catch(() => "");
      if (response.status === 429) {
        const waitMs = retryAfterMs(response.headers.get("retry-after"));
        if (attempt === 1 && waitMs <= this.maxRetryAfterMs) {
          await this.sleep(waitMs);
          continue;
        }
        throw new SlackApiError(
          `Slack ${method} rate limited (HTTP 429, Retry-After ${Math.ceil(waitMs / 1000)} s)`,
          "ratelimited",
          429,
          true,
        );
      }
      if (!response.ok) {
        throw new SlackApiError(
          `Slack ${method} answered HTTP ${response.status}${text ? `: ${scrub(oneLine(text, 200), token)}` : ""}`,
          `http_${response.status}`,
          response.status,
          response.status >= 500,
        );
      }
      let answer: SlackAnswer;
      try {
        answer = JSON.parse(text) as SlackAnswer;
      } catch {
        throw new SlackApiError(
          `Slack ${method} answered with something that is not JSON`,
          "invalid_response",
          200,
          true,
        );
      }
      if (answer.ok !== true) {
        const code =
          typeof answer.error === "string" ? scrub(oneLine(answer.error, 100), token) : "unknown_error";
        throw new SlackApiError(
          `Slack ${method} failed: ${code}`,
          code,
          response.status,
          TRANSIENT_CODES.has(code),
        );
      }
      if (typeof answer.channel !== "string" || typeof answer.ts !== "string") {
        throw new SlackApiError(
          `Slack ${method} answered ok without channel and ts`,
          "invalid_response",
          200,
          false,
        );
      }
      return { channel: answer.channel, ts: answer.ts };
    }
  }
}

/** Retry-After is in seconds; a missing or odd value waits a second (Slack's usual Tier 3 pace). */
function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : 1000;
}

/** Anything an error could echo back: the token goes, and URLs are shortened to their origin. */
function scrub(text: string, token: string): string {
  const clean = token.length > 4 ? text.split(token).join("[redacted]") : text;
  return redactUrls(clean.replace(/xox[a-z]-[A-Za-z0-9-]+/g, "[redacted]"));
}

function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `timed out after ${timeoutMs} ms`;
  }
  const message = error instanceof Error ? error.message : String(error);
  const cause = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : "";
  return code ? `${message} (${code})` : message;
}
