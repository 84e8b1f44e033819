import { DescribeVolumesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import ec2_3 from "../../shared/checks/ebs/ec2-3-attached-volume-encrypted";
import { parseConfig } from "../../shared/config/load";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configChangeDetailSchema, type ConfigItem } from "../../shared/events/config-item";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/ebs-volume/adapter";
import { attachedTargets } from "../../shared/resources/ebs-volume/attachments";
import type { EbsVolumeState } from "../../shared/resources/ebs-volume/state";
import { ACCOUNT, INSTANCE, VOLUME, VOLUME_ARN, awsError, ebsEvent, volume } from "./support";

const context = { config: parseConfig({}) };
const ec2Client = new EC2Client({ region: "us-east-1" });
const ec2 = mockClient(ec2Client);
const clients = { ec2: () => ec2Client } as unknown as ReadClients;
afterEach(() => ec2.reset());

const fromTrail = (name: string, change: (d: Record<string, unknown>) => void = () => {}) => {
  const event = ebsEvent(name);
  change(event.detail);
  return adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
};
const configItem = (name: string, change: (item: Record<string, unknown>) => void = () => {}): ConfigItem => {
  const detail = configChangeDetailSchema.parse(ebsEvent(name).detail);
  if (detail.messageType !== "ConfigurationItemChangeNotification")
    throw new Error("not a change notification");
  change(detail.configurationItem);
  return detail.configurationItem;
};
const evaluate = (state: EbsVolumeState) => ({
  undecided: ec2_3.undecided?.(state, context),
  violations: ec2_3.evaluate(state, context),
});

describe("EC2.3 evaluate", () => {
  it("non-compliant: attached and unencrypted, naming the instances", () => {
    expect(evaluate({ volumeId: VOLUME, encrypted: false, attachedTo: [INSTANCE, "i-0ffff"] })).toEqual({
      undecided: undefined,
      violations: [
        {
          summary: `EBS volume ${VOLUME} is attached to ${INSTANCE}, i-0ffff and not encrypted`,
          evidence: { volumeId: VOLUME, encrypted: false, attachedTo: [INSTANCE, "i-0ffff"] },
        },
      ],
    });
  });

  it("compliant: attached and encrypted", () => {
    expect(evaluate({ volumeId: VOLUME, encrypted: true, attachedTo: [INSTANCE] }).violations).toEqual([]);
  });

  it("not applicable: unencrypted but attached to nothing", () => {
    expect(evaluate({ volumeId: VOLUME, encrypted: false, attachedTo: [] })).toEqual({
      undecided: undefined,
      violations: [],
    });
  });

  it("undecided while encryption or attachments are unknown", () => {
    expect(evaluate({ volumeId: VOLUME }).undecided).toMatch(/not known/);
    expect(evaluate({ volumeId: VOLUME, encrypted: false }).undecided).toMatch(/not known/);
    expect(evaluate({ volumeId: VOLUME, attachedTo: [INSTANCE] }).undecided).toMatch(/not known/);
  });

  it("is declared as FSBP EC2.3, MEDIUM, detect only, on attach/detach/delete and Config items", () => {
    expect(ec2_3).toMatchObject({
      severity: "MEDIUM",
      controls: ["FSBP EC2.3"],
      iamActions: ["ec2:DescribeVolumes"],
      triggers: {
        cloudTrail: [
          { eventSource: "ec2.amazonaws.com", eventNames: ["AttachVolume", "DetachVolume", "DeleteVolume"] },
        ],
        config: ["AWS::EC2::Volume"],
      },
    });
    expect(ec2_3.remediation).toBeUndefined();
  });
});

describe("attachedTargets", () => {
  it("counts attaching, attached and busy attachments; not detaching or detached", () => {
    expect(
      attachedTargets([
        { target: "i-b", state: "attached" },
        { target: "i-a", state: "attaching" },
        { target: "i-c", state: "busy" },
        { target: "i-d", state: "detaching" },
        { target: "i-e", state: "detached" },
        { target: "i-b", state: "attached" },
      ]),
    ).toEqual(["i-a", "i-b", "i-c"]);
  });

  it("a listed attachment without a state is in use", () => {
    expect(attachedTargets([{ target: "i-a" }])).toEqual(["i-a"]);
  });
});

