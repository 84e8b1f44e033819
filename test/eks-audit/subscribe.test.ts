import {
  CloudWatchLogsClient,
  PutSubscriptionFilterCommand,
  ResourceNotFoundException,
} from "@aws-sdk/client-cloudwatch-logs";
import type { Context } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  LogGroupNotReadyError,
  auditLoggingCall,
  handleAuditLoggingEvent,
  subscribeWhenReady,
} from "../../shared/eks-audit/subscribe";
import { EKS_AUDIT_FILTER_NAME, eksAuditFilterPattern } from "../../shared/eks-audit/subscribe-filter";
import { eksAuditSubscriberHandler } from "../../shared/eks-audit/subscribe-handler";
import type { VigilLogger } from "../../shared/log";
import { loadEvent } from "../support/events";

const DESTINATION = "arn:aws:lambda:us-east-1:111122223333:function:VigilStack-EksAuditFunction";
const logs = mockClient(CloudWatchLogsClient);
const silent: VigilLogger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
const deps = () => ({
  logs: async () => new CloudWatchLogsClient({ region: "us-east-1" }),
  destinationArn: DESTINATION,
  logger: silent,
});
const noWait = { waitMs: 0, intervalMs: 1_000 };
const eksEvent = (name: string) =>
  loadEvent(`eks/${name}.json`) as Record<string, unknown> & { detail: Record<string, unknown> };
const notFound = () =>
  new ResourceNotFoundException({ message: "The specified log group does not exist.", $metadata: {} });

afterEach(() => {
  logs.reset();
  vi.clearAllMocks();
});

describe("auditLoggingCall (the function's own check of what the rule let through)", () => {
  it.each([
    ["UpdateClusterConfig-enable-audit-logging", "payments-prod", "UpdateClusterConfig"],
    ["UpdateClusterConfig-enable-audit-only", "orders-staging", "UpdateClusterConfig"],
    ["CreateCluster-private-encrypted-audited", "payments-prod", "CreateCluster"],
  ])("%s enables audit logging on %s", (name, cluster, eventName) => {
    expect(auditLoggingCall(eksEvent(name))).toEqual({ kind: "enables-audit", cluster, eventName });
  });

  it.each([
    ["UpdateClusterConfig-disable-audit-logging", /does not enable audit logging on payments-prod/],
    ["UpdateClusterConfig-disable-scheduler-logging", /does not enable audit logging/],
    ["UpdateClusterConfig-private-endpoint", /does not enable audit logging/],
    ["CreateCluster-defaults-old-version", /does not enable audit logging/],
    ["DeleteCluster", /not a CreateCluster or UpdateClusterConfig call/],
  ])("%s does not", (name, reason) => {
    expect(auditLoggingCall(eksEvent(name))).toEqual({
      kind: "ignored",
      reason: expect.stringMatching(reason),
    });
  });

  it("an entry enabling api next to one disabling audit (which the rule's pattern lets through) does not", () => {
    const event = eksEvent("UpdateClusterConfig-enable-audit-logging");
    (event.detail.requestParameters as Record<string, unknown>).logging = {
      clusterLogging: [
        { types: ["api"], enabled: true },
        { types: ["audit"], enabled: false },
      ],
    };
    expect(auditLoggingCall(event).kind).toBe("ignored");
  });

  it("a failed call changed nothing", () => {
    const event = eksEvent("UpdateClusterConfig-enable-audit-logging");
    event.detail.errorCode = "ResourceInUseException";
    expect(auditLoggingCall(event)).toEqual({
      kind: "ignored",
      reason: "the call failed (ResourceInUseException)",
    });
  });
});

