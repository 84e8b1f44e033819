import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  DescribeInstancesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
  ModifyInstanceMetadataOptionsCommand,
  ModifySubnetAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SUBNET_ID, ec2Instances } from "../support/local-aws/ec2-instances";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error("expected the call to fail");
}

/** The local endpoint's EC2 instances and subnets, through the real SDK v3 client (query protocol, XML). */
describe("local-aws: EC2 instances and subnets", () => {
  let aws: LocalAws;
  let ec2: EC2Client;

  beforeAll(async () => {
    aws = await startLocalAws();
    ec2 = new EC2Client({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    ec2?.destroy();
    await aws?.close();
  });

  it("RunInstances: metadata options and tags as asked; the default subnet gives a public address", async () => {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0e9d3a7c1b5f24680",
        MinCount: 2,
        MaxCount: 2,
        MetadataOptions: { HttpTokens: "optional", HttpEndpoint: "enabled" },
        TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Name", Value: "legacy" }] }],
      }),
    );
    expect(out.Instances).toHaveLength(2);
    const [first] = out.Instances ?? [];
    expect(first).toMatchObject({
      State: { Name: "pending" },
      SubnetId: DEFAULT_SUBNET_ID,
      PublicIpAddress: expect.stringMatching(/^198\.51\.100\.\d+$/),
      MetadataOptions: { HttpTokens: "optional", HttpEndpoint: "enabled" },
      Tags: [{ Key: "Name", Value: "legacy" }],
    });
    const described = await ec2.send(
      new DescribeInstancesCommand({ InstanceIds: [first?.InstanceId ?? ""] }),
    );
    expect(described.Reservations?.[0]?.Instances?.[0]).toMatchObject({
      InstanceId: first?.InstanceId,
      State: { Name: "running" },
      MetadataOptions: { State: "applied", HttpTokens: "optional" },
    });
  });

  it("RunInstances in a subnet without auto-assign, or with AssociatePublicIpAddress=false: no public address", async () => {
    const subnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: "vpc-0d4e7a1c9b3f5e268", CidrBlock: "10.1.0.0/24" }),
    );
    const subnetId = subnet.Subnet?.SubnetId ?? "";
    expect(subnet.Subnet).toMatchObject({ MapPublicIpOnLaunch: false, DefaultForAz: false });
    const inSubnet = await ec2.send(
      new RunInstancesCommand({ ImageId: "ami-1", MinCount: 1, MaxCount: 1, SubnetId: subnetId }),
    );
    expect(inSubnet.Instances?.[0]?.PublicIpAddress).toBeUndefined();
    const optedOut = await ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-1",
        MinCount: 1,
        MaxCount: 1,
        NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }],
      }),
    );
    expect(optedOut.Instances?.[0]).toMatchObject({ SubnetId: DEFAULT_SUBNET_ID });
    expect(optedOut.Instances?.[0]?.PublicIpAddress).toBeUndefined();
  });

  it("ModifyInstanceMetadataOptions changes only what it names and answers the options after it", async () => {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-1", MinCount: 1, MaxCount: 1 }));
    const instanceId = run.Instances?.[0]?.InstanceId ?? "";
    const out = await ec2.send(
      new ModifyInstanceMetadataOptionsCommand({ InstanceId: instanceId, HttpTokens: "required" }),
    );
    expect(out).toMatchObject({
      InstanceId: instanceId,
      InstanceMetadataOptions: {
        State: "pending",
        HttpTokens: "required",
        HttpEndpoint: "enabled",
        HttpPutResponseHopLimit: 1,
      },
    });
    expect(ec2Instances(aws.ec2State).instances.get(instanceId)?.metadataOptions).toMatchObject({
      httpTokens: "required",
      httpEndpoint: "enabled",
    });
  });

  it("AWS's errors: unknown instance, bad value, tokens with the endpoint off, unknown subnet", async () => {
    expect(
      await errorOf(ec2.send(new DescribeInstancesCommand({ InstanceIds: ["i-0123456789abcdef0"] }))),
    ).toEqual({
      name: "InvalidInstanceID.NotFound",
      message: "The instance ID 'i-0123456789abcdef0' does not exist",
    });
    expect(
      (
        await errorOf(
          ec2.send(new ModifyInstanceMetadataOptionsCommand({ InstanceId: "i-0123456789abcdef0" })),
        )
      ).name,
    ).toBe("InvalidInstanceID.NotFound");
    const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-1", MinCount: 1, MaxCount: 1 }));
    const instanceId = run.Instances?.[0]?.InstanceId ?? "";
    const bad = ec2.send(
      new ModifyInstanceMetadataOptionsCommand({
        InstanceId: instanceId,
        HttpTokens: "sometimes" as "required",
      }),
    );
    expect((await errorOf(bad)).name).toBe("InvalidParameterValue");
    await ec2.send(
      new ModifyInstanceMetadataOptionsCommand({ InstanceId: instanceId, HttpEndpoint: "disabled" }),
    );
    const tokens = ec2.send(
      new ModifyInstanceMetadataOptionsCommand({ InstanceId: instanceId, HttpTokens: "required" }),
    );
    expect((await errorOf(tokens)).message).toMatch(/HttpEndpoint is not set to 'enabled'/);
    expect(
      (await errorOf(ec2.send(new DescribeSubnetsCommand({ SubnetIds: ["subnet-0123456789abcdef0"] })))).name,
    ).toBe("InvalidSubnetID.NotFound");
  });

  it("subnets: ModifySubnetAttribute turns auto-assign on and DescribeSubnets shows it", async () => {
    const created = await ec2.send(new CreateSubnetCommand({ VpcId: "vpc-1", CidrBlock: "10.2.0.0/24" }));
    const subnetId = created.Subnet?.SubnetId ?? "";
    await ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId: subnetId, MapPublicIpOnLaunch: { Value: true } }),
    );
    const out = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }));
    expect(out.Subnets).toEqual([expect.objectContaining({ SubnetId: subnetId, MapPublicIpOnLaunch: true })]);
    const defaults = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [DEFAULT_SUBNET_ID] }));
    expect(defaults.Subnets?.[0]).toMatchObject({ DefaultForAz: true, MapPublicIpOnLaunch: true });
  });

  it("CreateTags tags instances and subnets; security groups are still served by the group model", async () => {
    const run = await ec2.send(new RunInstancesCommand({ ImageId: "ami-1", MinCount: 1, MaxCount: 1 }));
    const instanceId = run.Instances?.[0]?.InstanceId ?? "";
    await ec2.send(
      new CreateTagsCommand({ Resources: [instanceId], Tags: [{ Key: "vigil:exempt", Value: "EC2.8" }] }),
    );
    const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    expect(described.Reservations?.[0]?.Instances?.[0]?.Tags).toEqual([
      { Key: "vigil:exempt", Value: "EC2.8" },
    ]);

    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "tagged", Description: "tagged" }),
    );
    await ec2.send(
      new CreateTagsCommand({ Resources: [group.GroupId ?? ""], Tags: [{ Key: "team", Value: "ops" }] }),
    );
    const groups = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [group.GroupId ?? ""] }));
    expect(groups.SecurityGroups?.[0]?.Tags).toEqual([{ Key: "team", Value: "ops" }]);

    const missing = ec2.send(
      new CreateTagsCommand({ Resources: ["i-0123456789abcdef0"], Tags: [{ Key: "a", Value: "b" }] }),
    );
    expect((await errorOf(missing)).name).toBe("InvalidInstanceID.NotFound");
  });
});