describe("EBS volume adapter: CloudTrail", () => {
  it("AttachVolume: only the volume id, refresh needed, can't resolve by itself", () => {
    expect(fromTrail("AttachVolume")).toEqual([
      {
        resource: {
          type: "AWS::EC2::Volume",
          id: VOLUME,
          arn: VOLUME_ARN,
          account: ACCOUNT,
          region: "us-east-1",
        },
        state: { volumeId: VOLUME },
        complete: false,
        observedAt: "2025-03-14T16:07:12Z",
        tagsKnown: false,
        needsRefresh: true,
      },
    ]);
  });

  it("DetachVolume: the same, the live read decides", () => {
    const [observation] = fromTrail("DetachVolume");
    expect(observation).toMatchObject({ state: { volumeId: VOLUME }, needsRefresh: true, complete: false });
  });

  it("DeleteVolume: the volume is gone (no state, complete)", () => {
    const [observation] = fromTrail("DeleteVolume");
    expect(observation).toMatchObject({ state: undefined, complete: true });
    expect(observation?.resource.id).toBe(VOLUME);
  });

  it.each([
    ["no volumeId", (d: Record<string, unknown>) => (d.requestParameters = { instanceId: INSTANCE })],
    [
      "a volumeId that is no volume id",
      (d: Record<string, unknown>) => (d.requestParameters = { volumeId: "sg-1" }),
    ],
    ["no requestParameters", (d: Record<string, unknown>) => (d.requestParameters = null)],
  ])("malformed AttachVolume (%s) is unusable", (_, change) => {
    expect(() => fromTrail("AttachVolume", change)).toThrow(UnusableEventError);
  });

  it("CreateVolume is not read (no check watches it)", () => {
    expect(() => fromTrail("CreateVolume-unencrypted-ignored")).toThrow(
      /no EBS volume reader for CreateVolume/,
    );
  });
});

describe("EBS volume adapter: Config items", () => {
  it("attached and unencrypted: the whole volume, tags included", () => {
    expect(adapter.fromConfigItem(configItem("config-volume-attached-unencrypted"))).toEqual({
      resource: {
        type: "AWS::EC2::Volume",
        id: VOLUME,
        arn: VOLUME_ARN,
        account: ACCOUNT,
        region: "us-east-1",
      },
      state: {
        volumeId: VOLUME,
        encrypted: false,
        attachedTo: [INSTANCE],
        volumeState: "in-use",
        tags: { Name: "reporting-scratch" },
      },
      complete: true,
      observedAt: "2025-03-14T16:08:01.772Z",
      tagsKnown: true,
    });
  });

  it("unattached: attached to nothing", () => {
    const { state } = adapter.fromConfigItem(configItem("config-volume-unencrypted-unattached"));
    expect(state).toMatchObject({ encrypted: false, attachedTo: [], volumeState: "available" });
  });

  it("older items write states as plain strings", () => {
    const item = configItem("config-volume-attached-unencrypted", (i) => {
      const c = i.configuration as Record<string, unknown>;
      c.state = "in-use";
      c.attachments = [
        { instanceId: INSTANCE, state: "attached", volumeId: VOLUME },
        { instanceId: "i-0eeeeeeeeeeeeeeee", state: { value: "detaching" }, volumeId: VOLUME },
      ];
    });
    expect(adapter.fromConfigItem(item).state).toMatchObject({
      attachedTo: [INSTANCE],
      volumeState: "in-use",
    });
  });

  it("a deleted volume has no state", () => {
    expect(adapter.fromConfigItem(configItem("config-volume-deleted"))).toMatchObject({
      state: undefined,
      complete: true,
    });
  });

  it("a configuration without `encrypted` is unusable", () => {
    const item = configItem("config-volume-attached-unencrypted", (i) => {
      delete (i.configuration as Record<string, unknown>).encrypted;
    });
    expect(() => adapter.fromConfigItem(item)).toThrow(UnusableEventError);
  });
});

describe("EBS volume adapter: live reads", () => {
  const [attach] = fromTrail("AttachVolume");
  if (!attach) throw new Error("no observation");

  it("refresh reads exactly this volume and takes its encryption, attachments and tags", async () => {
    ec2
      .on(DescribeVolumesCommand)
      .resolves(volume(false, [{ InstanceId: INSTANCE, State: "attaching" }], { team: "bi" }));
    const refreshed = await adapter.refresh?.(attach, clients);
    expect(ec2.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input)).toEqual([
      { VolumeIds: [VOLUME] },
    ]);
    expect(refreshed).toMatchObject({
      state: {
        volumeId: VOLUME,
        encrypted: false,
        attachedTo: [INSTANCE],
        volumeState: "in-use",
        tags: { team: "bi" },
      },
      complete: true,
      tagsKnown: true,
      needsRefresh: false,
    });
  });

  it("a volume gone since the call has no state", async () => {
    ec2.on(DescribeVolumesCommand).rejects(awsError("InvalidVolume.NotFound"));
    expect(await adapter.refresh?.(attach, clients)).toMatchObject({ state: undefined, complete: true });
  });

  it("a throttled read fails (the event is retried)", async () => {
    ec2.on(DescribeVolumesCommand).rejects(awsError("RequestLimitExceeded"));
    await expect(adapter.refresh?.(attach, clients)).rejects.toThrow(/RequestLimitExceeded/);
  });

  it("readTags reads the volume's tags; none for a volume that is gone", async () => {
    ec2.on(DescribeVolumesCommand).resolvesOnce(volume(false, [], { "vigil:exempt": "EC2.3" }));
    expect(await adapter.readTags(attach, clients)).toEqual({ "vigil:exempt": "EC2.3" });
    ec2.on(DescribeVolumesCommand).rejects(awsError("InvalidVolume.NotFound"));
    expect(await adapter.readTags(attach, clients)).toEqual({});
  });
});
