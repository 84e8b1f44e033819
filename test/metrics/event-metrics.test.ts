import { DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createVigilMetrics, findingCounts } from "../../shared/metrics/event-metrics";
import { eventTimeOf, eventTypeOf } from "../../shared/metrics/event-type";
import { instrumentedEventHandler } from "../../shared/pipeline/lambda";
import { loadEvent, sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";

const GROUP = "sg-07c1e5a9d3b2f4068";
const context = {
  functionName: "vigil-cloudtrail-event",
  functionVersion: "$LATEST",
  memoryLimitInMB: "512",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:vigil-cloudtrail-event",
  awsRequestId: "5b0f7c1e-2d3a-4e5f-8a9b-0c1d2e3f4a5b",
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Parameters<ReturnType<typeof instrumentedEventHandler>>[1];

interface Emf {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: unknown[] }[];
  };
  [key: string]: unknown;
}

function awsError(name: string): Error {
  return Object.assign(new Error(name), { name, $metadata: {} });
}

/** The EMF documents the handler wrote to stdout, in order (what CloudWatch Logs would extract). */
function captureEmf(): { documents: Emf[]; restore(): void } {
  const documents: Emf[] = [];
  const original = process.stdout.write.bind(process.stdout);
  const spy = vi
    .spyOn(process.stdout, "write")
    .mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      for (const line of text.split("\n").filter(Boolean)) {
        try {
          const parsed = JSON.parse(line) as Partial<Emf>;
          if (parsed._aws) {
            documents.push(parsed as Emf);
            continue;
          }
        } catch {
          // not EMF: let it through
        }
        original(`${line}\n`);
      }
      const callback = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      callback?.();
      return true;
    });
  return { documents, restore: () => spy.mockRestore() };
}

/** A document's metric values and dimensions, without the timestamp. */
function values(doc: Emf | undefined): Record<string, unknown> {
  if (!doc) return {};
  const { _aws, ...rest } = doc;
  return rest;
}

describe("Vigil's metrics (EMF on stdout) from the real pipeline", () => {
  let t: TestRuntime;
  let emf: ReturnType<typeof captureEmf>;
  const now = new Date("2025-03-11T14:02:17.850Z");
  const handlerFor = () =>
    instrumentedEventHandler(
      "cloudtrail-event",
      async () => t.runtime,
      createVigilMetrics(),
      () => now,
    );

  beforeEach(async () => {
    t = await testRuntime({ now: () => now });
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: GROUP, Tags: [{ Key: "team", Value: "platform" }] }] });
    emf = captureEmf();
  });
  afterEach(async () => {
    emf.restore();
    await t.close();
  });

  it("a remediated world-open SSH rule: one event of type cloudtrail, its latency, four findings remediated", async () => {
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    const report = await handlerFor()(sg("authorize-ssh-world-ipv4"), context);
    expect(report.outcome).toBe("processed");

    expect(emf.documents).toHaveLength(2);
    const [byType, service] = emf.documents;
    expect(byType?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: "Vigil",
        Dimensions: [["service", "EventType"]],
        Metrics: [
          { Name: "EventsReceived", Unit: "Count" },
          { Name: "ProcessingLatency", Unit: "Milliseconds" },
        ],
      },
    ]);
    // The CloudTrail eventTime is 2025-03-11T14:02:17Z; the decision came 850 ms later.
    expect(values(byType)).toEqual({
      service: "vigil",
      EventType: "cloudtrail",
      EventsReceived: 1,
      ProcessingLatency: 850,
    });
    expect(service?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([["service"]]);
    expect(values(service)).toEqual({
      service: "vigil",
      FindingsOpened: 0,
      FindingsRemediated: 4,
      FindingsResolved: 0,
      FindingsSuppressed: 0,
      RemediationFailures: 0,
      EventsRejected: 0,
      ProcessingErrors: 0,
    });
  });

  it("a redelivery of the same event changes no finding and counts none", async () => {
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    const handler = handlerFor();
    await handler(sg("authorize-ssh-world-ipv4"), context);
    await handler(sg("authorize-ssh-world-ipv4"), context);
    expect(emf.documents).toHaveLength(4);
    expect(values(emf.documents[3])).toMatchObject({ FindingsOpened: 0, FindingsRemediated: 0 });
    expect(values(emf.documents[2])).toMatchObject({ EventType: "cloudtrail", EventsReceived: 1 });
  });

  it("a revoke that fails for good: the findings are opened and RemediationFailures is 1", async () => {
    t.ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError("UnauthorizedOperation"));
    await handlerFor()(sg("authorize-ssh-world-ipv4"), context);
    expect(values(emf.documents[1])).toMatchObject({
      FindingsOpened: 4,
      FindingsRemediated: 0,
      RemediationFailures: 1,
      ProcessingErrors: 0,
    });
  });

  it("a throttled revoke fails the invocation (Lambda retries it) and still publishes the failure", async () => {
    t.ec2.on(RevokeSecurityGroupIngressCommand).rejects(awsError("RequestLimitExceeded"));
    await expect(handlerFor()(sg("authorize-ssh-world-ipv4"), context)).rejects.toThrow(/remediate/);
    expect(emf.documents).toHaveLength(2);
    // No decision was reached: no latency.
    expect(values(emf.documents[0])).toEqual({
      service: "vigil",
      EventType: "cloudtrail",
      EventsReceived: 1,
    });
    expect(values(emf.documents[1])).toMatchObject({ RemediationFailures: 1, ProcessingErrors: 1 });
  });

  it("a Config item: EventType config, latency from the event's time", async () => {
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    const event = sg("config-item-world-open-ssh-and-rdp");
    const time = Date.parse(String(event.time));
    const later = new Date(time + 1_250);
    const handler = instrumentedEventHandler(
      "config-change",
      async () => t.runtime,
      createVigilMetrics(),
      () => later,
    );
    const report = await handler(event, context);
    expect(report.outcome).toBe("processed");
    expect(values(emf.documents[0])).toEqual({
      service: "vigil",
      EventType: "config",
      EventsReceived: 1,
      ProcessingLatency: 1_250,
    });
  });

  it("a malformed CloudTrail event is counted as received and rejected, with no latency", async () => {
    const report = await handlerFor()(loadEvent("invalid/cloudtrail-missing-fields.json"), context);
    expect(report.outcome).toBe("invalid");
    expect(values(emf.documents[0])).toEqual({
      service: "vigil",
      EventType: "cloudtrail",
      EventsReceived: 1,
    });
    expect(values(emf.documents[1])).toMatchObject({ EventsRejected: 1, FindingsOpened: 0 });
  });

  it("never puts a resource, account or finding id in a dimension", async () => {
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    await handlerFor()(sg("authorize-ssh-world-ipv4"), context);
    const dimensions = emf.documents.flatMap((d) =>
      d._aws.CloudWatchMetrics.flatMap((m) => m.Dimensions.flat()),
    );
    expect(new Set(dimensions)).toEqual(new Set(["service", "EventType"]));
    expect(JSON.stringify(emf.documents)).not.toContain(GROUP);
  });
});

