import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the local Slack Web API saw it. */
export interface SlackRequest {
  method: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

/** A scripted answer for the next request: status, headers, JSON body. */
export interface ScriptedAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export interface LocalSlack {
  /** Base URL ending in `/api/`, for SlackWebApi's `baseUrl` / SLACK_API_BASE_URL. */
  baseUrl: string;
  /** An incoming-webhook URL on the same server (requests recorded with method "webhook"). */
  webhookUrl: string;
  requests: SlackRequest[];
  /** Messages as Slack would keep them, by `channel/ts`. */
  messages: Map<string, Record<string, unknown>>;
  /** Answers used (first in, first out) before the normal behaviour. */
  script: ScriptedAnswer[];
  close(): Promise<void>;
}

/** Channel names resolve to ids, as Slack answers with the id (which chat.update needs). */
const CHANNEL_IDS: Record<string, string> = { "#sec-alerts": "C0SECALERTS", "#prod": "C0PRODALERT" };

/**
 * A small stand-in for https://slack.com/api/ speaking the real protocol: POST with a Bearer token
 * and a JSON body; HTTP 200 with `{ok: true, channel, ts}` or `{ok: false, error}`.
 */
export async function startLocalSlack(expectedToken: string): Promise<LocalSlack> {
  const requests: SlackRequest[] = [];
  const messages = new Map<string, Record<string, unknown>>();
  const script: ScriptedAnswer[] = [];
  let clock = 1_700_000_000;

  const answer = (
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const method = (req.url ?? "").startsWith("/services/")
        ? "webhook"
        : (req.url ?? "").replace(/^\/api\//, "");
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
      } catch {
        return answer(res, 200, { ok: false, error: "invalid_json" });
      }
      requests.push({
        method,
        authorization: req.headers.authorization,
        contentType: req.headers["content-type"],
        body,
      });
      const scripted = script.shift();
      if (scripted) return answer(res, scripted.status, scripted.body, scripted.headers);
      if (req.method !== "POST") return answer(res, 405, { ok: false, error: "method_not_allowed" });
      // An incoming webhook (its URL is the credential): plain "ok", as hooks.slack.com answers.
      if (req.url?.startsWith("/services/")) {
        res.writeHead(200, { "content-type": "text/plain" });
        return res.end("ok");
      }
      if (req.headers.authorization !== `Bearer ${expectedToken}`)
        return answer(res, 200, { ok: false, error: "invalid_auth" });
      const channelArg = typeof body.channel === "string" ? body.channel : "";
      if (method === "chat.postMessage") {
        const channel = CHANNEL_IDS[channelArg] ?? channelArg;
        if (!/^[CGD][A-Z0-9]+$/.test(channel))
          return answer(res, 200, { ok: false, error: "channel_not_found" });
        const ts = `${clock++}.000100`;
        messages.set(`${channel}/${ts}`, body);
        return answer(res, 200, { ok: true, channel, ts, message: { text: body.text } });
      }
      if (method === "chat.update") {
        const key = `${channelArg}/${String(body.ts)}`;
        if (!messages.has(key)) return answer(res, 200, { ok: false, error: "message_not_found" });
        messages.set(key, body);
        return answer(res, 200, { ok: true, channel: channelArg, ts: body.ts, text: body.text });
      }
      return answer(res, 200, { ok: false, error: "unknown_method" });
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/`,
    webhookUrl: `http://127.0.0.1:${port}/services/T000/B000/XXXXXXXXXXXXXXXX`,
    requests,
    messages,
    script,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
