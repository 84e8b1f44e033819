import {
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  ListTagsForResourceCommand,
  StartConfigurationRecorderCommand,
} from "@aws-sdk/client-config-service";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import restart from "../../shared/remediations/restart-config-recorder";
import { UnusableEventError } from "../../shared/resources/adapter";
import recorderAdapter from "../../shared/resources/config-recorder/adapter";
import channelAdapter from "../../shared/resources/config-recorder/delivery-channel-adapter";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { assumedRole } from "../infra/sample-events";
import {
  ACCOUNT,
  RECORDER,
  REGION,
  accountEvent,
  awsError,
  check,
  context,
  detailOf,
  idFor,
} from "./support";

const STOP = "config/StopConfigurationRecorder.json";
const START = "config/StartConfigurationRecorder.json";
const DELETE = "config/DeleteConfigurationRecorder.json";
const PUT = "config/PutConfigurationRecorder.json";
const DELETE_CHANNEL = "config/DeleteDeliveryChannel.json";
const PUT_CHANNEL = "config/PutDeliveryChannel.json";
const STOPPED = "VIGIL.CONFIG.RECORDER_STOPPED";
const DELETED = "VIGIL.CONFIG.RECORDER_DELETED";
const CHANNEL_DELETED = "VIGIL.CONFIG.DELIVERY_CHANNEL_DELETED";
const RECORDER_ARN = `arn:aws:config:us-east-1:${ACCOUNT}:configuration-recorder/default/a1b2c3d4e5f60718`;
const ATTACKER = {
  type: "AssumedRole",
  arn: "arn:aws:sts::111122223333:assumed-role/build-runner-role/i-0a1b2c3d4e5f60718",
  sessionIssuerArn: "arn:aws:iam::111122223333:role/build-runner-role",
  accessKeyId: "ASIAXMPL4D6F8H0J2K4L",
  sourceIp: "203.0.113.88",
  userAgent: expect.stringMatching(/^Boto3\/1\.35\.99 /),
};

describe("AWS Config recorder checks (pure)", () => {
  it("catalog metadata: all CRITICAL tampering checks; only a stop is remediated", () => {
    const meta = [STOPPED, DELETED, CHANNEL_DELETED].map((id) => {
      const d = check(id).definition;
      return [d.id, d.severity, d.resourceType, d.controls, d.tampering, d.remediation, d.iamActions];
    });
    const reads = ["config:DescribeConfigurationRecorders", "config:ListTagsForResource"];
    expect(meta).toEqual([
      [
        STOPPED,
        "CRITICAL",
        "AWS::Config::ConfigurationRecorder",
        [],
        true,
        { id: "restart-config-recorder", defaultMode: "auto" },
        reads,
      ],
      [DELETED, "CRITICAL", "AWS::Config::ConfigurationRecorder", [], true, undefined, reads],
      [CHANNEL_DELETED, "CRITICAL", "AWS::Config::DeliveryChannel", [], true, undefined, []],
    ]);
    expect(check(STOPPED).definition.triggers.cloudTrail).toEqual([
      {
        eventSource: "config.amazonaws.com",
        eventNames: ["StopConfigurationRecorder", "StartConfigurationRecorder"],
      },
    ]);
  });

  it("stopped: a violation when recording is off; undecided when the call didn't say", () => {
    const stopped = check(STOPPED);
    const state = { recorderName: RECORDER, region: REGION, recording: false };
    expect(stopped.evaluate(state, context)).toEqual([
      {
        summary: "AWS Config recorder default was stopped in us-east-1",
        evidence: { recorderName: RECORDER, region: REGION, setting: "recording", recording: false },
      },
    ]);
    expect(stopped.evaluate({ ...state, recording: true }, context)).toEqual([]);
    expect(stopped.undecided?.({ recorderName: RECORDER, region: REGION, deleted: true }, context)).toMatch(
      /does not say/,
    );
  });

  it("deleted recorder and channel: violations; a put or start is compliant", () => {
    expect(
      check(DELETED).evaluate({ recorderName: RECORDER, region: REGION, deleted: true }, context),
    ).toHaveLength(1);
    expect(
      check(DELETED).evaluate({ recorderName: RECORDER, region: REGION, deleted: false }, context),
    ).toEqual([]);
    expect(
      check(DELETED).undecided?.({ recorderName: RECORDER, region: REGION, recording: false }, context),
    ).toBeDefined();
    expect(
      check(CHANNEL_DELETED).evaluate({ channelName: "default", region: REGION, deleted: true }, context),
    ).toEqual([
      {
        summary: "AWS Config delivery channel default was deleted in us-east-1",
        evidence: { channelName: "default", region: REGION, deleted: true },
      },
    ]);
    expect(
      check(CHANNEL_DELETED).evaluate({ channelName: "default", region: REGION, deleted: false }, context),
    ).toEqual([]);
  });
});

