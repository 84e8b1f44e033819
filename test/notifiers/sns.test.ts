import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { alertText } from "../../shared/notifiers/format";
import { SNS_MAX_MESSAGE_BYTES, SnsNotifier, type SnsAlertPayload } from "../../shared/notifiers/sns";
import { sgAlert, sgFinding } from "./fixtures";

const TOPIC_ARN = "arn:aws:sns:us-east-1:111122223333:vigil-alerts";
const sns = mockClient(SNSClient);

/** What a subscriber does: the JSON follows the message's last blank line. */
function jsonPart(message: string): SnsAlertPayload {
  return JSON.parse(message.slice(message.lastIndexOf("\n\n") + 2)) as SnsAlertPayload;
}

function publishedInputs() {
  return sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
}

describe("SnsNotifier", () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: "5f0b3f3e-7a53-5c4b-9f3c-0c1d2e3f4a5b" });
  });

  it("publishes subject, text + JSON and filterable attributes", async () => {
    const alert = sgAlert();
    const notifier = new SnsNotifier({ client: new SNSClient({ region: "us-east-1" }), topicArn: TOPIC_ARN });
    expect(notifier.name).toBe("sns");

    await notifier.send(alert);

    const json = {
      resource: alert.resource,
      findings: alert.findings,
      actor: alert.actor,
      eventTime: alert.eventTime,
      eventId: alert.eventId,
    };
    expect(publishedInputs()).toEqual([
      {
        TopicArn: TOPIC_ARN,
        Subject: "[CRITICAL] Vigil: sg-07c1e5a9d3b2f4068 EC2.19, EC2.13 - remediated",
        Message: `${alertText(alert)}\n\n${JSON.stringify(json, null, 2)}`,
        MessageAttributes: {
          severity: { DataType: "String", StringValue: "CRITICAL" },
          checkId: { DataType: "String.Array", StringValue: '["EC2.19","EC2.13"]' },
        },
      },
    ]);
    const message = publishedInputs()[0]?.Message ?? "";
    expect(message).toContain("npm run vigil -- undo vf-63cf164a2359498e5aa04e6a");
    expect(jsonPart(message)).toEqual(json);
  });

  it("flags a tampering alert in the JSON, so subscribers can page on it", async () => {
    await new SnsNotifier({ client: new SNSClient({}), topicArn: TOPIC_ARN }).send(
      sgAlert({ tampering: true }),
    );
    const message = publishedInputs()[0]?.Message ?? "";
    expect(jsonPart(message).tampering).toBe(true);
    expect(message).toContain("Was this you?");
  });

  it("drops evidence, and says so, when the message would pass 256 KB", async () => {
    const huge = sgFinding("EC2.19", { evidence: [{ rule: { description: "x".repeat(300_000) } }] });
    const alert = sgAlert({ findings: [huge, sgFinding("EC2.13")] });
    await new SnsNotifier({ client: new SNSClient({}), topicArn: TOPIC_ARN }).send(alert);

    const message = publishedInputs()[0]?.Message ?? "";
    expect(Buffer.byteLength(message)).toBeLessThan(SNS_MAX_MESSAGE_BYTES);
    expect(message.startsWith(alertText(alert))).toBe(true);
    expect(message).toContain("evidence was left out of the JSON below to fit SNS's 256 KB limit");
    const json = jsonPart(message);
    expect(json.trimmed).toBe("evidence");
    expect(json.findings.map((finding) => ("evidence" in finding ? finding.evidence : undefined))).toEqual([
      [],
      [],
    ]);
    expect(json.findings.map((finding) => finding.id)).toEqual(alert.findings.map((finding) => finding.id));
  });

  it("abridges findings when dropping evidence is not enough", async () => {
    const history = Array.from({ length: 3000 }, (_, n) => ({
      from: "OPEN" as const,
      to: "REMEDIATED" as const,
      at: new Date(Date.UTC(2025, 0, 1, 0, n)).toISOString(),
      eventId: `event-${n}-${"0".repeat(40)}`,
    }));
    const alert = sgAlert({ findings: [sgFinding("EC2.19", { history }), sgFinding("EC2.13")] });
    await new SnsNotifier({ client: new SNSClient({}), topicArn: TOPIC_ARN }).send(alert);

    const message = publishedInputs()[0]?.Message ?? "";
    expect(Buffer.byteLength(message)).toBeLessThan(SNS_MAX_MESSAGE_BYTES);
    expect(message).toContain("findings below are abridged");
    const json = jsonPart(message);
    expect(json.trimmed).toBe("findings");
    expect(json.findings[0]).toEqual({
      id: alert.findings[0]?.id,
      checkId: "EC2.19",
      title: alert.findings[0]?.title,
      controls: ["FSBP EC2.19"],
      severity: "CRITICAL",
      status: "REMEDIATED",
      remediation: alert.findings[0]?.remediation,
    });
  });

  it("stays under the limit with thousands of findings, keeping parseable JSON", async () => {
    const findings = Array.from({ length: 3000 }, (_, n) =>
      sgFinding("EC2.13", {
        id: `vf-${String(n).padStart(24, "0")}`,
        summary: `rule ${n} ${"é".repeat(200)}`,
      }),
    );
    await new SnsNotifier({ client: new SNSClient({}), topicArn: TOPIC_ARN }).send(sgAlert({ findings }));

    const message = publishedInputs()[0]?.Message ?? "";
    expect(Buffer.byteLength(message)).toBeLessThan(SNS_MAX_MESSAGE_BYTES);
    expect(message).toContain("this alert was cut to fit SNS's 256 KB limit");
    const json = jsonPart(message);
    expect(json.trimmed).toBe("text");
    expect(json.resource.id).toBe("sg-07c1e5a9d3b2f4068");
  });

  it("lets SNS errors through for the caller to retry", async () => {
    sns.on(PublishCommand).rejects(new Error("AuthorizationError: not allowed to publish"));
    await expect(
      new SnsNotifier({ client: new SNSClient({}), topicArn: TOPIC_ARN }).send(sgAlert()),
    ).rejects.toThrow("AuthorizationError");
  });
});
