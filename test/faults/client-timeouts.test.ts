import { DescribeSecurityGroupsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standardClientConfig } from "../../shared/aws/clients";
import { startFaultProxy, type FaultProxy } from "../support/local-aws/fault-proxy";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";

/**
 * Vigil's clients are built with `standardClientConfig`, whose request handler sets a
 * `requestTimeout`. In this SDK (@smithy/node-http-handler 4.x) that alone only logs a warning when
 * the time is up; the request is abandoned (and retried) only with `throwOnRequestTimeout: true`.
 * The first attempt of each command here gets no answer: the proxy holds it for HOLD_MS, then drops
 * the connection. The production timeout is scaled down to 200 ms to keep the test short.
 */

const HOLD_MS = 1_500;
const TIMEOUT_MS = 200;

describe("a stalled request with Vigil's client settings", () => {
  let aws: LocalAws;
  let proxy: FaultProxy;

  beforeAll(async () => {
    aws = await startLocalAws();
    proxy = await startFaultProxy({
      target: aws.endpoint,
      rates: {},
      script: (r) => (r.attempt === 1 ? "timeout" : undefined),
      holdMs: HOLD_MS,
    });
  });
  afterAll(async () => {
    await proxy?.close();
    await aws?.close();
  });

  async function describeThroughProxy(extra: { throwOnRequestTimeout?: boolean }) {
    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => void warnings.push(String(m)) };
    const ec2 = new EC2Client({
      ...standardClientConfig,
      requestHandler: {
        ...standardClientConfig.requestHandler,
        requestTimeout: TIMEOUT_MS,
        logger,
        ...extra,
      },
      endpoint: proxy.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const started = performance.now();
    try {
      const out = await ec2.send(new DescribeSecurityGroupsCommand({}));
      return { elapsed: performance.now() - started, attempts: out.$metadata.attempts, warnings };
    } finally {
      ec2.destroy();
    }
  }

  it("the standard client settings abandon a stalled request at requestTimeout", () => {
    expect(standardClientConfig.requestHandler).toMatchObject({ throwOnRequestTimeout: true });
  });

  it("with throwOnRequestTimeout: true the same settings give up at requestTimeout and retry", async () => {
    const { elapsed, attempts } = await describeThroughProxy({ throwOnRequestTimeout: true });
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    expect(elapsed).toBeLessThan(HOLD_MS - 200);
    expect(attempts).toBe(2);
  });
});