describe("AWS Config recorder and delivery channel adapters", () => {
  const observe = (file: string, change?: (d: Record<string, unknown>) => void) =>
    recorderAdapter.fromCloudTrail(detailOf(file, change), ACCOUNT);

  it("Stop: recording off, by name, tags to be read", () => {
    expect(observe(STOP)).toEqual([
      {
        resource: {
          type: "AWS::Config::ConfigurationRecorder",
          id: RECORDER,
          arn: `arn:aws:config:us-east-1:${ACCOUNT}:configuration-recorder/default`,
          account: ACCOUNT,
          region: REGION,
          name: RECORDER,
        },
        state: { recorderName: RECORDER, region: REGION, recording: false },
        complete: true,
        observedAt: "2025-03-18T02:47:33Z",
        tagsKnown: false,
      },
    ]);
  });

  it("Start: recording and existing; Delete: gone, nothing to read; Put: exists (recording unknown)", () => {
    expect(observe(START)[0]?.state).toEqual({
      recorderName: RECORDER,
      region: REGION,
      recording: true,
      deleted: false,
    });
    expect(observe(DELETE)[0]).toMatchObject({ state: { deleted: true }, tagsKnown: true });
    expect(observe(PUT)[0]?.state).toEqual({ recorderName: RECORDER, region: REGION, deleted: false });
    const unnamed = observe(
      PUT,
      (d) => (d.requestParameters = { configurationRecorder: { roleARN: "arn:aws:iam::1:role/r" } }),
    );
    expect(unnamed[0]?.resource.id).toBe("default");
  });

  it("delivery channel: Delete and Put, by name", () => {
    const channel = (file: string) => channelAdapter.fromCloudTrail(detailOf(file), ACCOUNT);
    expect(channel(DELETE_CHANNEL)[0]).toMatchObject({
      resource: { type: "AWS::Config::DeliveryChannel", id: "default" },
      state: { channelName: "default", region: REGION, deleted: true },
      tagsKnown: true,
    });
    expect(channel(PUT_CHANNEL)[0]?.state).toEqual({
      channelName: "default",
      region: REGION,
      deleted: false,
    });
  });

  it.each([
    ["no name", STOP, (d: Record<string, unknown>) => (d.requestParameters = {})],
    [
      "an empty name",
      DELETE,
      (d: Record<string, unknown>) => (d.requestParameters = { configurationRecorderName: "" }),
    ],
    ["no recorder object", PUT, (d: Record<string, unknown>) => (d.requestParameters = { name: "default" })],
    ["another call", STOP, (d: Record<string, unknown>) => (d.eventName = "DescribeConfigurationRecorders")],
  ])("%s: unusable", (_, file, change) => {
    expect(() => observe(file, change)).toThrow(UnusableEventError);
  });
});

