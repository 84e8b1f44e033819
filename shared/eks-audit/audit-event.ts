import { z } from "zod";

/** Cap per log event: CloudWatch Logs events are at most 1 MiB; anything larger is not one. */
export const MAX_MESSAGE_CHARS = 1024 * 1024;

const userSchema = z.looseObject({
  username: z.string().optional(),
  uid: z.string().optional(),
  groups: z.array(z.string()).optional(),
  /** EKS puts the IAM identity here: `arn`, `canonicalArn`, `sessionName`, `accessKeyId`, `principalId`. */
  extra: z.record(z.string(), z.array(z.string())).optional(),
});

/** A Kubernetes audit event (`audit.k8s.io/v1`, kind `Event`) as the API server logs it. */
export const auditEventSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.literal("Event"),
  level: z.string().optional(),
  auditID: z.string().min(1),
  stage: z.string().min(1),
  requestURI: z.string().optional(),
  verb: z.string().min(1),
  user: userSchema,
  impersonatedUser: userSchema.optional(),
  sourceIPs: z.array(z.string()).optional(),
  userAgent: z.string().optional(),
  objectRef: z
    .looseObject({
      resource: z.string().optional(),
      namespace: z.string().optional(),
      name: z.string().optional(),
      apiGroup: z.string().optional(),
      apiVersion: z.string().optional(),
      subresource: z.string().optional(),
    })
    .optional(),
  responseStatus: z.looseObject({ code: z.number().optional() }).optional(),
  /** The request body (for a patch: the patch, not the object). Present from audit level Request. */
  requestObject: z.unknown().optional(),
  /** The object as stored. Present at audit level RequestResponse. */
  responseObject: z.unknown().optional(),
  requestReceivedTimestamp: z.string().optional(),
  stageTimestamp: z.string().optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type AuditEvent = z.infer<typeof auditEventSchema>;

/** One log event's message as an audit event, or why it is not one (never quoting its content). */
export function parseAuditMessage(message: string): { event: AuditEvent } | { problem: string } {
  if (message.length > MAX_MESSAGE_CHARS)
    return {
      problem: `message is ${message.length} characters, more than the ${MAX_MESSAGE_CHARS} accepted`,
    };
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return { problem: `message is not JSON (${message.length} characters; truncated by the log?)` };
  }
  const parsed = auditEventSchema.safeParse(json);
  if (!parsed.success)
    return { problem: `not a Kubernetes audit event: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}` };
  return { event: parsed.data };
}

/** When the change took effect: the response time, else when the request came in. */
export function auditTime(event: AuditEvent, fallback: number): string {
  const time = event.stageTimestamp ?? event.requestReceivedTimestamp;
  return time && !Number.isNaN(Date.parse(time))
    ? new Date(Date.parse(time)).toISOString()
    : new Date(fallback).toISOString();
}
