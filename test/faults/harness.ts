import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { standardClientConfig } from "../../shared/aws/clients";
import { checks } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import { DynamoFindingsStore } from "../../shared/findings/dynamo-store";
import { findingId } from "../../shared/findings/id";
import { ensureFindingsTable } from "../../shared/findings/local-dynamo";
import type { Finding } from "../../shared/findings/model";
import type { SnsAlertPayload } from "../../shared/notifiers/sns";
import { SnsNotifier } from "../../shared/notifiers/sns";
import { processEvent, type EventReport } from "../../shared/pipeline/process-event";
import type { VigilRuntime } from "../../shared/pipeline/runtime";
import { remediations } from "../../shared/remediations/catalog";
import { resourceAdapters } from "../../shared/resources/catalog";
import { startFaultProxy, type FaultProxy, type FaultProxyOptions } from "../support/local-aws/fault-proxy";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import type { SnsMessage } from "../support/local-aws/sns";
import { recordingLogger } from "../support/runtime";

/**
 * Vigil's real pipeline (processEvent, DynamoFindingsStore, SnsNotifier, the revoke remediation)
 * against local-aws with a fault proxy in between. Setup and inspection go straight to local-aws;
 * only Vigil's own clients go through the proxy.
 *
 * The runtime is built here rather than with `runtimeFromEnv`, with the production client settings
 * (`standardClientConfig` from shared/aws/clients.ts: standard retry, 5 attempts) but a 500 ms
 * request timeout that is actually enforced. The production `requestTimeout: 3000` lacks
 * `throwOnRequestTimeout: true`, and without it the SDK only logs a warning and keeps waiting
 * (see client-timeouts.test.ts): a held request would last as long as the proxy holds it.
 */

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
/** The checks a world-open SSH rule fails, all remediated by the one revoke (EC2.18 shares it). */
export const SSH_CHECKS = ["EC2.19", "EC2.13", "EC2.53", "EC2.18"] as const;
export const WORLD_SSH = { cidr: "0.0.0.0/0", description: "temp ssh for debugging" };
export const PRIVATE_SSH = { cidr: "10.20.0.0/16", description: "vpn" };

const EVENTS = join(import.meta.dirname, "..", "..", "events", "security-group");
const AUTHORIZE_SAMPLE = readFileSync(join(EVENTS, "authorize-ssh-world-ipv4.json"), "utf8");
const CONFIG_SAMPLE = readFileSync(join(EVENTS, "config-item-world-open-ssh-and-rdp.json"), "utf8");
const credentials = { accessKeyId: "test", secretAccessKey: "test" };

export type VigilEvent = Record<string, unknown> & { id: string };

export interface TestGroup {
  groupId: string;
  groupName: string;
  vpcId: string;
  worldRuleId: string;
  privateRuleId: string;
  /** When the world-open rule was added (the CloudTrail eventTime). */
  authorizedAt: Date;
}

export interface RevokeAtBackend {
  groupId: string;
  ruleId: string;
}

export interface Delivery {
  event: VigilEvent;
  /** Handler invocations: 1 + Lambda retries. */
  attempts: number;
  report: EventReport | undefined;
  errors: string[];
}

export interface HarnessOptions {
  proxy: Omit<FaultProxyOptions, "target">;
  /** Request and connection timeout of Vigil's clients. */
  timeoutMs?: number;
}

/** ISO time at second precision, as CloudTrail writes it. */
const cloudTrailTime = (date: Date) => date.toISOString().replace(/\.\d+Z$/, "Z");