describe("AWS Config tampering through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());
  const statuses = async (tr: TestRuntime) =>
    (await tr.runtime.store.list()).map((f) => [f.checkId, f.status] as const).sort();
  const live = (tr: TestRuntime, tags: { Key: string; Value: string }[] = []) => {
    tr.configService
      .on(DescribeConfigurationRecordersCommand)
      .resolves({ ConfigurationRecorders: [{ name: RECORDER, arn: RECORDER_ARN }] });
    tr.configService.on(ListTagsForResourceCommand).resolves({ Tags: tags });
  };
  const starts = (tr: TestRuntime) =>
    tr.configService.commandCalls(StartConfigurationRecorderCommand).map((c) => c.args[0].input);

  it("non-compliant: a stopped recorder is restarted and confirmed; CRITICAL tampering alert names the actor", async () => {
    t = await testRuntime();
    live(t);
    t.configService.on(StartConfigurationRecorderCommand).resolves({});
    t.configService.on(DescribeConfigurationRecorderStatusCommand).resolves({
      ConfigurationRecordersStatus: [{ name: RECORDER, recording: true, lastStatus: "Pending" }],
    });
    const report = await processEvent(accountEvent(STOP), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(
      t.configService.commandCalls(DescribeConfigurationRecordersCommand).map((c) => c.args[0].input),
    ).toEqual([{ ConfigurationRecorderNames: [RECORDER] }]);
    expect(t.configService.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceArn: RECORDER_ARN, NextToken: undefined },
    ]);
    expect(starts(t)).toEqual([{ ConfigurationRecorderName: RECORDER }]);
    expect(
      t.configService.commandCalls(DescribeConfigurationRecorderStatusCommand).map((c) => c.args[0].input),
    ).toEqual([{ ConfigurationRecorderNames: [RECORDER] }]);
    expect(await statuses(t)).toEqual([[STOPPED, "REMEDIATED"]]);
    expect(await t.runtime.store.get(idFor(STOPPED, RECORDER))).toMatchObject({
      severity: "CRITICAL",
      evidence: [{ recorderName: RECORDER, region: REGION, setting: "recording", recording: false }],
      actor: ATTACKER,
      remediation: {
        result: "succeeded",
        action: "AWS Config recorder default is recording again in us-east-1",
      },
    });
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]).toMatchObject({ tampering: true, actor: ATTACKER });
  });

  it("not applicable: a recorder tagged exempt is suppressed and left stopped", async () => {
    t = await testRuntime();
    live(t, [{ Key: "vigil:exempt", Value: STOPPED }]);
    await processEvent(accountEvent(STOP), t.runtime);
    expect(starts(t)).toEqual([]);
    expect(await statuses(t)).toEqual([[STOPPED, "SUPPRESSED"]]);
  });

  it("compliant: StartConfigurationRecorder by anyone resolves the open finding", async () => {
    t = await testRuntime({ config: { modes: { [STOPPED]: "off" } } });
    live(t);
    await processEvent(accountEvent(STOP), t.runtime);
    expect(await statuses(t)).toEqual([[STOPPED, "OPEN"]]);
    await processEvent(accountEvent(START), t.runtime);
    expect(await statuses(t)).toEqual([[STOPPED, "RESOLVED"]]);
    expect(starts(t)).toEqual([]);
  });

  it("the restart is not possible without a delivery channel: skipped with the reason, still open", async () => {
    t = await testRuntime();
    live(t);
    t.configService
      .on(StartConfigurationRecorderCommand)
      .rejects(awsError("NoAvailableDeliveryChannelException", "Delivery channel is not available"));
    await processEvent(accountEvent(STOP), t.runtime);
    expect(await t.runtime.store.get(idFor(STOPPED, RECORDER))).toMatchObject({
      status: "OPEN",
      remediation: { result: "skipped", action: expect.stringContaining("no delivery channel left") },
    });
  });

  it("Config does not confirm it records: failed, still open", async () => {
    t = await testRuntime();
    live(t);
    t.configService.on(StartConfigurationRecorderCommand).resolves({});
    t.configService
      .on(DescribeConfigurationRecorderStatusCommand)
      .resolves({ ConfigurationRecordersStatus: [{ name: RECORDER, recording: false }] });
    await processEvent(accountEvent(STOP), t.runtime);
    expect(await t.runtime.store.get(idFor(STOPPED, RECORDER))).toMatchObject({
      status: "OPEN",
      remediation: { result: "failed" },
    });
  });

  it("dry-run plans the start and sends nothing", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    live(t);
    await processEvent(accountEvent(STOP), t.runtime);
    expect(starts(t)).toEqual([]);
    expect(await t.runtime.store.get(idFor(STOPPED, RECORDER))).toMatchObject({
      status: "OPEN",
      remediation: { result: "planned", action: "StartConfigurationRecorder default" },
    });
  });

  it("deleted recorder: CRITICAL alert with the actor, no AWS call at all (alert only)", async () => {
    t = await testRuntime();
    await processEvent(accountEvent(DELETE), t.runtime);
    expect(t.configService.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([[DELETED, "OPEN"]]);
    expect(await t.runtime.store.get(idFor(DELETED, RECORDER))).toMatchObject({
      severity: "CRITICAL",
      summary: "AWS Config recorder default was deleted in us-east-1",
      actor: ATTACKER,
    });
    expect(t.notifier.alerts[0]).toMatchObject({ tampering: true });
  });

  it("a re-created recorder resolves the deletion; the stop stays open until it records", async () => {
    t = await testRuntime({ config: { modes: { [STOPPED]: "off" } } });
    live(t);
    await processEvent(accountEvent(STOP), t.runtime);
    await processEvent(accountEvent(DELETE), t.runtime);
    await processEvent(accountEvent(PUT), t.runtime);
    expect(await statuses(t)).toEqual([
      [DELETED, "RESOLVED"],
      [STOPPED, "OPEN"],
    ]);
  });

  it("deleted delivery channel: alert only; PutDeliveryChannel resolves it", async () => {
    t = await testRuntime();
    await processEvent(accountEvent(DELETE_CHANNEL), t.runtime);
    expect(await statuses(t)).toEqual([[CHANNEL_DELETED, "OPEN"]]);
    expect((await t.runtime.store.get(idFor(CHANNEL_DELETED, "default")))?.actor).toMatchObject(ATTACKER);
    await processEvent(accountEvent(PUT_CHANNEL), t.runtime);
    expect(await statuses(t)).toEqual([[CHANNEL_DELETED, "RESOLVED"]]);
    expect(t.configService.calls()).toHaveLength(0);
  });

  it("Vigil's own restart comes back through CloudTrail and is ignored", async () => {
    t = await testRuntime();
    const event = accountEvent(START);
    event.detail.userIdentity = assumedRole(
      `arn:aws:iam::${ACCOUNT}:role/vigil-remediation-us-east-1`,
      "vigil",
    );
    expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
  });

  it("malformed StopConfigurationRecorder: invalid, nothing read or changed", async () => {
    t = await testRuntime();
    const event = accountEvent(STOP);
    event.detail.requestParameters = { configurationRecorderName: 42 };
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.configService.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });
});

describe("restart-config-recorder", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());
  const violation = { summary: "s", evidence: { setting: "recording", recording: false } };

  it("a recorder of another Region is left alone", async () => {
    t = await testRuntime();
    const outcome = await restart.apply(
      {
        state: { recorderName: RECORDER, region: "eu-west-1", recording: false },
        violations: [violation],
        dryRun: false,
      },
      t.runtime.remediationClients!,
    );
    expect(outcome).toMatchObject({ result: "skipped", action: expect.stringContaining("is in eu-west-1") });
    expect(t.configService.calls()).toHaveLength(0);
  });

  it("a recorder deleted in the meantime: skipped, pointing at the deletion finding", async () => {
    t = await testRuntime();
    t.configService
      .on(StartConfigurationRecorderCommand)
      .rejects(awsError("NoSuchConfigurationRecorderException"));
    const outcome = await restart.apply(
      {
        state: { recorderName: RECORDER, region: REGION, recording: false },
        violations: [violation],
        dryRun: false,
      },
      t.runtime.remediationClients!,
    );
    expect(outcome).toMatchObject({ result: "skipped", action: expect.stringContaining(DELETED) });
  });

  it("no undo by design", async () => {
    t = await testRuntime();
    expect(restart.undoIamActions).toEqual([]);
    await expect(
      restart.undo({ remediationId: restart.id, params: {} }, t.runtime.remediationClients!),
    ).rejects.toThrow(/not undoable by design/);
  });
});
