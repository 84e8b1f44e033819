import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  ListResourceTagsCommand,
} from "@aws-sdk/client-kms";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { KEY, KEY_ARN, NEW_KEY, NEW_KEY_ARN, awsError, describeKey, idFor, kmsEvent } from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status] as const).sort();
const noTags = (t: TestRuntime) => t.kms.on(ListResourceTagsCommand).resolves({ Tags: [], Truncated: false });
const writes = (t: TestRuntime) => [
  ...t.kms.commandCalls(CancelKeyDeletionCommand).map((c) => ["CancelKeyDeletion", c.args[0].input]),
  ...t.kms.commandCalls(EnableKeyCommand).map((c) => ["EnableKey", c.args[0].input]),
  ...t.kms.commandCalls(EnableKeyRotationCommand).map((c) => ["EnableKeyRotation", c.args[0].input]),
];

describe("KMS.3 (scheduled deletion) through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: a CRITICAL alert naming the deletion date; the default dry-run sends nothing", async () => {
    t = await testRuntime();
    noTags(t);
    const report = await processEvent(kmsEvent("ScheduleKeyDeletion"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(writes(t)).toEqual([]);
    expect(await statuses(t)).toEqual([["KMS.3", KEY, "OPEN"]]);
    const finding = await t.runtime.store.get(idFor("KMS.3"));
    expect(finding).toMatchObject({
      severity: "CRITICAL",
      summary: `KMS key ${KEY} is scheduled for deletion on 2025-03-28T18:09:47.000Z (7-day waiting period)`,
      evidence: [{ keyArn: KEY_ARN, deletionDate: "2025-03-28T18:09:47.000Z", pendingWindowInDays: 7 }],
      actor: { userName: "alice.ops", sourceIp: "198.51.100.23" },
      remediation: {
        mode: "dry-run",
        result: "planned",
        action: expect.stringMatching(/^CancelKeyDeletion /),
      },
    });
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]).toMatchObject({ severity: "CRITICAL", findings: [{ checkId: "KMS.3" }] });
    // No other check is judged from a deletion call: KMS.4 opens nothing.
    expect(t.kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(0);
  });

  it("auto: cancels the deletion of exactly that key; REMEDIATED, left Disabled when Config can't say", async () => {
    t = await testRuntime({ config: { modes: { "KMS.3": "auto" } } });
    noTags(t);
    t.kms.on(CancelKeyDeletionCommand).resolves({ KeyId: KEY_ARN });
    t.configService.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    await processEvent(kmsEvent("ScheduleKeyDeletion"), t.runtime);
    expect(writes(t)).toEqual([["CancelKeyDeletion", { KeyId: KEY_ARN }]]);
    expect(await t.runtime.store.get(idFor("KMS.3"))).toMatchObject({
      status: "REMEDIATED",
      remediation: {
        mode: "auto",
        result: "succeeded",
        action: expect.stringMatching(/deletion cancelled; key left Disabled/),
      },
    });
  });

  it("auto: re-enables the key when AWS Config recorded it Enabled before", async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    noTags(t);
    t.kms.on(CancelKeyDeletionCommand).resolves({ KeyId: KEY_ARN });
    t.kms.on(EnableKeyCommand).resolves({});
    t.configService.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        {
          configurationItemCaptureTime: new Date("2025-03-01T00:00:00Z"),
          configuration: '{"keyState":"Enabled"}',
        },
      ],
    });
    await processEvent(kmsEvent("ScheduleKeyDeletion"), t.runtime);
    expect(writes(t)).toEqual([
      ["CancelKeyDeletion", { KeyId: KEY_ARN }],
      ["EnableKey", { KeyId: KEY_ARN }],
    ]);
  });

  it("compliant: CancelKeyDeletion by a human resolves the open finding", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(kmsEvent("ScheduleKeyDeletion"), t.runtime);
    const report = await processEvent(kmsEvent("CancelKeyDeletion"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([["KMS.3", KEY, "RESOLVED"]]);
    expect(writes(t)).toEqual([]);
  });

  it("compliant: CancelKeyDeletion alone opens nothing and reads nothing", async () => {
    t = await testRuntime();
    await processEvent(kmsEvent("CancelKeyDeletion"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.kms.calls()).toHaveLength(0);
  });

  it("not applicable: an exempt key is suppressed and never touched, even in auto", async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    t.kms.on(ListResourceTagsCommand).resolves({ Tags: [{ TagKey: "vigil:exempt", TagValue: "KMS.3" }] });
    await processEvent(kmsEvent("ScheduleKeyDeletion"), t.runtime);
    expect(await statuses(t)).toEqual([["KMS.3", KEY, "SUPPRESSED"]]);
    expect(writes(t)).toEqual([]);
  });

  it("a ScheduleKeyDeletion that failed changed nothing", async () => {
    t = await testRuntime();
    const event = kmsEvent("ScheduleKeyDeletion");
    Object.assign(event.detail, { errorCode: "KMSInvalidStateException", responseElements: null });
    expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
    expect(t.kms.calls()).toHaveLength(0);
  });

  it.each([
    ["no key id", (d: Record<string, unknown>) => (d.requestParameters = { pendingWindowInDays: 7 })],
    [
      "a key id that is no key",
      (d: Record<string, unknown>) => (d.requestParameters = { keyId: "../../etc" }),
    ],
  ])("malformed ScheduleKeyDeletion (%s) is invalid and changes nothing", async (_, change) => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    const event = kmsEvent("ScheduleKeyDeletion");
    change(event.detail);
    event.detail.responseElements = null;
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.kms.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });
});

