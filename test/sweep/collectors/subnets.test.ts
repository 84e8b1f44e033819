import {
  CreateSubnetCommand,
  DescribeSubnetsCommand,
  ModifySubnetAttributeCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/subnet/adapter";
import collector, { subnetsCollector } from "../../../shared/sweep/collectors/subnets";
import { DEFAULT_VPC_ID } from "../../support/local-aws/ec2";
import { DEFAULT_SUBNET_ID } from "../../support/local-aws/ec2-instances";
import { loadEvent } from "../../support/events";
import {
  collectAll,
  configItemAs,
  startEc2Endpoint,
  verdicts,
  type Ec2Endpoint,
} from "./ec2-collect-context";

const VPC = "vpc-0d4e7a1c9b3f5e268";

describe("subnet collector against the local EC2 endpoint", () => {
  let env: Ec2Endpoint;
  beforeAll(async () => {
    env = await startEc2Endpoint();
  });
  afterAll(async () => env?.close());

  async function newSubnet(): Promise<string> {
    const out = await env.ec2.send(new CreateSubnetCommand({ VpcId: VPC, CidrBlock: "10.40.12.0/24" }));
    return out.Subnet?.SubnetId ?? "";
  }

  it("declares what it reads", () => {
    expect(collector).toMatchObject({
      resourceType: "AWS::EC2::Subnet",
      scope: "regional",
      iamActions: ["ec2:DescribeSubnets"],
    });
  });

  it("lists every subnet exactly once across pages (40 subnets, pages of 10), asking for 1000 by default", async () => {
    const created = await Promise.all(Array.from({ length: 40 }, newSubnet));
    const all = (await env.ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
    const before = env.aws.calls("ec2", "DescribeSubnets").length;

    const found = await collectAll(subnetsCollector(10), env.context);

    const ids = found.map((o) => o.resource.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(all.map((s) => s.SubnetId).sort());
    expect(ids).toEqual(expect.arrayContaining([...created, DEFAULT_SUBNET_ID]));
    const calls = env.aws.calls("ec2", "DescribeSubnets").slice(before);
    expect(calls.map((c) => c.params.MaxResults)).toEqual(Array(Math.ceil(all.length / 10)).fill("10"));
    for (const o of found) expect(o).toMatchObject({ complete: true, tagsKnown: true });

    const mark = env.aws.calls("ec2", "DescribeSubnets").length;
    await collectAll(collector, env.context);
    expect(
      env.aws
        .calls("ec2", "DescribeSubnets")
        .slice(mark)
        .map((c) => c.params.MaxResults),
    ).toEqual(["1000"]);
  });

  it("parity: the default subnet auto-assigns public addresses (EC2.15), as its Config item says", async () => {
    const collected = (await collectAll(collector, env.context)).find(
      (o) => o.resource.id === DEFAULT_SUBNET_ID,
    );
    const item = configItemAs(loadEvent("subnet/config-subnet-default-auto-assign.json"), {
      "subnet-0f2a4c6e8b1d35793": DEFAULT_SUBNET_ID,
      "vpc-0a1c3e5b7d9f24687": DEFAULT_VPC_ID,
    });
    const fromConfig = adapter.fromConfigItem(item);

    expect(collected?.resource).toEqual(fromConfig.resource);
    expect(collected?.state).toEqual(fromConfig.state);
    const sweep = verdicts(collected!, env.context);
    expect(sweep).toEqual(verdicts(fromConfig, env.context));
    expect(sweep).toEqual([
      {
        checkId: "EC2.15",
        violations: [expect.objectContaining({ evidence: expect.objectContaining({ defaultForAz: true }) })],
      },
    ]);
  });

  it("parity: a private subnet passes, and turning auto-assign on makes it fail", async () => {
    const subnetId = await newSubnet();
    const item = configItemAs(loadEvent("subnet/config-subnet-private.json"), {
      "subnet-0a7c9e1b3d5f24681": subnetId,
    });
    const fromConfig = adapter.fromConfigItem(item);
    const before = (await collectAll(collector, env.context)).find((o) => o.resource.id === subnetId);
    expect(before?.state).toEqual(fromConfig.state);
    expect(verdicts(before!, env.context)).toEqual(verdicts(fromConfig, env.context));
    expect(verdicts(before!, env.context)).toEqual([{ checkId: "EC2.15", violations: [] }]);

    await env.ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }),
    );
    const after = (await collectAll(collector, env.context)).find((o) => o.resource.id === subnetId);
    expect(verdicts(after!, env.context)[0]?.violations).toHaveLength(1);
  });
});
