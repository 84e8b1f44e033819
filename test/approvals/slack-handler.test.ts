import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { InvokeCommand } from "@aws-sdk/client-lambda";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import type { LambdaFunctionURLEvent } from "aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { approve } from "../../shared/approvals/approve";
import { lambdaDispatch, slackInteractivityHandler } from "../../shared/approvals/slack-handler";
import { postToResponseUrl, type SlackInteractivityDeps } from "../../shared/approvals/slack-interactivity";
import { parseSigningSecret } from "../../shared/approvals/slack-payload";
import { findingId } from "../../shared/findings/id";
import { cachedSecret } from "../../shared/notifiers/secret-value";
import { processEvent } from "../../shared/pipeline/process-event";
import { loadEvent, sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";

/**
 * The interactivity function end to end: a function URL request (payload format 2.0) signed like
 * Slack signs it, the asynchronous self-invocation it hands the approval to (Lambda Invoke, the
 * payload fed back to the handler as Lambda would), the approval through the real pipeline, and the
 * answer POSTed to response_url, here a local HTTP server that records what it receives.
 */

const SECRET = "8f742231b10e8888abcd99ab1e2c85a5";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:vigil-slack-signing-AbCdEf";
const FUNCTION_ARN = "arn:aws:lambda:us-east-1:111122223333:function:VigilStack-SlackInteractivity";
const GROUP = "sg-0c4d2e6f8a1b3c579";
const FINDING = findingId({
  account: "111122223333",
  region: "us-east-1",
  checkId: "EC2.13",
  resourceId: GROUP,
});
const NOW = new Date("2026-11-27T08:00:13.000Z");

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for Slack's response_url endpoint. */
async function responseUrlServer(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/actions/T0A1B2C3D/1795766400123/AbCdEf`, received };
}

describe("Slack interactivity function", () => {
  let t: TestRuntime;
  let slack: Awaited<ReturnType<typeof responseUrlServer>>;
  let handler: ReturnType<typeof slackInteractivityHandler>;

  beforeEach(async () => {
    t = await testRuntime({
      config: {
        modes: { "EC2.13": "dry-run", "EC2.19": "dry-run", "EC2.53": "dry-run", "EC2.18": "dry-run" },
      },
      now: () => NOW,
    });
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: GROUP,
          GroupName: "web",
          Tags: [],
          IpPermissions: [
            {
              IpProtocol: "tcp",
              FromPort: 22,
              ToPort: 22,
              IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "anyone" }, { CidrIp: "10.20.0.0/16" }],
            },
          ],
        },
      ],
    });
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        {
          SecurityGroupRuleId: "sgr-0b1c2d3e4f5a69780",
          GroupId: GROUP,
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          CidrIpv4: "0.0.0.0/0",
        },
      ],
    });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    t.secretsManager.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    t.lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    await processEvent(sg("authorize-ssh-world-and-office-cidrs"), t.runtime);
    expect(await t.runtime.store.get(FINDING)).toMatchObject({
      status: "OPEN",
      remediation: { result: "planned" },
    });

    slack = await responseUrlServer();
    const clients = t.runtime.readClients;
    if (!clients) throw new Error("no clients");
    const signingSecret = cachedSecret(await clients.secretsManager(), SECRET_ARN, {
      parse: parseSigningSecret,
    });
    const deps: SlackInteractivityDeps = {
      signingSecret,
      approvers: ["U0APPROVER"],
      dispatch: lambdaDispatch(async () => clients.lambda(), FUNCTION_ARN),
      approve: (id, approver) =>
        approve(id, approver, t.runtime, { region: "us-east-1", account: "111122223333" }),
      respond: postToResponseUrl,
      now: () => NOW,
      logger: t.logger,
    };
    handler = slackInteractivityHandler(async () => deps, t.logger);
  });
  afterEach(async () => {
    await new Promise((resolve) => slack.server.close(resolve));
    await t.close();
  });

  /** The sample function URL request, for `user` clicking Approve on the finding, signed with `secret`. */
  function slackRequest(
    options: {
      user?: string;
      secret?: string;
      timestamp?: number;
      base64?: boolean;
      findingId?: string;
    } = {},
  ): LambdaFunctionURLEvent {
    const event = loadEvent(
      "approvals/slack-block-actions-function-url.json",
    ) as unknown as LambdaFunctionURLEvent;
    const form = new URLSearchParams(Buffer.from(event.body ?? "", "base64").toString("utf8"));
    const payload = JSON.parse(form.get("payload") ?? "{}");
    payload.user.id = options.user ?? "U0APPROVER";
    payload.response_url = slack.url;
    payload.actions[0].value = options.findingId ?? FINDING;
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    const timestamp = String(options.timestamp ?? NOW.getTime() / 1000);
    const signature = `v0=${createHmac("sha256", options.secret ?? SECRET)
      .update(`v0:${timestamp}:${body}`)
      .digest("hex")}`;
    const base64 = options.base64 ?? true;
    return {
      ...event,
      headers: { ...event.headers, "x-slack-request-timestamp": timestamp, "x-slack-signature": signature },
      body: base64 ? Buffer.from(body).toString("base64") : body,
      isBase64Encoded: base64,
    };
  }

  const context = { invokedFunctionArn: FUNCTION_ARN };
  /** The jobs handed to the asynchronous invocation so far, as Lambda would deliver them. */
  const dispatched = () =>
    t.lambda.commandCalls(InvokeCommand).map((call) => {
      const input = call.args[0].input;
      return { input, job: JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array)) as unknown };
    });
  const revokes = () => t.ec2.commandCalls(RevokeSecurityGroupIngressCommand);

  it("acknowledges at once, then approves in its own invocation and tells the clicker through response_url", async () => {
    const response = await handler(slackRequest(), context);
    expect(response).toMatchObject({ statusCode: 200 });
    // Nothing ran yet: the HTTP invocation only verified the request and handed it on.
    expect(revokes()).toHaveLength(0);
    expect(dispatched()).toEqual([
      {
        input: { FunctionName: FUNCTION_ARN, InvocationType: "Event", Payload: expect.any(Uint8Array) },
        job: {
          kind: "vigil-slack-approval",
          findingId: FINDING,
          user: { id: "U0APPROVER", name: "alice" },
          responseUrl: slack.url,
        },
      },
    ]);

    await handler(dispatched()[0]?.job, context);
    expect(revokes().map((c) => c.args[0].input)).toEqual([
      { GroupId: GROUP, SecurityGroupRuleIds: ["sgr-0b1c2d3e4f5a69780"] },
    ]);
    expect(await t.runtime.store.get(FINDING)).toMatchObject({
      status: "REMEDIATED",
      approval: {
        by: "alice (Slack U0APPROVER)",
        principal: "U0APPROVER",
        via: "slack",
        outcome: "remediated",
      },
    });
    expect(slack.received).toHaveLength(1);
    const [answer] = slack.received;
    expect(answer).toMatchObject({
      method: "POST",
      url: "/actions/T0A1B2C3D/1795766400123/AbCdEf",
      headers: { "content-type": "application/json; charset=utf-8" },
    });
    expect(JSON.parse(answer?.body ?? "")).toEqual({
      response_type: "ephemeral",
      replace_original: false,
      text: `:white_check_mark: ${FINDING} approved by alice (Slack U0APPROVER) via slack; remediated: revoked from ${GROUP}: tcp 22 from 0.0.0.0/0 (sgr-0b1c2d3e4f5a69780); finding REMEDIATED`,
    });
  });

  it("a double click approves once; the second click is told it was already approved", async () => {
    await handler(slackRequest(), context);
    await handler(slackRequest({ base64: false }), context);
    for (const { job } of dispatched()) await handler(job, context);
    expect(revokes()).toHaveLength(1);
    expect(slack.received).toHaveLength(2);
    expect(JSON.parse(slack.received[1]?.body ?? "").text).toContain(
      `:warning: finding ${FINDING} was already approved by alice (Slack U0APPROVER) via slack`,
    );
    // The signing secret was read once for both requests (cached per container).
    expect(t.secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("someone not on the approver list gets a polite refusal only they see, and nothing changes", async () => {
    expect(await handler(slackRequest({ user: "U0STRANGER" }), context)).toMatchObject({ statusCode: 200 });
    await handler(dispatched()[0]?.job, context);
    expect(revokes()).toHaveLength(0);
    expect((await t.runtime.store.get(FINDING))?.approval).toBeUndefined();
    expect(JSON.parse(slack.received[0]?.body ?? "")).toEqual({
      response_type: "ephemeral",
      replace_original: false,
      text:
        `Sorry <@U0STRANGER>, you are not one of Vigil's approvers, so nothing was done. ` +
        `Ask an approver, or someone with AWS access can run \`npm run vigil -- approve ${FINDING}\`.`,
    });
  });

  it("rejects with 401 what Slack did not sign now, logging why and never the secret", async () => {
    const forged = await handler(slackRequest({ secret: "ffffffffffffffffffffffffffffffff" }), context);
    const stale = await handler(slackRequest({ timestamp: NOW.getTime() / 1000 - 600 }), context);
    const unsigned = slackRequest();
    delete unsigned.headers["x-slack-signature"];
    const missing = await handler(unsigned, context);
    for (const response of [forged, stale, missing]) expect(response).toMatchObject({ statusCode: 401 });
    expect(dispatched()).toHaveLength(0);
    expect(slack.received).toHaveLength(0);
    const rejections = t.logger.entries.filter((e) => e.message === "Slack request rejected");
    expect(rejections.map((e) => (e.attributes[0] as { reason: string }).reason)).toEqual([
      "signature mismatch",
      "timestamp 600 s away from now (more than 5 minutes: replay?)",
      "missing header X-Slack-Signature",
    ]);
    expect(JSON.stringify(t.logger.entries)).not.toContain(SECRET);
  });

  it("answers 405 to anything but POST and ignores clicks on other buttons", async () => {
    const get = slackRequest();
    get.requestContext.http.method = "GET";
    expect(await handler(get, context)).toMatchObject({ statusCode: 405 });

    const other = slackRequest();
    const body = Buffer.from(other.body ?? "", "base64")
      .toString("utf8")
      .replace("vigil_approve", "something_else");
    const timestamp = String(NOW.getTime() / 1000);
    other.body = body;
    other.isBase64Encoded = false;
    other.headers["x-slack-signature"] =
      `v0=${createHmac("sha256", SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
    expect(await handler(other, context)).toMatchObject({ statusCode: 200 });
    expect(dispatched()).toHaveLength(0);
  });
});
