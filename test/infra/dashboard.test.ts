import { beforeAll, afterAll, describe, expect, it } from "vitest";
import type { Template } from "aws-cdk-lib/assertions";
import { DEAD_LETTER_TAGS } from "../../infra/detection-function";
import { removeSynthOutputs, resourcesOfType, synthVigil, type CfnResource } from "./synth";

/**
 * Operating Vigil in the template: dead-letter queues that survive redeploys and are found by
 * `vigil redrive`, one depth alarm each (not two), the remediation-failure alarm on the EMF
 * metric the handlers write, and a dashboard that graphs them.
 */

let template: Template;
beforeAll(() => {
  template = synthVigil().template;
}, 180_000);
afterAll(removeSynthOutputs);

const deadLetterQueues = () =>
  resourcesOfType(template, "AWS::SQS::Queue").filter(([id]) => /DeadLetterQueue[0-9A-F]{8}$/.test(id));
const alarms = () => resourcesOfType(template, "AWS::CloudWatch::Alarm");
const functions = () => resourcesOfType(template, "AWS::Lambda::Function");

/** The dashboard body with its tokens rendered as `{Ref|GetAtt:...}` markers, parsed. */
function dashboardBody(): { widgets: { type: string; properties: Record<string, unknown> }[] } {
  const [[, dashboard] = ["", {} as CfnResource]] = resourcesOfType(template, "AWS::CloudWatch::Dashboard");
  const body = (dashboard.Properties?.DashboardBody as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1];
  const text = body
    .map((part) => {
      if (typeof part === "string") return part;
      const ref = part as { Ref?: string; "Fn::GetAtt"?: [string, string] };
      return ref.Ref ? `{Ref:${ref.Ref}}` : `{GetAtt:${ref["Fn::GetAtt"]?.join(".")}}`;
    })
    .join("");
  return JSON.parse(text) as ReturnType<typeof dashboardBody>;
}

