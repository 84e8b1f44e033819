import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseAuditMessage } from "../../shared/eks-audit/audit-event";
import {
  MAX_DECODED_BYTES,
  MAX_ENCODED_CHARS,
  clusterOfLogGroup,
  decodeSubscriptionEvent,
} from "../../shared/eks-audit/payload";
import { loadEvent } from "../support/events";
import { LOG_GROUP, auditEvent, controlMessage, dataMessage, payloadOf, subscriptionEvent } from "./support";

const gzipBase64 = (text: string) => gzipSync(Buffer.from(text)).toString("base64");
const reasonOf = (raw: unknown) => {
  const decoded = decodeSubscriptionEvent(raw);
  return decoded.kind === "invalid" ? decoded.reason : `not invalid: ${decoded.kind}`;
};

describe("decodeSubscriptionEvent", () => {
  it("decodes a real-shape DATA_MESSAGE (base64 gzip JSON) with several audit events, in order", () => {
    const events = [auditEvent("namespace-create"), auditEvent("pod-create-seed")];
    const decoded = decodeSubscriptionEvent(payloadOf(events));
    expect(decoded.kind).toBe("data");
    if (decoded.kind !== "data") return;
    expect(decoded.batch).toMatchObject({
      messageType: "DATA_MESSAGE",
      owner: "111122223333",
      logGroup: LOG_GROUP,
      subscriptionFilters: ["vigil-eks-audit"],
    });
    expect(decoded.batch.logEvents.map((e) => JSON.parse(e.message).auditID)).toEqual(
      events.map((e) => e.auditID),
    );
  });

  it("recognises CloudWatch Logs' CONTROL_MESSAGE (health check of the destination)", () => {
    expect(decodeSubscriptionEvent(subscriptionEvent(controlMessage()))).toEqual({ kind: "control" });
  });

  it("reads the stored sample payloads, which carry the stored audit events unchanged", () => {
    const sample = decodeSubscriptionEvent(loadEvent("eks-audit/subscription-namespace-and-seed-pod.json"));
    expect(sample.kind).toBe("data");
    if (sample.kind !== "data") return;
    expect(sample.batch.logEvents.map((e) => JSON.parse(e.message))).toEqual([
      auditEvent("namespace-create"),
      auditEvent("networkpolicy-create"),
      auditEvent("pod-create-seed"),
    ]);
    expect(decodeSubscriptionEvent(loadEvent("eks-audit/subscription-control-message.json"))).toEqual({
      kind: "control",
    });
  });

  it.each([
    ["null", null, /no awslogs.data/],
    ["an EventBridge event", loadEvent("security-group/authorize-all-traffic-world.json"), /no awslogs.data/],
    ["an empty data string", { awslogs: { data: "" } }, /no awslogs.data/],
    ["data that is not base64", { awslogs: { data: "not base64!" } }, /not base64/],
    [
      "base64 that is not gzip",
      { awslogs: { data: Buffer.from("plain text").toString("base64") } },
      /not gzip/,
    ],
    ["gzip that is not JSON", { awslogs: { data: gzipBase64("{truncated") } }, /gzip but not JSON/],
    [
      "JSON that is not a batch",
      { awslogs: { data: gzipBase64(JSON.stringify({ messageType: "DATA_MESSAGE", logEvents: "x" })) } },
      /not a log events batch/,
    ],
    [
      "an unknown message type",
      { awslogs: { data: gzipBase64(JSON.stringify({ ...dataMessage([]), messageType: "OTHER" })) } },
      /not a log events batch/,
    ],
    ["an oversized data string", { awslogs: { data: "A".repeat(MAX_ENCODED_CHARS + 4) } }, /more than the/],
  ])("rejects %s with a clear reason", (_name, raw, reason) => {
    expect(reasonOf(raw)).toMatch(reason);
  });

  it("stops a gzip bomb at the decompressed-size cap", () => {
    const bomb = gzipSync(Buffer.alloc(MAX_DECODED_BYTES + 1024, 0x20)).toString("base64");
    expect(bomb.length).toBeLessThan(MAX_ENCODED_CHARS);
    expect(reasonOf({ awslogs: { data: bomb } })).toMatch(/decompresses to more than/);
  });

  it("never quotes the payload's content in its reason", () => {
    const secret = "hunter2-db-password";
    const reason = reasonOf({ awslogs: { data: gzipBase64(`{"password":"${secret}"`) } });
    expect(reason).not.toContain(secret);
  });
});

describe("parseAuditMessage", () => {
  it("reads an audit.k8s.io/v1 Event", () => {
    const parsed = parseAuditMessage(JSON.stringify(auditEvent("pod-create-seed")));
    expect("event" in parsed && parsed.event.auditID).toBe("6f0c1a52-8d4e-4c1b-9a7e-3b2f51d0c9a1");
  });

  it.each([
    ["a truncated message", '{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Req', /not JSON/],
    [
      "another kind",
      JSON.stringify({ ...auditEvent("pod-create-seed"), kind: "Policy" }),
      /not a Kubernetes audit event/,
    ],
    [
      "an event without auditID",
      JSON.stringify({ ...auditEvent("pod-create-seed"), auditID: undefined }),
      /auditID/,
    ],
  ])("rejects %s", (_name, message, reason) => {
    const parsed = parseAuditMessage(message);
    expect("problem" in parsed && parsed.problem).toMatch(reason);
  });

  it("keeps secrets in a body out of its reasons", () => {
    const event = auditEvent("pod-create-seed");
    const message = JSON.stringify({ ...event, verb: 42, requestObject: { env: "AKIA-secret-value" } });
    const parsed = parseAuditMessage(message);
    expect("problem" in parsed && parsed.problem).not.toContain("AKIA-secret-value");
  });
});

describe("clusterOfLogGroup", () => {
  it("names the cluster of an EKS control plane log group, and nothing else", () => {
    expect(clusterOfLogGroup("/aws/eks/prod-eks/cluster")).toBe("prod-eks");
    expect(clusterOfLogGroup("/aws/eks/prod-eks/other")).toBeUndefined();
    expect(clusterOfLogGroup("/aws/lambda/prod-eks")).toBeUndefined();
    expect(clusterOfLogGroup("/aws/eks//cluster")).toBeUndefined();
  });
});

describe("sample audit events", () => {
  const dir = join(import.meta.dirname, "..", "..", "events", "eks-audit", "audit-events");
  it.each([
    "pod-create-seed",
    "daemonset-create-privileged",
    "deployment-patch-set-image",
    "deployment-delete",
    "pod-create-by-replicaset-controller",
    "pod-ephemeralcontainers-debug",
    "pod-status-patch-by-kubelet",
    "namespace-create",
    "networkpolicy-create",
    "networkpolicy-delete",
  ])("%s is a well-formed audit.k8s.io/v1 Event", (name) => {
    const parsed = parseAuditMessage(readFileSync(join(dir, `${name}.json`), "utf8"));
    expect("event" in parsed && parsed.event).toMatchObject({ apiVersion: "audit.k8s.io/v1", kind: "Event" });
  });
});
