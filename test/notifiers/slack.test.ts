import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SecretNotSetError } from "../../shared/notifiers/secret-value";
import { SlackNotifier, SlackWebhookError, type SlackPayload } from "../../shared/notifiers/slack";
import { securityGroup, sgAlert, sgFinding } from "./fixtures";

// Shaped like a real webhook; the last segment is the credential and must never surface.
const TOKEN = "Xq7tB2mN9pR4sV6wY8zA1cD3";
const PATH = `/services/T0AAAAAAA/B0BBBBBBB/${TOKEN}`;

interface Received {
  method?: string;
  url?: string;
  contentType?: string;
  body: string;
}

type Responder = (request: IncomingMessage, response: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let received: Received[] = [];
let respond: Responder;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        method: request.method,
        url: request.url,
        contentType: request.headers["content-type"],
        body: Buffer.concat(chunks).toString("utf8"),
      });
      respond(request, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received = [];
  respond = (_request, response) => response.writeHead(200, { "content-type": "text/plain" }).end("ok");
});

function notifier(options: { timeoutMs?: number; url?: string } = {}) {
  return new SlackNotifier({
    webhookUrl: async () => options.url ?? `${baseUrl}${PATH}`,
    timeoutMs: options.timeoutMs,
  });
}

function posted(): SlackPayload {
  expect(received).toHaveLength(1);
  return JSON.parse(received[0]?.body ?? "") as SlackPayload;
}

function fieldTexts(payload: SlackPayload): string[] {
  const section = payload.blocks.find(
    (block) => block.type === "section" && "fields" in block && block.fields,
  );
  return section && section.type === "section" ? (section.fields ?? []).map((field) => field.text) : [];
}

function expectNoSecret(message: string) {
  expect(message).not.toContain(TOKEN);
  expect(message).not.toContain(PATH);
  expect(message).not.toContain("/services/");
}