describe("eventTypeOf / eventTimeOf", () => {
  it("types events by detail-type", () => {
    expect(eventTypeOf(sg("authorize-ssh-world-ipv4"))).toBe("cloudtrail");
    expect(eventTypeOf(sg("config-item-world-open-ssh-and-rdp"))).toBe("config");
    expect(eventTypeOf({ "detail-type": "ECR Image Scan", source: "aws.ecr" })).toBe("service");
    expect(eventTypeOf({ "detail-type": "AWS Console Sign In via CloudTrail" })).toBe("cloudtrail");
    expect(eventTypeOf("not an event")).toBe("service");
  });

  it("dates a CloudTrail event by its eventTime, others by the envelope's time", () => {
    expect(
      eventTimeOf({
        "detail-type": "AWS API Call via CloudTrail",
        time: "2025-01-01T00:00:05Z",
        detail: { eventTime: "2025-01-01T00:00:01Z" },
      }),
    ).toBe("2025-01-01T00:00:01Z");
    expect(
      eventTimeOf({
        "detail-type": "Config Configuration Item Change",
        time: "2025-01-01T00:00:05Z",
        detail: {},
      }),
    ).toBe("2025-01-01T00:00:05Z");
    expect(eventTimeOf(null)).toBeUndefined();
  });
});

describe("findingCounts", () => {
  const resource = {
    id: "sg-1",
    arn: "arn:aws:ec2:us-east-1:111122223333:security-group/sg-1",
    type: "AWS::EC2::SecurityGroup",
    account: "111122223333",
    region: "us-east-1",
  };
  it("counts each finding the event wrote by its status, and failed remediation actions", () => {
    const counts = findingCounts({
      outcome: "processed",
      resources: [
        {
          resource,
          findings: [
            { id: "a", checkId: "EC2.19", status: "RESOLVED", changed: true },
            { id: "b", checkId: "EC2.13", status: "SUPPRESSED", changed: true },
            { id: "c", checkId: "EC2.18", status: "OPEN", changed: false },
            { id: "d", checkId: "EC2.53", status: "OPEN", changed: true },
          ],
          remediation: [
            { action: "revoke sgr-1", result: "failed" },
            { action: "revoke sgr-2", result: "succeeded" },
          ],
          awsCalls: 1,
          alerted: true,
        },
      ],
    });
    expect(counts).toEqual({ opened: 1, remediated: 0, resolved: 1, suppressed: 1, remediationFailures: 1 });
    expect(findingCounts(undefined)).toEqual({
      opened: 0,
      remediated: 0,
      resolved: 0,
      suppressed: 0,
      remediationFailures: 0,
    });
  });
});