describe("dead-letter queues: nothing lost on redeploy", () => {
  it("keeps the logical ids they had (a new id would be a new, empty queue)", () => {
    // At least these (new functions bring new queues); each keeps the id it was deployed with.
    expect(deadLetterQueues().map(([id]) => id)).toEqual(
      expect.arrayContaining([
        "CloudTrailEventDeadLetterQueue4D7702FA",
        "ConfigChangeDeadLetterQueue04DA3966",
        "EksAuditDeadLetterQueue3EC4D19A",
        "EksAuditSubscriberDeadLetterQueue748B27B8",
        "ServiceEventDeadLetterQueue2704176E",
        "SweepPlannerDeadLetterQueue59059D66",
        "SweepWorkerDeadLetterQueue30B6F3D0",
      ]),
    );
  });

  it("retains every queue on delete and replacement, keeps messages 14 days, encrypted, TLS only", () => {
    for (const [id, queue] of deadLetterQueues()) {
      expect(queue, id).toMatchObject({ DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
      expect(queue.Properties, id).toMatchObject({
        MessageRetentionPeriod: 14 * 24 * 3600,
        SqsManagedSseEnabled: true,
      });
      const policies = Object.values(template.findResources("AWS::SQS::QueuePolicy")).filter((p) =>
        JSON.stringify(p).includes(`"${id}"`),
      );
      expect(JSON.stringify(policies), id).toContain('"aws:SecureTransport":"false"');
    }
  });

  it("tags each queue for `vigil redrive`, and each is the DeadLetterConfig of exactly one function", () => {
    for (const [id, queue] of deadLetterQueues()) {
      const label = id.replace(/DeadLetterQueue[0-9A-F]{8}$/, "");
      expect(queue.Properties?.Tags, id).toEqual(
        expect.arrayContaining([
          { Key: DEAD_LETTER_TAGS.source, Value: label },
          { Key: DEAD_LETTER_TAGS.redrive, Value: "invoke" },
        ]),
      );
      const owners = functions().filter(
        ([, fn]) =>
          JSON.stringify(fn.Properties?.DeadLetterConfig) ===
          JSON.stringify({ TargetArn: { "Fn::GetAtt": [id, "Arn"] } }),
      );
      expect(
        owners.map(([fnId]) => fnId.replace(/Function[0-9A-F]{8}$/, "")),
        id,
      ).toEqual([label]);
    }
  });
});

describe("alarms", () => {
  it("alarms once per dead-letter queue (the detection function's alarm is reused, not duplicated)", () => {
    for (const [id] of deadLetterQueues()) {
      const watching = alarms().filter(
        ([, alarm]) =>
          alarm.Properties?.MetricName === "ApproximateNumberOfMessagesVisible" &&
          JSON.stringify(alarm.Properties?.Dimensions) ===
            JSON.stringify([{ Name: "QueueName", Value: { "Fn::GetAtt": [id, "QueueName"] } }]),
      );
      expect(watching, id).toHaveLength(1);
      expect(watching[0]?.[1].Properties, id).toMatchObject({
        Namespace: "AWS/SQS",
        Statistic: "Maximum",
        Threshold: 1,
        ComparisonOperator: "GreaterThanOrEqualToThreshold",
        TreatMissingData: "notBreaching",
        AlarmActions: [{ Ref: expect.stringMatching(/^AlertsTopic/) }],
      });
    }
  });

  it("alarms on one remediation failure in five minutes, on the metric the handlers emit", () => {
    const found = alarms().filter(([, a]) => a.Properties?.MetricName === "RemediationFailures");
    expect(found).toHaveLength(1);
    expect(found[0]?.[1].Properties).toEqual({
      AlarmDescription: expect.stringContaining("remediation failed"),
      Namespace: "Vigil",
      MetricName: "RemediationFailures",
      Dimensions: [{ Name: "service", Value: "vigil" }],
      Statistic: "Sum",
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: "GreaterThanOrEqualToThreshold",
      TreatMissingData: "notBreaching",
      AlarmActions: [{ Ref: expect.stringMatching(/^AlertsTopic/) }],
    });
  });
});

describe("the dashboard", () => {
  const widget = (title: string) => {
    const found = dashboardBody().widgets.find((w) => w.properties.title === title);
    if (!found) throw new Error(`no widget "${title}"`);
    return found.properties as { metrics?: unknown[][]; alarms?: string[] };
  };

  it("shows every alarm", () => {
    const shown = widget("Alarms").alarms ?? [];
    // The remediation failures alarm, one per dead-letter queue, and the sweep's failed executions.
    expect(shown).toHaveLength(deadLetterQueues().length + 2);
    expect(shown).toContain(
      "{GetAtt:" +
        alarms().find(([, a]) => a.Properties?.MetricName === "RemediationFailures")?.[0] +
        ".Arn}",
    );
  });

  it("graphs events received per EventType, the findings and the failures, as the handlers emit them", () => {
    expect(widget("Events received by type").metrics).toEqual(
      ["cloudtrail", "config", "service", "eks-audit", "sweep"].map((type) => [
        "Vigil",
        "EventsReceived",
        "EventType",
        type,
        "service",
        "vigil",
        { label: type, stat: "Sum" },
      ]),
    );
    const names = (title: string) => (widget(title).metrics ?? []).map((m) => m[1]);
    expect(names("Findings")).toEqual([
      "FindingsOpened",
      "FindingsRemediated",
      "FindingsResolved",
      "FindingsSuppressed",
    ]);
    expect(names("Remediation failures and errors")).toEqual([
      "RemediationFailures",
      "ProcessingErrors",
      "EventsRejected",
    ]);
  });

  it("graphs the depth of every dead-letter queue", () => {
    const queues = (widget("Dead-letter queue depth").metrics ?? []).map((m) => m[3]);
    expect(queues.sort()).toEqual(
      deadLetterQueues()
        .map(([id]) => `{GetAtt:${id}.QueueName}`)
        .sort(),
    );
  });

  it("graphs Duration p50/p99 of every function and the event-to-decision latency per type", () => {
    const duration = widget("Handler duration p50 / p99 (ms)").metrics ?? [];
    expect(duration).toHaveLength(functions().length * 2);
    expect(duration[0]).toEqual([
      "AWS/Lambda",
      "Duration",
      "FunctionName",
      expect.stringMatching(/^\{Ref:\w+Function[0-9A-F]{8}\}$/),
      expect.objectContaining({ stat: "p50" }),
    ]);
    const latency = widget("Event to decision p50 / p99 (ms)").metrics ?? [];
    expect(latency.map((m) => [m[1], m[3], (m[6] as { stat: string }).stat])).toEqual(
      ["cloudtrail", "config", "service", "eks-audit"].flatMap((type) => [
        ["ProcessingLatency", type, "p50"],
        ["ProcessingLatency", type, "p99"],
      ]),
    );
  });
});
