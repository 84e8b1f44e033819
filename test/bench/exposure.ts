import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { parseConfig } from "../../shared/config/load";
import { runtimeFromEnv } from "../../shared/pipeline/environment";
import { processEvent } from "../../shared/pipeline/process-event";
import { startLocalAws } from "../support/local-aws/server";

const SAMPLE = join(import.meta.dirname, "..", "..", "events/security-group/authorize-ssh-world-ipv4.json");

export interface ExposureMeasure {
  latencyMs: number;
  runs: number;
  /** Handler start to the revoke's answer. */
  medianToRevokeMs: number;
  p95ToRevokeMs: number;
  /** Handler start to return (store + alert included). */
  medianHandlerMs: number;
  /** AWS requests before the revoke (tag read, store read), and of those, EC2 ones. */
  callsBeforeRevoke: number;
  ec2CallsBeforeRevoke: number;
}

export interface ThroughputMeasure {
  events: number;
  eventsPerSecond: number;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

/**
 * The world-open SSH event through the full handler path against a local AWS-compatible endpoint
 * (EC2 and SNS doubles, DynamoDB on dynalite) with a fixed simulated latency per request.
 */
export async function measureExposure(
  latencyMs: number,
  runs: number,
): Promise<{ exposure: ExposureMeasure; throughput: ThroughputMeasure }> {
  const aws = await startLocalAws({ latencyMs });
  const clientConfig = {
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  const ec2 = new EC2Client(clientConfig);
  const sns = new SNSClient(clientConfig);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: "vigil-bench" }))).TopicArn ?? "";
  const env = {
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    FINDINGS_TABLE: "vigil-bench",
    ALERT_TOPIC_ARN: topicArn,
  };
  Object.assign(process.env, env);
  const owned = await runtimeFromEnv(parseConfig({}), { env });
  const template = readFileSync(SAMPLE, "utf8");

  async function freshEvent() {
    const name = `bench-${randomUUID().slice(0, 8)}`;
    const groupId =
      (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name }))).GroupId ?? "";
    const out = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const ruleId = out.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? "";
    const text = template
      .replaceAll("sg-07c1e5a9d3b2f4068", groupId)
      .replaceAll("sgr-0d27a9c4e81f35b60", ruleId);
    return { ...JSON.parse(text), id: randomUUID() } as Record<string, unknown>;
  }

  // The revoke completes when its answer reaches the client: time it there.
  const timer = { revokedAt: Number.NaN };
  (await owned.runtime.remediationClients?.ec2())?.middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      if (context.commandName === "RevokeSecurityGroupIngressCommand") timer.revokedAt = performance.now();
      return result;
    },
    { step: "initialize", name: "benchRevokeTimer" },
  );

  const toRevoke: number[] = [];
  const handler: number[] = [];
  let callsBeforeRevoke = 0;
  let ec2CallsBeforeRevoke = 0;
  // One warm-up run: the first one pays for module loading and connection set-up.
  for (let i = 0; i <= runs; i++) {
    const event = await freshEvent();
    const firstRequest = aws.requests.length;
    const started = performance.now();
    timer.revokedAt = Number.NaN;
    await processEvent(event, owned.runtime);
    const ended = performance.now();
    if (i === 0) continue;
    toRevoke.push(timer.revokedAt - started);
    handler.push(ended - started);
    const before = aws.requests.slice(firstRequest);
    const revokeIndex = before.findIndex((r) => r.action === "RevokeSecurityGroupIngress");
    callsBeforeRevoke = revokeIndex;
    ec2CallsBeforeRevoke = before.slice(0, revokeIndex).filter((r) => r.service === "ec2").length;
  }

  // Throughput: the same path, back to back.
  const events = await Promise.all(Array.from({ length: runs }, () => freshEvent()));
  const started = performance.now();
  for (const event of events) await processEvent(event, owned.runtime);
  const seconds = (performance.now() - started) / 1000;

  await owned.close();
  ec2.destroy();
  sns.destroy();
  await aws.close();
  return {
    exposure: {
      latencyMs,
      runs,
      medianToRevokeMs: quantile(toRevoke, 0.5),
      p95ToRevokeMs: quantile(toRevoke, 0.95),
      medianHandlerMs: quantile(handler, 0.5),
      callsBeforeRevoke,
      ec2CallsBeforeRevoke,
    },
    throughput: { events: runs, eventsPerSecond: runs / seconds },
  };
}