export async function startFaultHarness(options: HarnessOptions) {
  const aws: LocalAws = await startLocalAws();
  const direct = { endpoint: aws.endpoint, region: REGION, credentials };
  const ec2 = new EC2Client(direct);
  const sns = new SNSClient(direct);
  const dynamo = new DynamoDBClient(direct);
  const table = "vigil-findings-faults";
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: "vigil-faults" }))).TopicArn ?? "";
  await ensureFindingsTable(dynamo, table);
  const inspect = new DynamoFindingsStore({ client: dynamo, tableName: table });

  // Successful revokes, as state changes at the backend (not attempts): the rule ids that went away.
  const revokedAtBackend: RevokeAtBackend[] = [];
  const handle = aws.ec2State.handle.bind(aws.ec2State);
  aws.ec2State.handle = (action, params, requestId) => {
    if (action !== "RevokeSecurityGroupIngress") return handle(action, params, requestId);
    const groupId = params.GroupId ?? "";
    const before = aws.ec2State.ingressRules(groupId).map((r) => r.securityGroupRuleId);
    const answer = handle(action, params, requestId);
    const after = new Set(aws.ec2State.ingressRules(groupId).map((r) => r.securityGroupRuleId));
    for (const ruleId of before) if (!after.has(ruleId)) revokedAtBackend.push({ groupId, ruleId });
    return answer;
  };

  const proxy: FaultProxy = await startFaultProxy({ target: aws.endpoint, ...options.proxy });
  const timeoutMs = options.timeoutMs ?? 500;
  const viaProxy = {
    ...standardClientConfig,
    endpoint: proxy.endpoint,
    region: REGION,
    credentials,
    requestHandler: {
      ...standardClientConfig.requestHandler,
      requestTimeout: timeoutMs,
      connectionTimeout: timeoutMs,
      throwOnRequestTimeout: true,
    },
  };
  const vigilEc2 = new EC2Client(viaProxy);
  const vigilDynamo = new DynamoDBClient(viaProxy);
  const vigilSns = new SNSClient(viaProxy);
  const logger = recordingLogger();
  // local-aws serves EC2 (and SNS, DynamoDB); security groups need no other client.
  const absent = (): Promise<never> => Promise.reject(new Error("local-aws does not serve this API"));
  const ec2Clients = {
    ec2: () => vigilEc2,
    ecr: absent,
    ecs: absent,
    lambda: absent,
    secretsManager: absent,
    inspector2: absent,
    kms: absent,
    cloudTrail: absent,
    guardDuty: absent,
    s3: absent,
    s3Control: absent,
    rds: absent,
    sqs: absent,
    sns: absent,
    efs: absent,
    dynamoDb: absent,
    elbv2: absent,
    cloudFront: absent,
    iam: absent,
    eks: absent,
    configService: absent,
  };
  const runtime: VigilRuntime = {
    config: parseConfig({}),
    checks,
    remediations,
    adapters: resourceAdapters,
    store: new DynamoFindingsStore({ client: vigilDynamo, tableName: table, logger }),
    notifiers: [new SnsNotifier({ client: vigilSns, topicArn })],
    readClients: ec2Clients,
    remediationClients: { ...ec2Clients, logger },
    configService: undefined,
    logger,
    now: () => new Date(),
  };

  /** A group with a world-open SSH rule and a private one (which must survive), made directly. */
  async function newGroup(): Promise<TestGroup> {
    const groupName = `faults-${randomUUID().slice(0, 8)}`;
    const created = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: groupName, Description: groupName }),
    );
    const groupId = created.GroupId ?? "";
    const authorizedAt = new Date();
    const out = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [WORLD_SSH, PRIVATE_SSH].map(({ cidr, description }) => ({
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          IpRanges: [{ CidrIp: cidr, Description: description }],
        })),
      }),
    );
    const idOf = (cidr: string) =>
      out.SecurityGroupRules?.find((r) => r.CidrIpv4 === cidr)?.SecurityGroupRuleId;
    const worldRuleId = idOf(WORLD_SSH.cidr);
    const privateRuleId = idOf(PRIVATE_SSH.cidr);
    if (!worldRuleId || !privateRuleId) throw new Error("local-aws returned no rule ids");
    const vpcId = aws.ec2State.group(groupId)?.vpcId ?? "";
    return { groupId, groupName, vpcId, worldRuleId, privateRuleId, authorizedAt };
  }

  /** The sample CloudTrail AuthorizeSecurityGroupIngress event for this group's world-open rule. */
  function authorizeEvent(group: TestGroup): VigilEvent {
    const text = AUTHORIZE_SAMPLE.replaceAll("sg-07c1e5a9d3b2f4068", group.groupId).replaceAll(
      "sgr-0d27a9c4e81f35b60",
      group.worldRuleId,
    );
    const event = JSON.parse(text) as VigilEvent & { time: string; detail: Record<string, unknown> };
    const time = cloudTrailTime(group.authorizedAt);
    event.id = randomUUID();
    event.time = time;
    Object.assign(event.detail, { eventID: randomUUID(), eventTime: time });
    return event;
  }

  /**
   * A Config change notification (the sample item, this group's id) showing the group's ingress as
   * it is at the backend right now, captured at `capturedAt`.
   */
  function configEvent(group: TestGroup, capturedAt: Date): VigilEvent {
    const event = JSON.parse(
      CONFIG_SAMPLE.replaceAll("sg-0c1d2e3f4a5b6c7d8", group.groupId),
    ) as VigilEvent & {
      time: string;
      detail: { notificationCreationTime: string; configurationItem: Record<string, unknown> };
    };
    const captured = capturedAt.toISOString();
    const item = event.detail.configurationItem;
    const configuration = item.configuration as Record<string, unknown>;
    const byPorts = new Map<string, { cidrIp: string; description?: string }[]>();
    for (const rule of aws.ec2State.ingressRules(group.groupId)) {
      const key = `${rule.ipProtocol}|${rule.fromPort}|${rule.toPort}`;
      const range = {
        cidrIp: rule.cidrIpv4 ?? "",
        ...(rule.description ? { description: rule.description } : {}),
      };
      byPorts.set(key, [...(byPorts.get(key) ?? []), range]);
    }
    configuration.ipPermissions = [...byPorts].map(([key, ranges]) => {
      const [ipProtocol, fromPort, toPort] = key.split("|");
      return {
        ipProtocol,
        fromPort: Number(fromPort),
        toPort: Number(toPort),
        ipv6Ranges: [],
        prefixListIds: [],
        userIdGroupPairs: [],
        ipv4Ranges: ranges,
        ipRanges: ranges.map((r) => r.cidrIp),
      };
    });
    Object.assign(configuration, { groupName: group.groupName, vpcId: group.vpcId, tags: [] });
    Object.assign(item, {
      tags: {},
      resourceName: group.groupName,
      configurationItemCaptureTime: captured,
      configurationStateId: capturedAt.getTime(),
      relatedEvents: [],
    });
    event.id = randomUUID();
    event.time = cloudTrailTime(capturedAt);
    event.detail.notificationCreationTime = captured;
    return event;
  }

  /**
   * Runs events through processEvent the way Lambda's async invocation does: an event whose handler
   * throws is invoked again, up to `retries` more times, after the first pass over all events.
   * `parallel`: each pass runs its events concurrently (separate Lambda instances); otherwise in order.
   */
  async function deliver(
    events: VigilEvent[],
    { retries = 3, parallel = true }: { retries?: number; parallel?: boolean } = {},
  ): Promise<Delivery[]> {
    const deliveries = events.map((event): Delivery => ({
      event,
      attempts: 0,
      report: undefined,
      errors: [],
    }));
    let pending = deliveries;
    for (let pass = 0; pass <= retries && pending.length; pass++) {
      const run = async (delivery: Delivery) => {
        delivery.attempts++;
        try {
          delivery.report = await processEvent(delivery.event, runtime);
          return true;
        } catch (error) {
          delivery.errors.push(`${(error as Error).name}: ${(error as Error).message}`);
          return false;
        }
      };
      const ok: boolean[] = [];
      if (parallel) ok.push(...(await Promise.all(pending.map(run))));
      else for (const delivery of pending) ok.push(await run(delivery));
      pending = pending.filter((_, i) => !ok[i]);
    }
    return deliveries;
  }

  /** The finding of `checkId` on the group, read directly (consistent read). */
  const findingIdOf = (groupId: string, checkId: string) =>
    findingId({ account: ACCOUNT, region: REGION, checkId, resourceId: groupId });

  async function findingsOf(groupId: string): Promise<Finding[]> {
    return (await inspect.list()).filter((f) => f.resource.id === groupId);
  }

  /** Alerts published to the topic about this group (the JSON after the message's last blank line). */
  function alertsFor(groupId: string): SnsAlertPayload[] {
    return aws.snsMessages
      .filter((m: SnsMessage) => m.TopicArn === topicArn)
      .map((m) => JSON.parse(m.Message.slice(m.Message.lastIndexOf("\n\n") + 2)) as SnsAlertPayload)
      .filter((payload) => payload.resource.id === groupId);
  }

  /** The group's ingress rule ids as they are now. */
  const ingressIds = (groupId: string) =>
    aws.ec2State.ingressRules(groupId).map((r) => r.securityGroupRuleId);

  return {
    aws,
    proxy,
    runtime,
    logger,
    topicArn,
    revokedAtBackend,
    newGroup,
    authorizeEvent,
    configEvent,
    deliver,
    findingIdOf,
    findingsOf,
    alertsFor,
    ingressIds,
    /** Revoke requests that reached the backend (successful or not). */
    revokeAttemptsAtBackend: (groupId: string) =>
      aws.calls("ec2", "RevokeSecurityGroupIngress").filter((r) => r.params.GroupId === groupId).length,
    async close(): Promise<void> {
      for (const client of [vigilEc2, vigilDynamo, vigilSns, ec2, sns, dynamo]) client.destroy();
      await proxy.close();
      await aws.close();
    },
  };
}

export type FaultHarness = Awaited<ReturnType<typeof startFaultHarness>>;

/** Prints a one-line summary when FAULTS_VERBOSE is set (for investigating; tests stay quiet). */
export function report(label: string, data: unknown): void {
  if (process.env.FAULTS_VERBOSE) console.info(`[faults] ${label}: ${JSON.stringify(data)}`);
}
