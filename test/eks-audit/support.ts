import { gzipSync } from "node:zlib";
import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const CLUSTER = "prod-eks";
export const LOG_GROUP = `/aws/eks/${CLUSTER}/cluster`;
export const LOG_STREAM = "kube-apiserver-audit-5e1d4f3a0b7c29e86d2f1a4b3c5d6e7f";

export const PSS_BASELINE = "VIGIL.EKS.PSS_BASELINE";
export const PSS_RESTRICTED = "VIGIL.EKS.PSS_RESTRICTED";
export const NO_NETWORK_POLICY = "VIGIL.EKS.NO_NETWORK_POLICY";

export type AuditEventJson = Record<string, unknown> & {
  auditID: string;
  objectRef: Record<string, unknown>;
  responseStatus: Record<string, unknown>;
};

/** A real-shape audit event from `events/eks-audit/audit-events/`, fresh each call so a test may change it. */
export function auditEvent(name: string, edit?: (event: AuditEventJson) => void): AuditEventJson {
  const event = loadEvent(`eks-audit/audit-events/${name}.json`) as unknown as AuditEventJson;
  edit?.(event);
  return event;
}

/** The same event with another audit id (a different request, e.g. the same object applied again). */
export function again(event: AuditEventJson, auditID: string): AuditEventJson {
  return { ...structuredClone(event), auditID };
}

export interface BatchOptions {
  logGroup?: string;
  logStream?: string;
  owner?: string;
}

/** The log events batch CloudWatch Logs sends to a subscription, one log event per message. */
export function dataMessage(messages: (object | string)[], options: BatchOptions = {}) {
  const start = Date.parse("2025-03-11T14:02:18.000Z");
  return {
    messageType: "DATA_MESSAGE",
    owner: options.owner ?? ACCOUNT,
    logGroup: options.logGroup ?? LOG_GROUP,
    logStream: options.logStream ?? LOG_STREAM,
    subscriptionFilters: ["vigil-eks-audit"],
    logEvents: messages.map((message, i) => ({
      // CloudWatch Logs ids are 56-digit strings.
      id: `3841961753421509651263459871253641298756123498561${String(1000000 + i)}`,
      timestamp: start + i,
      message: typeof message === "string" ? message : JSON.stringify(message),
    })),
  };
}

/** What CloudWatch Logs sends to its health check of a new destination. */
export const controlMessage = () => ({
  messageType: "CONTROL_MESSAGE",
  owner: "CloudwatchLogs",
  logGroup: "",
  logStream: "",
  subscriptionFilters: [],
  logEvents: [
    {
      id: "",
      timestamp: 1741701737000,
      message: "CWL CONTROL MESSAGE: Checking health of destination Lambda function.",
    },
  ],
});

/** The Lambda event of a subscription: `{ awslogs: { data: base64(gzip(JSON)) } }`. */
export function subscriptionEvent(batch: unknown): { awslogs: { data: string } } {
  return { awslogs: { data: gzipSync(Buffer.from(JSON.stringify(batch))).toString("base64") } };
}

/** A subscription event carrying these audit events, in this order. */
export const payloadOf = (events: (object | string)[], options?: BatchOptions) =>
  subscriptionEvent(dataMessage(events, options));

export const workloadId = (namespace: string, kind: string, name: string) =>
  `${CLUSTER}/${namespace}/${kind}/${name}`;

export const idFor = (checkId: string, resourceId: string) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });
