import { gunzipSync } from "node:zlib";
import { z } from "zod";

/**
 * Caps before anything is decoded. Lambda takes at most 1 MiB of async payload, so a larger
 * `awslogs.data` is not from CloudWatch Logs; 16 MiB of JSON is far beyond any real batch and
 * stops a gzip bomb from taking the function's memory.
 */
export const MAX_ENCODED_CHARS = 1_500_000;
export const MAX_DECODED_BYTES = 16 * 1024 * 1024;

const logEventSchema = z.looseObject({
  id: z.string(),
  timestamp: z.number(),
  message: z.string(),
});

const batchSchema = z.discriminatedUnion("messageType", [
  z.looseObject({
    messageType: z.literal("DATA_MESSAGE"),
    /** The account the log group is in. */
    owner: z.string().regex(/^\d{12}$/, "a 12-digit account id"),
    logGroup: z.string().min(1),
    logStream: z.string().min(1),
    subscriptionFilters: z.array(z.string()),
    logEvents: z.array(logEventSchema),
  }),
  /** CloudWatch Logs checking that the destination is reachable: nothing to evaluate. */
  z.looseObject({ messageType: z.literal("CONTROL_MESSAGE") }),
]);

export type LogEventsBatch = Extract<z.infer<typeof batchSchema>, { messageType: "DATA_MESSAGE" }>;

export type DecodedPayload =
  { kind: "data"; batch: LogEventsBatch } | { kind: "control" } | { kind: "invalid"; reason: string };

const envelopeSchema = z.looseObject({ awslogs: z.looseObject({ data: z.string().min(1) }) });
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function invalid(reason: string): DecodedPayload {
  return { kind: "invalid", reason };
}

/**
 * Decodes a CloudWatch Logs subscription event: `{ awslogs: { data: base64(gzip(JSON)) } }`. Never
 * throws: what can't be read comes back `invalid` with the reason (sizes and shapes, never content).
 */
export function decodeSubscriptionEvent(raw: unknown): DecodedPayload {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) return invalid("not a CloudWatch Logs subscription event (no awslogs.data string)");
  const data = envelope.data.awslogs.data;
  if (data.length > MAX_ENCODED_CHARS)
    return invalid(`awslogs.data is ${data.length} characters, more than the ${MAX_ENCODED_CHARS} accepted`);
  if (data.length % 4 !== 0 || !BASE64.test(data)) return invalid("awslogs.data is not base64");
  let text: string;
  try {
    text = gunzipSync(Buffer.from(data, "base64"), { maxOutputLength: MAX_DECODED_BYTES }).toString("utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return invalid(
      code === "ERR_BUFFER_TOO_LARGE"
        ? `awslogs.data decompresses to more than ${MAX_DECODED_BYTES} bytes`
        : `awslogs.data is not gzip data (${code ?? (error as Error).message})`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return invalid(`awslogs.data is gzip but not JSON (${text.length} characters)`);
  }
  const batch = batchSchema.safeParse(json);
  if (!batch.success)
    return invalid(
      `awslogs.data is not a log events batch: ${z.prettifyError(batch.error).replace(/\n/g, "; ")}`,
    );
  if (batch.data.messageType === "CONTROL_MESSAGE") return { kind: "control" };
  return { kind: "data", batch: batch.data as LogEventsBatch };
}

/** `/aws/eks/<cluster>/cluster` -> the cluster's name; undefined for any other log group. */
export function clusterOfLogGroup(logGroup: string): string | undefined {
  return /^\/aws\/eks\/([0-9A-Za-z][A-Za-z0-9_-]{0,99})\/cluster$/.exec(logGroup)?.[1];
}
