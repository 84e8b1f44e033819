import {
  DescribeInstancesCommand,
  DescribeSubnetsCommand,
  ModifyInstanceMetadataOptionsCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  DEFAULTS,
  DEFAULTS_SUBNET,
  LEGACY,
  WORKERS,
  described,
  idFor,
  instanceEvent,
  liveInstance,
} from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status] as const).sort();
const modifies = (t: TestRuntime) =>
  t.ec2.commandCalls(ModifyInstanceMetadataOptionsCommand).map((c) => c.args[0].input);
const describes = (t: TestRuntime) =>
  t.ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input);
/** The live instance behind the reference sample: running, no public address. */
const liveLegacy = (t: TestRuntime, overrides = {}) =>
  t.ec2.on(DescribeInstancesCommand).resolves(described(liveInstance(LEGACY, overrides)));

describe("EC2.8 / EC2.9 through the pipeline: launches", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant (default dry-run): IMDSv1 allowed at launch is OPEN with the planned call; nothing is written", async () => {
    t = await testRuntime();
    liveLegacy(t);
    const report = await processEvent(instanceEvent("RunInstances-imdsv1-httptokens-optional"), t.runtime);

    expect(report.outcome).toBe("processed");
    // One live read settles the public address (the request left it to the subnet) and gives the tags.
    expect(describes(t)).toEqual([{ InstanceIds: [LEGACY] }]);
    expect(modifies(t)).toEqual([]);
    expect(await statuses(t)).toEqual([["EC2.8", LEGACY, "OPEN"]]);
    expect(await t.runtime.store.get(idFor("EC2.8", LEGACY))).toMatchObject({
      severity: "HIGH",
      summary: `instance ${LEGACY} allows IMDSv1 (HttpTokens=optional, metadata endpoint enabled)`,
      evidence: [{ instanceId: LEGACY, httpTokens: "optional", httpEndpoint: "enabled" }],
      actor: { userName: "alice.ops", sourceIp: "198.51.100.23" },
      remediation: {
        remediationId: "require-imdsv2",
        mode: "dry-run",
        result: "planned",
        action: `ModifyInstanceMetadataOptions ${LEGACY} HttpTokens=required HttpEndpoint=enabled`,
      },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("--mode auto: HttpTokens=required on exactly that instance, REMEDIATED with an undo payload", async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    liveLegacy(t);
    t.ec2.on(ModifyInstanceMetadataOptionsCommand).resolves({
      InstanceId: LEGACY,
      InstanceMetadataOptions: { State: "pending", HttpTokens: "required", HttpEndpoint: "enabled" },
    });
    await processEvent(instanceEvent("RunInstances-imdsv1-httptokens-optional"), t.runtime);
    expect(modifies(t)).toEqual([{ InstanceId: LEGACY, HttpTokens: "required", HttpEndpoint: "enabled" }]);
    expect(await t.runtime.store.get(idFor("EC2.8", LEGACY))).toMatchObject({
      status: "REMEDIATED",
      remediation: {
        mode: "auto",
        result: "succeeded",
        undo: {
          remediationId: "require-imdsv2",
          params: { instanceId: LEGACY, httpTokens: "optional", exemptChecks: ["EC2.8"] },
        },
      },
    });
  });

  it("the live read wins: an instance already switched to IMDSv2 (or gone) opens nothing", async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    liveLegacy(t, { MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled" } });
    await processEvent(instanceEvent("RunInstances-imdsv1-httptokens-optional"), t.runtime);
    t.ec2
      .on(DescribeInstancesCommand)
      .resolves(described(liveInstance(LEGACY, { State: { Name: "terminated" } })));
    await processEvent(instanceEvent("RunInstances-imdsv1-httptokens-optional"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(modifies(t)).toEqual([]);
  });

  it("one finding per launched instance: two public-address findings, IMDSv2 compliant, no live read but the tags", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    await processEvent(instanceEvent("RunInstances-two-imdsv2-public-ip"), t.runtime);
    expect(await statuses(t)).toEqual(WORKERS.map((id) => ["EC2.9", id, "OPEN"]));
    // Tag reads (exemptions) only: the event settled both settings.
    expect(describes(t)).toEqual(WORKERS.map((id) => ({ InstanceIds: [id] })));
    expect(t.ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("EC2.9", WORKERS[0] ?? ""))).toMatchObject({
      severity: "HIGH",
      evidence: [{ instanceId: WORKERS[0], associatePublicIpAddress: true, source: "launch-request" }],
      actor: { sessionIssuerArn: "arn:aws:iam::111122223333:role/ci-deployer" },
    });
    expect(t.notifier.alerts).toHaveLength(2);
    expect(modifies(t)).toEqual([]);
  });

  it("defaults only: the live instance gives the metadata options; a pending one's address comes from its subnet", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeInstancesCommand).resolves(
      described(
        liveInstance(DEFAULTS, {
          State: { Code: 0, Name: "pending" },
          SubnetId: DEFAULTS_SUBNET,
          Tags: [],
        }),
      ),
    );
    t.ec2
      .on(DescribeSubnetsCommand)
      .resolves({ Subnets: [{ SubnetId: DEFAULTS_SUBNET, MapPublicIpOnLaunch: true }] });
    await processEvent(instanceEvent("RunInstances-defaults-default-subnet"), t.runtime);
    expect(t.ec2.commandCalls(DescribeSubnetsCommand).map((c) => c.args[0].input)).toEqual([
      { SubnetIds: [DEFAULTS_SUBNET] },
    ]);
    expect(await statuses(t)).toEqual([
      ["EC2.8", DEFAULTS, "OPEN"],
      ["EC2.9", DEFAULTS, "OPEN"],
    ]);
    expect(await t.runtime.store.get(idFor("EC2.9", DEFAULTS))).toMatchObject({
      summary: `instance ${DEFAULTS} gets a public IPv4 address from subnet ${DEFAULTS_SUBNET}, which auto-assigns them (MapPublicIpOnLaunch)`,
    });
    // The live read carried the tags: no second read for exemptions.
    expect(describes(t)).toHaveLength(1);
  });

  it("compliant: defaults that require IMDSv2, a running instance without an address", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeInstancesCommand)
      .resolves(
        described(
          liveInstance(DEFAULTS, { MetadataOptions: { HttpTokens: "required", HttpEndpoint: "enabled" } }),
        ),
      );
    await processEvent(instanceEvent("RunInstances-defaults-default-subnet"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
  });

  it("not applicable: a pending instance from a launch template whose address isn't known yet is left undecided", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeInstancesCommand)
      .resolves(
        described(
          liveInstance(DEFAULTS, { State: { Name: "pending" }, MetadataOptions: { HttpTokens: "required" } }),
        ),
      );
    const event = instanceEvent("RunInstances-defaults-default-subnet");
    (event.detail.requestParameters as Record<string, unknown>).launchTemplate = {
      launchTemplateId: "lt-0a1b2c3d4e5f60718",
      version: "$Default",
    };
    await processEvent(event, t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.ec2.commandCalls(DescribeSubnetsCommand)).toHaveLength(0);
  });

  it("not applicable: an exempt instance is SUPPRESSED and never changed", async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    liveLegacy(t, { Tags: [{ Key: "vigil:exempt", Value: "EC2.8" }] });
    await processEvent(instanceEvent("RunInstances-imdsv1-httptokens-optional"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.8", LEGACY, "SUPPRESSED"]]);
    expect(modifies(t)).toEqual([]);
  });

  it("a launch that failed changed nothing: ignored, no AWS call", async () => {
    t = await testRuntime();
    const event = instanceEvent("RunInstances-imdsv1-httptokens-optional");
    Object.assign(event.detail, { errorCode: "Client.UnauthorizedOperation", responseElements: null });
    expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it.each([
    ["no response", (d: Record<string, unknown>) => (d.responseElements = null)],
    [
      "an instance list that is no list",
      (d: Record<string, unknown>) => (d.responseElements = { instancesSet: 7 }),
    ],
  ])("malformed RunInstances (%s) is invalid and changes nothing", async (_, edit) => {
    t = await testRuntime();
    const event = instanceEvent("RunInstances-imdsv1-httptokens-optional");
    edit(event.detail);
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });
});

describe("EC2.8 / EC2.9 through the pipeline: changes, Config items, termination", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("ModifyInstanceMetadataOptions to optional opens EC2.8, to required resolves it; EC2.9 is left alone", async () => {
    t = await testRuntime({ config: { modes: { "EC2.8": "off" } } });
    liveLegacy(t);
    await processEvent(instanceEvent("ModifyInstanceMetadataOptions-tokens-optional"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.8", LEGACY, "OPEN"]]);
    expect(await t.runtime.store.get(idFor("EC2.8", LEGACY))).toMatchObject({
      actor: { fromConsole: true, sessionIssuerArn: expect.stringContaining("AWSReservedSSO_PlatformAdmin") },
      remediation: { mode: "off", result: "skipped" },
    });
    // The metadata change needs no live read except the tags of the violating instance.
    expect(describes(t)).toEqual([{ InstanceIds: [LEGACY] }]);
    await processEvent(instanceEvent("ModifyInstanceMetadataOptions-tokens-required"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.8", LEGACY, "RESOLVED"]]);
  });

  it("after a Config item opened both, IMDSv2 resolves EC2.8 only; an older change doesn't reopen it", async () => {
    t = await testRuntime({ config: { modes: { "EC2.8": "off" } } });
    await processEvent(instanceEvent("config-instance-imdsv1-public-ip"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["EC2.8", LEGACY, "OPEN"],
      ["EC2.9", LEGACY, "OPEN"],
    ]);
    await processEvent(instanceEvent("ModifyInstanceMetadataOptions-tokens-required"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["EC2.8", LEGACY, "RESOLVED"],
      ["EC2.9", LEGACY, "OPEN"],
    ]);
    // 17:05 is older than the 17:20 change the finding was last judged on.
    liveLegacy(t);
    await processEvent(instanceEvent("ModifyInstanceMetadataOptions-tokens-optional"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["EC2.8", LEGACY, "RESOLVED"],
      ["EC2.9", LEGACY, "OPEN"],
    ]);
  });

  it("turning the metadata endpoint off is compliant: the EC2.8 finding resolves", async () => {
    t = await testRuntime({ config: { modes: { "EC2.8": "off" } } });
    liveLegacy(t);
    await processEvent(instanceEvent("ModifyInstanceMetadataOptions-tokens-optional"), t.runtime);
    await processEvent(instanceEvent("ModifyInstanceMetadataOptions-endpoint-disabled"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.8", LEGACY, "RESOLVED"]]);
  });

  it("a Config item with IMDSv2 and no address resolves both; a terminated instance resolves too", async () => {
    t = await testRuntime({ config: { modes: { "EC2.8": "off" } } });
    await processEvent(instanceEvent("config-instance-imdsv1-public-ip"), t.runtime);
    await processEvent(instanceEvent("config-instance-imdsv2-private"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["EC2.8", LEGACY, "RESOLVED"],
      ["EC2.9", LEGACY, "RESOLVED"],
    ]);
    // Config items carry the tags: no AWS read at all.
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("TerminateInstances resolves every finding of the instance", async () => {
    t = await testRuntime({ config: { modes: { "EC2.8": "off" } } });
    await processEvent(instanceEvent("config-instance-imdsv1-public-ip"), t.runtime);
    await processEvent(instanceEvent("TerminateInstances"), t.runtime);
    expect(await statuses(t)).toEqual([
      ["EC2.8", LEGACY, "RESOLVED"],
      ["EC2.9", LEGACY, "RESOLVED"],
    ]);
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("malformed ModifyInstanceMetadataOptions is invalid and changes nothing", async () => {
    t = await testRuntime();
    const event = instanceEvent("ModifyInstanceMetadataOptions-tokens-optional");
    event.detail.requestParameters = {
      ModifyInstanceMetadataOptionsRequest: { InstanceId: "not-an-instance" },
    };
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });
});