describe("KMS.4 (rotation) through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  const liveKey = (
    t: TestRuntime,
    rotation: { KeyRotationEnabled: boolean; RotationPeriodInDays?: number },
  ) => {
    t.kms.on(DescribeKeyCommand).resolves(describeKey());
    t.kms.on(GetKeyRotationStatusCommand).resolves(rotation);
  };

  it("non-compliant: DisableKeyRotation is confirmed live, then rotation is turned back on (auto)", async () => {
    t = await testRuntime();
    noTags(t);
    liveKey(t, { KeyRotationEnabled: false });
    t.kms.on(EnableKeyRotationCommand).resolves({});
    const report = await processEvent(kmsEvent("DisableKeyRotation"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(writes(t)).toEqual([["EnableKeyRotation", { KeyId: KEY_ARN }]]);
    expect(await statuses(t)).toEqual([["KMS.4", KEY, "REMEDIATED"]]);
    expect(await t.runtime.store.get(idFor("KMS.4"))).toMatchObject({
      severity: "MEDIUM",
      controls: ["SecurityHub KMS.4", "CIS 3.6"],
      remediation: { mode: "auto", result: "succeeded" },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: rotation already back on by the time of the read opens nothing", async () => {
    t = await testRuntime();
    liveKey(t, { KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    await processEvent(kmsEvent("DisableKeyRotation"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(writes(t)).toEqual([]);
  });

  it("compliant: EnableKeyRotation resolves the open finding without any read", async () => {
    t = await testRuntime({ config: { modes: { "KMS.4": "off" } } });
    noTags(t);
    liveKey(t, { KeyRotationEnabled: false });
    await processEvent(kmsEvent("DisableKeyRotation"), t.runtime);
    expect(await statuses(t)).toEqual([["KMS.4", KEY, "OPEN"]]);
    const callsBefore = t.kms.calls().length;
    await processEvent(kmsEvent("EnableKeyRotation"), t.runtime);
    expect(await statuses(t)).toEqual([["KMS.4", KEY, "RESOLVED"]]);
    expect(t.kms.calls()).toHaveLength(callsBefore);
  });

  it("CreateKey: a new symmetric customer key without rotation gets it (FSBP judges every key)", async () => {
    t = await testRuntime();
    noTags(t);
    t.kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    t.kms.on(EnableKeyRotationCommand).resolves({});
    await processEvent(kmsEvent("CreateKey-symmetric"), t.runtime);
    expect(t.kms.commandCalls(DescribeKeyCommand)).toHaveLength(0);
    expect(writes(t)).toEqual([["EnableKeyRotation", { KeyId: NEW_KEY_ARN }]]);
    expect(await statuses(t)).toEqual([["KMS.4", NEW_KEY, "REMEDIATED"]]);
  });

  it("CreateKey: infrastructure as code already turned rotation on: nothing to report", async () => {
    t = await testRuntime();
    t.kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    await processEvent(kmsEvent("CreateKey-symmetric"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("not applicable: an asymmetric key is neither read nor reported", async () => {
    t = await testRuntime();
    const report = await processEvent(kmsEvent("CreateKey-asymmetric-signing"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(t.kms.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });

  it("not applicable: imported key material (Origin EXTERNAL) is neither read nor reported", async () => {
    t = await testRuntime();
    const event = kmsEvent("CreateKey-symmetric");
    const meta = (event.detail.responseElements as { keyMetadata: Record<string, unknown> }).keyMetadata;
    Object.assign(meta, { origin: "EXTERNAL", keyState: "PendingImport", enabled: false });
    await processEvent(event, t.runtime);
    expect(t.kms.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });

  it("a key Vigil may not describe (AccessDenied) is left undecided: nothing opens, nothing is sent", async () => {
    t = await testRuntime();
    t.kms.on(DescribeKeyCommand).rejects(awsError("AccessDeniedException"));
    const report = await processEvent(kmsEvent("DisableKeyRotation"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([]);
    expect(writes(t)).toEqual([]);
  });

  it("a disabled key is reported, not remediated (KMS won't change rotation on it)", async () => {
    t = await testRuntime();
    noTags(t);
    t.kms.on(DescribeKeyCommand).resolves(describeKey({ KeyState: "Disabled", Enabled: false }));
    t.kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    await processEvent(kmsEvent("DisableKeyRotation"), t.runtime);
    expect(writes(t)).toEqual([]);
    expect(await t.runtime.store.get(idFor("KMS.4"))).toMatchObject({
      status: "OPEN",
      remediation: { result: "skipped", action: expect.stringMatching(/is Disabled/) },
    });
  });

  it("dry-run plans and sends nothing", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    noTags(t);
    liveKey(t, { KeyRotationEnabled: false });
    await processEvent(kmsEvent("DisableKeyRotation"), t.runtime);
    expect(writes(t)).toEqual([]);
    expect(await t.runtime.store.get(idFor("KMS.4"))).toMatchObject({
      status: "OPEN",
      remediation: { mode: "dry-run", result: "planned" },
    });
  });

  it("malformed DisableKeyRotation (an alias) is invalid and reads nothing", async () => {
    t = await testRuntime();
    const event = kmsEvent("DisableKeyRotation");
    event.detail.requestParameters = { keyId: "alias/orders" };
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.kms.calls()).toHaveLength(0);
  });

  it("a key ARN of another account: its kind can't be read from here, so nothing is read and nothing opens", async () => {
    t = await testRuntime();
    const event = kmsEvent("DisableKeyRotation");
    event.detail.requestParameters = {
      keyId: "arn:aws:kms:us-east-1:444455556666:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    };
    expect((await processEvent(event, t.runtime)).outcome).toBe("processed");
    expect(t.kms.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });
});
