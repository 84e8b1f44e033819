import {
  CreateSubnetCommand,
  DescribeInstancesCommand,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/ec2-instance/adapter";
import collector, { ec2InstancesCollector } from "../../../shared/sweep/collectors/ec2-instances";
import { ec2Instances } from "../../support/local-aws/ec2-instances";
import { loadEvent } from "../../support/events";
import {
  collectAll,
  configItemAs,
  startEc2Endpoint,
  verdicts,
  type Ec2Endpoint,
} from "./ec2-collect-context";

const VPC = "vpc-0d4e7a1c9b3f5e268";
const SAMPLE_INSTANCE = "i-0c5e7a9b1d3f24680";
const SAMPLE_SUBNET = "subnet-0a7c9e1b3d5f24681";

describe("EC2 instance collector against the local EC2 endpoint", () => {
  let env: Ec2Endpoint;
  beforeAll(async () => {
    env = await startEc2Endpoint();
  });
  afterAll(async () => env?.close());

  async function subnet(autoAssign: boolean): Promise<string> {
    const out = await env.ec2.send(new CreateSubnetCommand({ VpcId: VPC, CidrBlock: "10.40.12.0/24" }));
    const subnetId = out.Subnet?.SubnetId ?? "";
    if (autoAssign)
      await env.ec2.send(
        new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }),
      );
    return subnetId;
  }

  async function launch(subnetId: string, httpTokens: "optional" | "required", count = 1): Promise<string[]> {
    const out = await env.ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0abcdef1234567890",
        MinCount: count,
        MaxCount: count,
        SubnetId: subnetId,
        MetadataOptions: { HttpTokens: httpTokens, HttpEndpoint: "enabled" },
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "Name", Value: "legacy-reporting-01" }] },
        ],
      }),
    );
    return (out.Instances ?? []).map((i) => i.InstanceId ?? "");
  }

  const instances = () => ec2Instances(env.aws.ec2State).instances;

  it("declares what it reads", () => {
    expect(collector).toMatchObject({
      resourceType: "AWS::EC2::Instance",
      scope: "regional",
      iamActions: ["ec2:DescribeInstances"],
    });
  });

  it("lists every live instance exactly once across pages, and skips ending ones", async () => {
    const where = await subnet(false);
    const launched = (
      await Promise.all(Array.from({ length: 24 }, () => launch(where, "required", 2)))
    ).flat();
    const [terminated = "", shuttingDown = ""] = launched;
    instances().get(terminated)!.state = "terminated";
    instances().get(shuttingDown)!.state = "shutting-down";
    const reservations = (await env.ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
    const before = env.aws.calls("ec2", "DescribeInstances").length;

    const found = await collectAll(ec2InstancesCollector(10), env.context);

    const ids = found.map((o) => o.resource.id);
    expect(new Set(ids).size).toBe(ids.length);
    const live = [...instances().values()].filter((i) => !["terminated", "shutting-down"].includes(i.state));
    expect([...ids].sort()).toEqual(live.map((i) => i.instanceId).sort());
    expect(ids).toEqual(expect.arrayContaining(launched.slice(2)));
    expect(ids).not.toContain(terminated);
    expect(ids).not.toContain(shuttingDown);
    const calls = env.aws.calls("ec2", "DescribeInstances").slice(before);
    expect(calls.map((c) => c.params.MaxResults)).toEqual(
      Array(Math.ceil(reservations.length / 10)).fill("10"),
    );

    const mark = env.aws.calls("ec2", "DescribeInstances").length;
    await collectAll(collector, env.context);
    expect(
      env.aws
        .calls("ec2", "DescribeInstances")
        .slice(mark)
        .map((c) => c.params.MaxResults),
    ).toEqual(["1000"]);
  });

  it("parity: an IMDSv1 instance with a public address gives the Config item path's state and violations", async () => {
    const [instanceId = ""] = await launch(await subnet(true), "optional");
    const collected = (await collectAll(collector, env.context)).find((o) => o.resource.id === instanceId);
    const live = instances().get(instanceId)!;
    const item = configItemAs(loadEvent("instance/config-instance-imdsv1-public-ip.json"), {
      [SAMPLE_INSTANCE]: instanceId,
      [SAMPLE_SUBNET]: live.subnetId,
      "203.0.113.45": live.publicIpAddress ?? "",
    });
    const fromConfig = adapter.fromConfigItem(item);

    expect(collected?.resource).toEqual(fromConfig.resource);
    expect(collected?.state).toEqual(fromConfig.state);
    expect(collected).toMatchObject({ complete: true, tagsKnown: true });
    const sweep = verdicts(collected!, env.context);
    expect(sweep).toEqual(verdicts(fromConfig, env.context));
    expect(sweep.map((v) => [v.checkId, v.violations.length])).toEqual([
      ["EC2.8", 1],
      ["EC2.9", 1],
    ]);
  });

  it("parity: a stopped IMDSv2 instance without a public address passes both checks, as its Config item does", async () => {
    const [instanceId = ""] = await launch(await subnet(false), "required");
    instances().get(instanceId)!.state = "stopped";
    const collected = (await collectAll(collector, env.context)).find((o) => o.resource.id === instanceId);
    const item = configItemAs(loadEvent("instance/config-instance-imdsv2-private.json"), {
      [SAMPLE_INSTANCE]: instanceId,
      [SAMPLE_SUBNET]: instances().get(instanceId)!.subnetId,
    });
    const fromConfig = adapter.fromConfigItem(item);

    expect(collected?.state).toEqual(fromConfig.state);
    const sweep = verdicts(collected!, env.context);
    expect(sweep).toEqual(verdicts(fromConfig, env.context));
    expect(sweep).toEqual([
      { checkId: "EC2.8", violations: [] },
      { checkId: "EC2.9", violations: [] },
    ]);
  });

  it("a pending instance's public address is unknown, not absent: EC2.9 stays undecided", async () => {
    const [instanceId = ""] = await launch(await subnet(false), "required");
    instances().get(instanceId)!.state = "pending";
    const collected = (await collectAll(collector, env.context)).find((o) => o.resource.id === instanceId);
    expect(collected?.state?.publicIpv4).toBeUndefined();
    expect(verdicts(collected!, env.context).find((v) => v.checkId === "EC2.9")).toMatchObject({
      violations: [],
      undecided: expect.any(String),
    });
  });
});
