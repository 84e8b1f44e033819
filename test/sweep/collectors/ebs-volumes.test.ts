import { AttachVolumeCommand, CreateVolumeCommand, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/ebs-volume/adapter";
import collector, { ebsVolumesCollector } from "../../../shared/sweep/collectors/ebs-volumes";
import { ec2Volumes } from "../../support/local-aws/ec2-volumes";
import { loadEvent } from "../../support/events";
import {
  collectAll,
  configItemAs,
  startEc2Endpoint,
  verdicts,
  type Ec2Endpoint,
} from "./ec2-collect-context";

describe("EBS volume collector against the local EC2 endpoint", () => {
  let env: Ec2Endpoint;
  beforeAll(async () => {
    env = await startEc2Endpoint();
  });
  afterAll(async () => env?.close());

  async function newVolume(encrypted: boolean, name?: string): Promise<string> {
    const out = await env.ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: "us-east-1b",
        Size: 100,
        Encrypted: encrypted,
        ...(name
          ? { TagSpecifications: [{ ResourceType: "volume", Tags: [{ Key: "Name", Value: name }] }] }
          : {}),
      }),
    );
    return out.VolumeId ?? "";
  }

  async function attached(volumeId: string): Promise<string> {
    const run = await env.ec2.send(
      new RunInstancesCommand({ ImageId: "ami-0abcdef1234567890", MinCount: 1, MaxCount: 1 }),
    );
    const instanceId = run.Instances?.[0]?.InstanceId ?? "";
    await env.ec2.send(
      new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: "/dev/sdf" }),
    );
    return instanceId;
  }

  it("declares what it reads", () => {
    expect(collector).toMatchObject({
      resourceType: "AWS::EC2::Volume",
      scope: "regional",
      iamActions: ["ec2:DescribeVolumes"],
    });
  });

  it("lists every volume exactly once across pages (60 volumes, pages of 25), asking for 1000 by default", async () => {
    const created = await Promise.all(Array.from({ length: 60 }, (_, i) => newVolume(i % 2 === 0)));
    const before = env.aws.calls("ec2", "DescribeVolumes").length;

    const found = await collectAll(ebsVolumesCollector(25), env.context);

    const ids = found.map((o) => o.resource.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...ec2Volumes(env.aws.ec2State).keys()].sort());
    expect(ids).toEqual(expect.arrayContaining(created));
    const calls = env.aws.calls("ec2", "DescribeVolumes").slice(before);
    expect(calls.map((c) => c.params.MaxResults)).toEqual(["25", "25", "25"]);
    for (const o of found)
      expect(o).toMatchObject({ complete: true, tagsKnown: true, state: { attachedTo: [] } });

    const mark = env.aws.calls("ec2", "DescribeVolumes").length;
    await collectAll(collector, env.context);
    expect(
      env.aws
        .calls("ec2", "DescribeVolumes")
        .slice(mark)
        .map((c) => c.params.MaxResults),
    ).toEqual(["1000"]);
  });

  it("parity: an attached unencrypted volume fails EC2.3 as its Config item does", async () => {
    const volumeId = await newVolume(false, "reporting-scratch");
    const instanceId = await attached(volumeId);
    const item = configItemAs(loadEvent("ebs/config-volume-attached-unencrypted.json"), {
      "vol-0f1a3c5e7b9d24684": volumeId,
      "i-0a1b2c3d4e5f60718": instanceId,
    });
    const fromConfig = adapter.fromConfigItem(item);

    const collected = (await collectAll(collector, env.context)).find((o) => o.resource.id === volumeId);

    expect(collected?.resource).toEqual(fromConfig.resource);
    expect(collected?.state).toEqual(fromConfig.state);
    const sweep = verdicts(collected!, env.context);
    expect(sweep).toEqual(verdicts(fromConfig, env.context));
    expect(sweep).toEqual([
      {
        checkId: "EC2.3",
        violations: [
          expect.objectContaining({ evidence: expect.objectContaining({ attachedTo: [instanceId] }) }),
        ],
      },
    ]);
  });

  it("an attached encrypted volume passes; an unattached unencrypted one is not judged a failure", async () => {
    const encrypted = await newVolume(true);
    await attached(encrypted);
    const loose = await newVolume(false);
    const found = await collectAll(collector, env.context);
    for (const id of [encrypted, loose]) {
      const o = found.find((f) => f.resource.id === id);
      expect(verdicts(o!, env.context)).toEqual([{ checkId: "EC2.3", violations: [] }]);
    }
    expect(found.find((f) => f.resource.id === encrypted)?.state).toMatchObject({
      encrypted: true,
      kmsKeyId: expect.any(String),
    });
  });
});
