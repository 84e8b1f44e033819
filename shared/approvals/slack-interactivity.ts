import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from "aws-lambda";
import { z } from "zod";
import type { VigilLogger } from "../log";
import type { ApproveResult, Approver } from "./approve";
import { parseInteraction, type ApproveClick } from "./slack-payload";
import { verifySlackRequest } from "./slack-signature";

/**
 * The approval Slack asked for, handed from the HTTP invocation (which must answer Slack within
 * 3 seconds) to an asynchronous one that runs it and reports to `response_url`.
 */
export const approvalJobSchema = z.object({
  kind: z.literal("vigil-slack-approval"),
  findingId: z.string().min(1),
  user: z.object({ id: z.string().min(1), name: z.string().optional() }),
  responseUrl: z.string().min(1),
});
export type ApprovalJob = z.infer<typeof approvalJobSchema>;

/** A message for `response_url`: shown only to the person who clicked, next to the alert. */
export interface SlackResponse {
  response_type: "ephemeral";
  replace_original: false;
  text: string;
}

export interface SlackInteractivityDeps {
  /** The app's signing secret (Secrets Manager, read once per container). */
  signingSecret: () => Promise<string>;
  /** Slack member ids allowed to approve (config `approval.slackApprovers`). */
  approvers: readonly string[];
  /** Starts the asynchronous invocation that runs the job (Lambda Invoke, InvocationType Event). */
  dispatch: (job: ApprovalJob) => Promise<void>;
  approve: (findingId: string, approver: Approver) => Promise<ApproveResult>;
  /** POSTs to the interaction's response_url. */
  respond: (responseUrl: string, message: SlackResponse) => Promise<void>;
  now: () => Date;
  logger: VigilLogger;
}

const reply = (statusCode: number, body = ""): LambdaFunctionURLResult => ({
  statusCode,
  headers: { "content-type": "text/plain; charset=utf-8" },
  body,
});

const ephemeral = (text: string): SlackResponse => ({
  response_type: "ephemeral",
  replace_original: false,
  text,
});

/** Header lookup regardless of case (function URLs lower-case them; a proxy in front might not). */
function header(event: LambdaFunctionURLEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const entry = Object.entries(event.headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return entry?.[1];
}

/**
 * Slack's interactivity request: authenticated by its signature alone (the function URL is public),
 * then acknowledged at once with 200 while the approval runs in a separate invocation. A bad
 * signature gets 401 and a log line saying why (never the secret, never the body).
 */
export async function handleSlackRequest(
  event: LambdaFunctionURLEvent,
  deps: SlackInteractivityDeps,
): Promise<LambdaFunctionURLResult> {
  const method = event.requestContext?.http?.method;
  if (method !== "POST") return reply(405, "POST only");
  const body = Buffer.from(event.body ?? "", event.isBase64Encoded ? "base64" : "utf8");
  const check = verifySlackRequest(
    await deps.signingSecret(),
    {
      timestamp: header(event, "x-slack-request-timestamp"),
      signature: header(event, "x-slack-signature"),
      body,
    },
    deps.now(),
  );
  if (!check.ok) {
    deps.logger.warn("Slack request rejected", {
      reason: check.reason,
      sourceIp: event.requestContext?.http?.sourceIp,
      bodyBytes: body.length,
    });
    return reply(401, "invalid request signature");
  }
  const interaction = parseInteraction(body.toString("utf8"));
  if (interaction.kind === "invalid") {
    deps.logger.warn("Slack interaction not understood", { reason: interaction.reason });
    return reply(400, "unexpected interaction payload");
  }
  if (interaction.kind === "ignored") {
    deps.logger.info("Slack interaction ignored", { reason: interaction.reason });
    return reply(200);
  }
  const { click } = interaction;
  await deps.dispatch({ kind: "vigil-slack-approval", ...click });
  deps.logger.info("Slack approval accepted for processing", {
    findingId: click.findingId,
    user: click.user.id,
  });
  return reply(200);
}

function approverOf(click: ApproveClick): Approver {
  const name = click.user.name ?? click.user.id;
  return { by: `${name} (Slack ${click.user.id})`, principal: click.user.id, via: "slack" };
}

/**
 * The asynchronous half: only members of `approval.slackApprovers` approve; anyone else is told,
 * politely and only to them, who can. The outcome goes back to the clicker through response_url.
 * Never throws for the approval's own problems: a person clicked, a person is told (no retries).
 */
export async function runApprovalJob(job: ApprovalJob, deps: SlackInteractivityDeps): Promise<void> {
  const click: ApproveClick = job;
  let message: SlackResponse;
  if (!deps.approvers.includes(click.user.id)) {
    deps.logger.warn("Slack approval refused: not an approver", {
      findingId: click.findingId,
      user: click.user.id,
    });
    message = ephemeral(
      `Sorry <@${click.user.id}>, you are not one of Vigil's approvers, so nothing was done. ` +
        `Ask an approver, or someone with AWS access can run \`npm run vigil -- approve ${click.findingId}\`.`,
    );
  } else {
    try {
      const result = await deps.approve(click.findingId, approverOf(click));
      message = ephemeral(`${result.approved ? ":white_check_mark:" : ":warning:"} ${result.message}`);
    } catch (error) {
      deps.logger.error("Slack approval failed", { findingId: click.findingId, error: error as Error });
      message = ephemeral(`:x: Approval of ${click.findingId} failed: ${(error as Error).message}`);
    }
  }
  try {
    await deps.respond(click.responseUrl, message);
  } catch (error) {
    // The outcome is in the finding (and the alert); only the note to the clicker is lost.
    deps.logger.warn("could not post to Slack's response_url", {
      findingId: click.findingId,
      error: error as Error,
    });
  }
}

/** POSTs JSON to a response_url within `timeoutMs`; a non-2xx answer is an error (its status, not the URL). */
export async function postToResponseUrl(
  responseUrl: string,
  message: SlackResponse,
  timeoutMs = 5_000,
): Promise<void> {
  const response = await fetch(responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(message),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`response_url answered HTTP ${response.status}`);
}