describe("SlackNotifier", () => {
  it("posts a Block Kit message with who, where, when, what and the undo command", async () => {
    await notifier().send(sgAlert());

    expect(received[0]).toMatchObject({ method: "POST", url: PATH });
    expect(received[0]?.contentType).toMatch(/^application\/json/);
    const payload = posted();
    expect(payload.text).toBe("[CRITICAL] Vigil: sg-07c1e5a9d3b2f4068 EC2.19, EC2.13 - remediated");

    const [header, , summaries, context] = payload.blocks;
    expect(header).toEqual({
      type: "header",
      text: {
        type: "plain_text",
        emoji: true,
        text: expect.stringMatching(
          /^:rotating_light: Security groups should not allow unrestricted access to ports with high risk \/ /,
        ),
      },
    });
    expect(header?.type === "header" && header.text.text.length).toBeLessThanOrEqual(150);

    expect(fieldTexts(payload)).toEqual([
      "*Severity*\n:rotating_light: CRITICAL",
      "*Checks*\n*EC2.19* (FSBP EC2.19): remediated\n*EC2.13* (SecurityHub EC2.13, CIS 1.2.0 4.1): remediated",
      "*Resource*\n" +
        "<https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#SecurityGroup:groupId=sg-07c1e5a9d3b2f4068" +
        "|sg-07c1e5a9d3b2f4068 (web-prod)>\nAWS::EC2::SecurityGroup in 111122223333 / us-east-1",
      "*Who*\narn:aws:iam::111122223333:user/alice.ops (IAMUser)",
      expect.stringMatching(
        /^\*From where\*\n198\.51\.100\.23, API\/CLI\/SDK \(not the console\), user agent aws-cli\/2\.22\.35 /,
      ),
      "*When*\n2025-03-11T14:02:17Z",
      "*What Vigil did*\n" +
        "*EC2.19*: remediated (mode auto) at 2025-03-11T14:02:19.412Z: revoke sgr-0d27a9c4e81f35b60 (tcp 22 from 0.0.0.0/0)\n" +
        "*EC2.13*: remediated (mode auto) at 2025-03-11T14:02:19.412Z: revoke sgr-0d27a9c4e81f35b60 (tcp 22 from 0.0.0.0/0)",
    ]);
    expect(summaries).toEqual({
      type: "section",
      text: {
        type: "mrkdwn",
        text:
          "• *EC2.19* sg-07c1e5a9d3b2f4068 allows tcp 22 from 0.0.0.0/0 (high-risk ports 22)\n" +
          "• *EC2.13* sg-07c1e5a9d3b2f4068 allows tcp 22 from 0.0.0.0/0 (SSH open to the internet)",
      },
    });
    expect(context).toEqual({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text:
            "Undo EC2.19: `npm run vigil -- undo vf-63cf164a2359498e5aa04e6a`\n" +
            "Undo EC2.13: `npm run vigil -- undo vf-be933cfe9efa34247ace563a`",
        },
      ],
    });
  });

  it("escapes &, < and > in user text so it cannot ping channels or forge links", async () => {
    const alert = sgAlert({
      resource: { ...securityGroup, name: "<!channel> & <https://evil.example|login>" },
      actor: {
        type: "IAMUser",
        arn: "arn:aws:iam::111122223333:user/<@U024BE7LH>",
        userAgent: "Mozilla/5.0 <b>",
      },
      findings: [
        sgFinding("EC2.13", {
          status: "SUPPRESSED",
          remediation: undefined,
          suppression: { source: "config", reason: "approved by <!here> & secops", until: "2025-06-30" },
        }),
      ],
      severity: "HIGH",
    });
    await notifier().send(alert);

    const body = received[0]?.body ?? "";
    expect(body).not.toMatch(/<!(channel|here)>|<@U024BE7LH>|<https:\/\/evil/);
    const fields = fieldTexts(posted());
    expect(fields[2]).toContain(
      "|sg-07c1e5a9d3b2f4068 (&lt;!channel&gt; &amp; &lt;https://evil.example|login&gt;)>",
    );
    expect(fields[3]).toBe("*Who*\narn:aws:iam::111122223333:user/&lt;@U024BE7LH&gt; (IAMUser)");
    expect(fields[4]).toBe("*From where*\nuser agent Mozilla/5.0 &lt;b&gt;");
    expect(fields[6]).toBe(
      "*What Vigil did*\n*EC2.13*: nothing: the finding is exempt; " +
        "exempt: config exemption, reason: approved by &lt;!here&gt; &amp; secops, until 2025-06-30",
    );
    // Nothing to undo: no context block.
    expect(posted().blocks.map((block) => block.type)).toEqual(["header", "section", "section"]);
  });

  it("keeps every field within Block Kit limits for many findings", async () => {
    const findings = Array.from({ length: 200 }, (_, n) =>
      sgFinding("EC2.13", { checkId: `EC2.${n}`, summary: `rule ${n} ${"&".repeat(250)}` }),
    );
    await notifier().send(sgAlert({ findings }));
    const payload = posted();
    for (const text of fieldTexts(payload)) expect(text.length).toBeLessThanOrEqual(2000);
    expect(fieldTexts(payload)[1]).toMatch(/_…and \d+ more_$/);
    for (const block of payload.blocks) {
      if (block.type === "section" && block.text) expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === "context")
        for (const e of block.elements) expect(e.text.length).toBeLessThanOrEqual(2000);
    }
  });

  it("fails on a 500 without revealing the webhook URL, even when the answer echoes it", async () => {
    respond = (request, response) =>
      response.writeHead(500).end(`internal_error for ${baseUrl}${request.url}`);
    const error = await notifier()
      .send(sgAlert())
      .then(
        () => undefined,
        (e: unknown) => e,
      );

    expect(error).toBeInstanceOf(SlackWebhookError);
    const { message, status, retryable, stack } = error as SlackWebhookError;
    expect(message).toMatch(/^Slack webhook answered HTTP 500: internal_error for/);
    expect({ status, retryable }).toEqual({ status: 500, retryable: true });
    expectNoSecret(message);
    expectNoSecret(stack ?? "");
    expectNoSecret(JSON.stringify(error));
  });

  it("marks answers a retry cannot fix as permanent", async () => {
    respond = (_request, response) => response.writeHead(404).end("no_service");
    await expect(notifier().send(sgAlert())).rejects.toMatchObject({
      message: "Slack webhook answered HTTP 404: no_service",
      status: 404,
      retryable: false,
    });
  });

  it("fails on network errors without revealing the webhook URL", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const error = await notifier({ url: `http://127.0.0.1:${port}${PATH}` })
      .send(sgAlert())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(SlackWebhookError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Slack webhook request failed: .*ECONNREFUSED/);
    expectNoSecret(message);
    expect((error as Error).cause).toBeUndefined();
  });

  it("fails on a malformed URL without quoting it", async () => {
    const error = await notifier({ url: `hooks.slack.com${PATH}` })
      .send(sgAlert())
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(SlackWebhookError);
    expectNoSecret((error as Error).message);
  });

  it("gives up after timeoutMs", async () => {
    respond = () => undefined; // never answers
    const started = Date.now();
    await expect(notifier({ timeoutMs: 150 }).send(sgAlert())).rejects.toThrow(
      "Slack webhook request failed: timed out after 150 ms",
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("does not post when the webhook URL cannot be read", async () => {
    const failing = new SlackNotifier({
      webhookUrl: () => Promise.reject(new Error("Secret arn:x has no value yet")),
    });
    await expect(failing.send(sgAlert())).rejects.toThrow("has no value yet");
    expect(received).toHaveLength(0);
  });

  it("skips (does not fail) the alert while the webhook secret has no value, and says how to set it", async () => {
    const told: string[] = [];
    const unset = new SlackNotifier({
      webhookUrl: () =>
        Promise.reject(
          new SecretNotSetError(
            "Secret arn:x has no value yet. Set it with: aws secretsmanager put-secret-value …",
          ),
        ),
      onNotConfigured: (message) => told.push(message),
    });
    await expect(unset.send(sgAlert())).resolves.toBeUndefined();
    expect(received).toHaveLength(0);
    expect(told).toEqual([
      "Secret arn:x has no value yet. Set it with: aws secretsmanager put-secret-value …",
    ]);
  });

  it("uses an injected fetch", async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response("ok", { status: 200 });
    };
    await new SlackNotifier({ webhookUrl: async () => "https://hooks.example/x", fetch: fakeFetch }).send(
      sgAlert(),
    );
    expect(calls).toEqual(["https://hooks.example/x"]);
  });
});