describe("handleAuditLoggingEvent", () => {
  it("puts Vigil's filter (same name and pattern as the stack's) on the cluster's control plane log group", async () => {
    logs.on(PutSubscriptionFilterCommand).resolves({});
    const report = await handleAuditLoggingEvent(
      eksEvent("UpdateClusterConfig-enable-audit-logging"),
      deps(),
      noWait,
    );
    expect(logs.commandCalls(PutSubscriptionFilterCommand).map((call) => call.args[0].input)).toEqual([
      {
        logGroupName: "/aws/eks/payments-prod/cluster",
        filterName: EKS_AUDIT_FILTER_NAME,
        filterPattern: eksAuditFilterPattern(),
        destinationArn: DESTINATION,
      },
    ]);
    expect(report).toEqual({
      outcome: "subscribed",
      cluster: "payments-prod",
      logGroupName: "/aws/eks/payments-prod/cluster",
      filterName: "vigil-eks-audit",
      eventName: "UpdateClusterConfig",
    });
  });

  it("idempotent: the same event again puts the same filter again (CloudWatch Logs replaces one of the same name)", async () => {
    logs.on(PutSubscriptionFilterCommand).resolves({});
    const event = eksEvent("UpdateClusterConfig-enable-audit-logging");
    await handleAuditLoggingEvent(event, deps(), noWait);
    await handleAuditLoggingEvent(event, deps(), noWait);
    const [first, second] = logs.commandCalls(PutSubscriptionFilterCommand).map((call) => call.args[0].input);
    expect(second).toEqual(first);
  });

  it("sends nothing for a call that does not enable audit logging", async () => {
    const report = await handleAuditLoggingEvent(
      eksEvent("UpdateClusterConfig-disable-audit-logging"),
      deps(),
      noWait,
    );
    expect(report.outcome).toBe("ignored");
    expect(logs.calls()).toEqual([]);
  });

  it("the log group not created yet: throws a retryable error (Lambda retries the invocation) and logs it", async () => {
    logs.on(PutSubscriptionFilterCommand).rejects(notFound());
    const failure = handleAuditLoggingEvent(
      eksEvent("CreateCluster-private-encrypted-audited"),
      deps(),
      noWait,
    );
    await expect(failure).rejects.toBeInstanceOf(LogGroupNotReadyError);
    await expect(failure).rejects.toMatchObject({
      retryable: true,
      logGroupName: "/aws/eks/payments-prod/cluster",
    });
    expect(silent.error).toHaveBeenCalledWith(
      "could not subscribe the EKS audit log",
      expect.objectContaining({ cluster: "payments-prod", retryable: true }),
    );
  });

  it("another CloudWatch Logs error propagates as it is (e.g. two other filters already on the group)", async () => {
    const limit = Object.assign(new Error("Resource limit exceeded."), { name: "LimitExceededException" });
    logs.on(PutSubscriptionFilterCommand).rejects(limit);
    await expect(
      handleAuditLoggingEvent(eksEvent("UpdateClusterConfig-enable-audit-logging"), deps(), noWait),
    ).rejects.toMatchObject({ name: "LimitExceededException" });
    expect(logs.commandCalls(PutSubscriptionFilterCommand)).toHaveLength(1);
  });
});

describe("subscribeWhenReady", () => {
  it("tries again while the log group is missing, within the wait", async () => {
    logs.on(PutSubscriptionFilterCommand).rejectsOnce(notFound()).rejectsOnce(notFound()).resolves({});
    let clock = 0;
    const sleep = vi.fn(async (ms: number) => void (clock += ms));
    const group = await subscribeWhenReady("payments-prod", deps(), {
      waitMs: 60_000,
      intervalMs: 20_000,
      sleep,
      now: () => clock,
    });
    expect(group).toBe("/aws/eks/payments-prod/cluster");
    expect(sleep).toHaveBeenCalledTimes(2);
    expect(logs.commandCalls(PutSubscriptionFilterCommand)).toHaveLength(3);
  });

  it("gives up at the deadline with the retryable error", async () => {
    logs.on(PutSubscriptionFilterCommand).rejects(notFound());
    let clock = 0;
    const sleep = async (ms: number) => void (clock += ms);
    await expect(
      subscribeWhenReady("payments-prod", deps(), {
        waitMs: 60_000,
        intervalMs: 20_000,
        sleep,
        now: () => clock,
      }),
    ).rejects.toBeInstanceOf(LogGroupNotReadyError);
    // At 0, 20 and 40 and 60 seconds; the next would be past the deadline.
    expect(logs.commandCalls(PutSubscriptionFilterCommand)).toHaveLength(4);
  });
});

describe("the Lambda wiring (functions/eks-audit-subscriber.ts)", () => {
  const lambdaContext = {
    functionName: "VigilStack-EksAuditSubscriber",
    awsRequestId: "0f3c2a1b-1111-4222-8333-944455556666",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:VigilStack-EksAuditSubscriber",
  } as unknown as Context;

  it("needs the audit function's ARN", () => {
    expect(() => eksAuditSubscriberHandler({})).toThrow(/EKS_AUDIT_FUNCTION_ARN/);
  });

  it("subscribes the cluster an event names, to the function the stack names", async () => {
    logs.on(PutSubscriptionFilterCommand).resolves({});
    const handler = eksAuditSubscriberHandler({ EKS_AUDIT_FUNCTION_ARN: DESTINATION });
    const report = await handler(eksEvent("UpdateClusterConfig-enable-audit-only"), lambdaContext);
    expect(report).toMatchObject({ outcome: "subscribed", cluster: "orders-staging" });
    expect(logs.commandCalls(PutSubscriptionFilterCommand)[0]?.args[0].input).toMatchObject({
      logGroupName: "/aws/eks/orders-staging/cluster",
      destinationArn: DESTINATION,
    });
  });
});
