import { DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  type EC2ClientConfig,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startFaultProxy, type FaultKind, type FaultProxy, type ProxiedService } from "./fault-proxy";
import { startLocalAws, type LocalAws } from "./server";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

type AnyClient = EC2Client | DynamoDBClient | SNSClient;
type ClientConfig = Pick<
  EC2ClientConfig,
  "endpoint" | "region" | "credentials" | "logger" | "maxAttempts" | "retryMode" | "requestHandler"
>;

/** One cheap read per service, through the given client. */
const probes: Record<Exclude<ProxiedService, "unknown">, (c: AnyClient) => Promise<{ attempts?: number }>> = {
  ec2: async (c) => (await (c as EC2Client).send(new DescribeSecurityGroupsCommand({}))).$metadata,
  dynamodb: async (c) => (await (c as DynamoDBClient).send(new ListTablesCommand({}))).$metadata,
  // CreateTopic is idempotent; local-aws models no list calls for SNS.
  sns: async (c) => (await (c as SNSClient).send(new CreateTopicCommand({ Name: "probe" }))).$metadata,
};

describe("fault proxy in front of local-aws, with the real SDK v3 clients", () => {
  let aws: LocalAws;
  let direct: EC2Client;
  const proxies: FaultProxy[] = [];
  const clients: AnyClient[] = [];

  beforeAll(async () => {
    aws = await startLocalAws();
    direct = new EC2Client({ endpoint: aws.endpoint, region: "us-east-1", credentials });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    direct?.destroy();
    await aws?.close();
  });

  async function proxy(options: Omit<Parameters<typeof startFaultProxy>[0], "target">) {
    const started = await startFaultProxy({ target: aws.endpoint, ...options });
    proxies.push(started);
    return started;
  }

  const makers = {
    ec2: (config: ClientConfig) => new EC2Client(config),
    dynamodb: (config: ClientConfig) => new DynamoDBClient(config),
    sns: (config: ClientConfig) => new SNSClient(config),
  };

  function client<S extends keyof typeof makers>(
    service: S,
    endpoint: string,
    extra: Partial<ClientConfig> = {},
  ): ReturnType<(typeof makers)[S]> {
    const made = makers[service]({ endpoint, region: "us-east-1", credentials, logger: quiet, ...extra });
    clients.push(made);
    return made as ReturnType<(typeof makers)[S]>;
  }

  it("forwards requests unchanged when no fault is drawn", async () => {
    const p = await proxy({ rates: {} });
    const ec2 = client("ec2", p.endpoint);
    const sns = client("sns", p.endpoint);
    const created = await ec2.send(new CreateSecurityGroupCommand({ GroupName: "fwd", Description: "fwd" }));
    expect(aws.ec2State.group(created.GroupId ?? "")).toBeDefined();
    const topic = await sns.send(new CreateTopicCommand({ Name: "fwd" }));
    expect(topic.TopicArn).toMatch(/:fwd$/);
    await client("dynamodb", p.endpoint).send(new ListTablesCommand({}));
    expect(p.injected).toEqual({
      throttle: 0,
      serverError: 0,
      timeout: 0,
      timeoutAfterForward: 0,
      passed: 3,
    });
    expect(p.log.map((r) => `${r.service} ${r.action} ${r.status}`)).toEqual([
      "ec2 CreateSecurityGroup 200",
      "sns CreateTopic 200",
      "dynamodb ListTables 200",
    ]);
  });

  describe.each(["ec2", "dynamodb", "sns"] as const)("%s", (service) => {
    it.each([
      ["throttle", { ec2: "RequestLimitExceeded", dynamodb: "ThrottlingException", sns: "Throttling" }],
      ["serverError", undefined],
    ] as const)("answers %s in the service's dialect", async (kind, names) => {
      const p = await proxy({ rates: {}, script: () => kind });
      const once = client(service, p.endpoint, { maxAttempts: 1 });
      const error = await probes[service](once).then(
        () => undefined,
        (e: unknown) => e as Error & { $metadata?: { httpStatusCode?: number } },
      );
      expect(error).toBeDefined();
      if (names) expect(error?.name).toBe(names[service]);
      else expect([500, 503]).toContain(error?.$metadata?.httpStatusCode);
    });

    it.each(["throttle", "serverError", "timeout"] as const)(
      "the SDK retries a %s and succeeds on the next attempt",
      async (kind: FaultKind) => {
        const p = await proxy({ rates: {}, script: (r) => (r.attempt === 1 ? kind : "pass") });
        // throwOnRequestTimeout: without it requestTimeout only logs a warning (see below).
        const requestHandler = { requestTimeout: 300, throwOnRequestTimeout: true };
        const c = client(service, p.endpoint, { maxAttempts: 3, requestHandler });
        const metadata = await probes[service](c);
        expect(metadata.attempts).toBe(2);
        expect(p.log.map((r) => r.fault)).toEqual([kind, "passed"]);
      },
    );
  });

  it("a timeout holds the request until the client gives up", async () => {
    const p = await proxy({ rates: { timeout: 1 }, holdMs: 5_000 });
    const requestHandler = { requestTimeout: 200, throwOnRequestTimeout: true };
    const ec2 = client("ec2", p.endpoint, { maxAttempts: 1, requestHandler });
    const reachedBackend = aws.requests.length;
    const started = performance.now();
    await expect(ec2.send(new DescribeSecurityGroupsCommand({}))).rejects.toMatchObject({
      name: "TimeoutError",
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
    expect(aws.requests.length).toBe(reachedBackend);
  });

  it("SDK behaviour: requestTimeout alone only warns; the held request ends when the proxy drops it", async () => {
    const p = await proxy({ rates: {}, script: (r) => (r.attempt === 1 ? "timeout" : "pass"), holdMs: 800 });
    const warnings: string[] = [];
    const logger = { ...quiet, warn: (message: string) => void warnings.push(String(message)) };
    const ec2 = client("ec2", p.endpoint, {
      maxAttempts: 2,
      requestHandler: { requestTimeout: 150, logger },
    });
    const started = performance.now();
    const out = await ec2.send(new DescribeSecurityGroupsCommand({}));
    // Not aborted at 150 ms: the first attempt waited for the proxy to destroy the socket (ECONNRESET).
    expect(performance.now() - started).toBeGreaterThanOrEqual(780);
    expect(out.$metadata.attempts).toBe(2);
    expect(warnings.join("\n")).toMatch(/exceeded the configured 150 ms requestTimeout/);
  });

  it("timeoutAfterForward: the backend acts, the client never hears, its retry finds the rule gone", async () => {
    const group = await direct.send(new CreateSecurityGroupCommand({ GroupName: "taf", Description: "taf" }));
    const groupId = group.GroupId ?? "";
    const added = await direct.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    const ruleId = added.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? "";
    const p = await proxy({
      rates: {},
      script: (r) =>
        r.action === "RevokeSecurityGroupIngress" && r.attempt === 1 ? "timeoutAfterForward" : "pass",
    });
    const requestHandler = { requestTimeout: 300, throwOnRequestTimeout: true };
    const ec2 = client("ec2", p.endpoint, { maxAttempts: 3, requestHandler });
    await expect(
      ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: [ruleId] })),
    ).rejects.toMatchObject({ name: "InvalidSecurityGroupRuleId.NotFound" });
    expect(aws.ec2State.ingressRules(groupId)).toEqual([]);
    expect(p.log.map((r) => [r.fault, r.backendStatus, r.status])).toEqual([
      ["timeoutAfterForward", 200, undefined],
      ["passed", 400, 400],
    ]);
  });

  it("is deterministic: the same seed gives the same faults for the same requests", async () => {
    const rates = { throttle: 0.2, serverError: 0.2, timeout: 0.1 };
    const runs: string[][] = [];
    for (const seed of [7, 7, 8]) {
      const p = await proxy({ rates, seed, holdMs: 50 });
      const ec2 = client("ec2", p.endpoint, { maxAttempts: 1 });
      for (let i = 0; i < 24; i++)
        await ec2.send(new DescribeSecurityGroupsCommand({})).catch(() => undefined);
      runs.push(p.log.map((r) => r.fault));
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]).not.toEqual(runs[2]);
    expect(new Set(runs[0])).toEqual(new Set(["passed", "throttle", "serverError", "timeout"]));
  });

  it("delays every request by delayMs (jitter drawn apart from the faults)", async () => {
    const p = await proxy({ rates: {}, delayMs: [80, 120] });
    const ec2 = client("ec2", p.endpoint);
    const started = performance.now();
    await ec2.send(new DescribeSecurityGroupsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
  });

  it("`only` limits faults to matching requests; `spareLastAttempt` lets the last attempt through", async () => {
    const p = await proxy({
      rates: { serverError: 1 },
      only: (r) => r.service === "ec2",
      spareLastAttempt: true,
    });
    const sns = client("sns", p.endpoint, { maxAttempts: 1 });
    await sns.send(new CreateTopicCommand({ Name: "only" }));
    const ec2 = client("ec2", p.endpoint, { maxAttempts: 3, retryMode: "standard" });
    const out = await ec2.send(new DescribeSecurityGroupsCommand({}));
    expect(out.$metadata.attempts).toBe(3);
    expect(p.log.map((r) => `${r.service} ${r.attempt} ${r.fault}`)).toEqual([
      "sns 1 passed",
      "ec2 1 serverError",
      "ec2 2 serverError",
      "ec2 3 passed",
    ]);
    p.setRates({});
    await ec2.send(new DescribeSecurityGroupsCommand({}));
    expect(p.injected).toMatchObject({ serverError: 2, passed: 3 });
    expect(() => p.setRates({ throttle: 0.7, timeout: 0.7 })).toThrow(/sum to at most 1/);
  });
});
