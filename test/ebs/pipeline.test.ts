import { DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { INSTANCE, VOLUME, awsError, ebsEvent, idFor, volume } from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status] as const);
const describes = (t: TestRuntime) => t.ec2.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input);

describe("EC2.3 through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: AttachVolume of an unencrypted volume opens a MEDIUM finding, changes nothing", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeVolumesCommand).resolves(volume(false, [{ InstanceId: INSTANCE, State: "attaching" }]));
    const report = await processEvent(ebsEvent("AttachVolume"), t.runtime);

    expect(report.outcome).toBe("processed");
    // One live read: encryption, attachments and tags (exemptions) in one answer.
    expect(describes(t)).toEqual([{ VolumeIds: [VOLUME] }]);
    expect(t.ec2.calls()).toHaveLength(1);
    expect(await statuses(t)).toEqual([["EC2.3", VOLUME, "OPEN"]]);
    expect(await t.runtime.store.get(idFor())).toMatchObject({
      severity: "MEDIUM",
      controls: ["FSBP EC2.3"],
      summary: `EBS volume ${VOLUME} is attached to ${INSTANCE} and not encrypted`,
      evidence: [{ volumeId: VOLUME, encrypted: false, attachedTo: [INSTANCE] }],
      actor: { userName: "alice.ops", sourceIp: "198.51.100.23" },
    });
    expect((await t.runtime.store.get(idFor()))?.remediation).toBeUndefined();
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: attaching an encrypted volume opens nothing", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeVolumesCommand).resolves(volume(true, [{ InstanceId: INSTANCE, State: "attaching" }]));
    expect((await processEvent(ebsEvent("AttachVolume"), t.runtime)).outcome).toBe("processed");
    expect(await statuses(t)).toEqual([]);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("compliant: DetachVolume resolves the finding once the volume is attached to nothing", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeVolumesCommand)
      .resolvesOnce(volume(false, [{ InstanceId: INSTANCE, State: "attached" }]));
    await processEvent(ebsEvent("AttachVolume"), t.runtime);
    t.ec2.on(DescribeVolumesCommand).resolves(volume(false, [{ InstanceId: INSTANCE, State: "detaching" }]));
    await processEvent(ebsEvent("DetachVolume"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.3", VOLUME, "RESOLVED"]]);
  });

  it("Multi-Attach: detaching from one instance keeps the finding while another is attached", async () => {
    t = await testRuntime();
    const other = { InstanceId: "i-0c1d2e3f4a5b6c7d8", State: "attached" as const };
    t.ec2
      .on(DescribeVolumesCommand)
      .resolvesOnce(volume(false, [{ InstanceId: INSTANCE, State: "attached" }, other]));
    await processEvent(ebsEvent("AttachVolume"), t.runtime);
    t.ec2
      .on(DescribeVolumesCommand)
      .resolves(volume(false, [{ InstanceId: INSTANCE, State: "detaching" }, other]));
    await processEvent(ebsEvent("DetachVolume"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.3", VOLUME, "OPEN"]]);
    expect((await t.runtime.store.get(idFor()))?.evidence).toEqual([
      { volumeId: VOLUME, encrypted: false, attachedTo: ["i-0c1d2e3f4a5b6c7d8"] },
    ]);
  });

  it("DeleteVolume resolves the finding without any read", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeVolumesCommand)
      .resolvesOnce(volume(false, [{ InstanceId: INSTANCE, State: "attached" }]));
    await processEvent(ebsEvent("AttachVolume"), t.runtime);
    await processEvent(ebsEvent("DeleteVolume"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.3", VOLUME, "RESOLVED"]]);
    expect(describes(t)).toHaveLength(1);
  });

  it("a volume deleted before the live read resolves nothing it hasn't opened and opens nothing", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeVolumesCommand).rejects(awsError("InvalidVolume.NotFound"));
    expect((await processEvent(ebsEvent("AttachVolume"), t.runtime)).outcome).toBe("processed");
    expect(await statuses(t)).toEqual([]);
  });

  it("Config: an attached unencrypted volume opens the finding with no AWS call at all", async () => {
    t = await testRuntime();
    await processEvent(ebsEvent("config-volume-attached-unencrypted"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.3", VOLUME, "OPEN"]]);
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("not applicable: Config's item for an unattached unencrypted volume opens nothing", async () => {
    t = await testRuntime();
    expect((await processEvent(ebsEvent("config-volume-unencrypted-unattached"), t.runtime)).outcome).toBe(
      "processed",
    );
    expect(await statuses(t)).toEqual([]);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("not applicable: CreateVolume of an unencrypted volume is not watched (it is attached to nothing)", async () => {
    t = await testRuntime();
    const report = await processEvent(ebsEvent("CreateVolume-unencrypted-ignored"), t.runtime);
    expect(report).toMatchObject({
      outcome: "ignored",
      reason: "no check watches ec2.amazonaws.com CreateVolume",
    });
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("Config: the volume's deletion resolves the finding", async () => {
    t = await testRuntime();
    await processEvent(ebsEvent("config-volume-attached-unencrypted"), t.runtime);
    await processEvent(ebsEvent("config-volume-deleted"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.3", VOLUME, "RESOLVED"]]);
  });

  it("an exempt volume (tag) is suppressed", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeVolumesCommand)
      .resolves(volume(false, [{ InstanceId: INSTANCE, State: "attaching" }], { "vigil:exempt": "EC2.3" }));
    await processEvent(ebsEvent("AttachVolume"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.3", VOLUME, "SUPPRESSED"]]);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("a failed AttachVolume changed nothing and is not read", async () => {
    t = await testRuntime();
    const event = ebsEvent("AttachVolume");
    Object.assign(event.detail, { errorCode: "Client.IncorrectState", responseElements: null });
    expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("a throttled live read fails the event so it is retried", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeVolumesCommand).rejects(awsError("RequestLimitExceeded", { $retryable: {} }));
    await expect(processEvent(ebsEvent("AttachVolume"), t.runtime)).rejects.toThrow(/RequestLimitExceeded/);
  });

  it.each([
    [
      "AttachVolume without volumeId",
      "AttachVolume",
      (d: Record<string, unknown>) => (d.requestParameters = {}),
    ],
    [
      "a Config item without a configuration",
      "config-volume-attached-unencrypted",
      (d: Record<string, unknown>) => ((d.configurationItem as Record<string, unknown>).configuration = null),
    ],
  ])("malformed input (%s) is invalid and changes nothing", async (_, name, change) => {
    t = await testRuntime();
    const event = ebsEvent(name);
    change(event.detail);
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });
});
