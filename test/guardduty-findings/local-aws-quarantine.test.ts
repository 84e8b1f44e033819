import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceAttributeCommand,
  RunInstancesCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instanceInterfaces } from "../support/local-aws/ec2-quarantine";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";

async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error("expected the call to fail");
}

/** The local endpoint's instance interfaces and groups, through the real SDK v3 client (query protocol, XML). */
describe("local-aws: instance security groups (ModifyInstanceAttribute Groups)", () => {
  let aws: LocalAws;
  let ec2: EC2Client;
  let subnetId: string;
  let web: string;
  let quarantine: string;
  let otherVpcGroup: string;

  const group = async (GroupName: string, VpcId: string) =>
    (await ec2.send(new CreateSecurityGroupCommand({ GroupName, Description: GroupName, VpcId }))).GroupId ??
    "";
  const launch = async (input: Partial<ConstructorParameters<typeof RunInstancesCommand>[0]>) =>
    (
      await ec2.send(
        new RunInstancesCommand({ ImageId: "ami-0e9d3a7c1b5f24680", MinCount: 1, MaxCount: 1, ...input }),
      )
    ).Instances?.[0]?.InstanceId ?? "";

  beforeAll(async () => {
    aws = await startLocalAws();
    ec2 = new EC2Client({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      maxAttempts: 1,
    });
    subnetId =
      (await ec2.send(new CreateSubnetCommand({ VpcId: "vpc-0aaa", CidrBlock: "10.1.0.0/24" }))).Subnet
        ?.SubnetId ?? "";
    web = await group("web", "vpc-0aaa");
    quarantine = await group("quarantine", "vpc-0aaa");
    otherVpcGroup = await group("elsewhere", "vpc-0bbb");
  });
  afterAll(async () => {
    ec2?.destroy();
    await aws?.close();
  });

  it("RunInstances gives the instance an interface with the requested groups; DescribeInstances shows them", async () => {
    const id = await launch({ SubnetId: subnetId, SecurityGroupIds: [web] });
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const instance = out.Reservations?.[0]?.Instances?.[0];
    const [eni] = instanceInterfaces(aws.ec2State, id);
    expect(instance?.SecurityGroups).toEqual([{ GroupId: web, GroupName: "web" }]);
    expect(instance?.NetworkInterfaces).toEqual([
      expect.objectContaining({
        NetworkInterfaceId: eni?.networkInterfaceId,
        Attachment: expect.objectContaining({ DeviceIndex: 0 }),
        Groups: [{ GroupId: web, GroupName: "web" }],
      }),
    ]);
  });

  it("without groups, the VPC's default group", async () => {
    const id = await launch({ SubnetId: subnetId });
    expect(instanceInterfaces(aws.ec2State, id)[0]?.groups).toEqual([
      aws.ec2State.defaultGroup("vpc-0aaa").groupId,
    ]);
  });

  it("ModifyInstanceAttribute Groups replaces the single interface's groups", async () => {
    const id = await launch({ SubnetId: subnetId, SecurityGroupIds: [web] });
    await ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: id, Groups: [quarantine] }));
    expect(instanceInterfaces(aws.ec2State, id).map((ni) => ni.groups)).toEqual([[quarantine]]);
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    expect(out.Reservations?.[0]?.Instances?.[0]?.NetworkInterfaces?.[0]?.Groups).toEqual([
      { GroupId: quarantine, GroupName: "quarantine" },
    ]);
  });

  it("refuses as AWS does: several interfaces, unknown or foreign groups, unknown instances", async () => {
    const multi = await launch({
      NetworkInterfaces: [
        { DeviceIndex: 0, SubnetId: subnetId, Groups: [web] },
        { DeviceIndex: 1, SubnetId: subnetId, Groups: [web] },
      ],
    });
    expect(instanceInterfaces(aws.ec2State, multi).map((ni) => ni.groups)).toEqual([[web], [web]]);
    expect(
      await errorOf(
        ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: multi, Groups: [quarantine] })),
      ),
    ).toEqual({
      name: "InvalidInstanceID",
      message: `There are multiple interfaces attached to instance '${multi}'. Please specify an interface ID for the operation instead.`,
    });
    const single = await launch({ SubnetId: subnetId, SecurityGroupIds: [web] });
    expect(
      (
        await errorOf(
          ec2.send(
            new ModifyInstanceAttributeCommand({ InstanceId: single, Groups: ["sg-0000000000000dead"] }),
          ),
        )
      ).name,
    ).toBe("InvalidGroup.NotFound");
    expect(
      (
        await errorOf(
          ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: single, Groups: [otherVpcGroup] })),
        )
      ).name,
    ).toBe("InvalidGroup.NotFound");
    expect(instanceInterfaces(aws.ec2State, single).map((ni) => ni.groups)).toEqual([[web]]);
    expect(
      (
        await errorOf(
          ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: "i-0123456789abcdef0", Groups: [web] })),
        )
      ).name,
    ).toBe("InvalidInstanceID.NotFound");
    // A bad group launches nothing.
    const before = aws.ec2State.networkInterfaces.size;
    expect((await errorOf(launch({ SubnetId: subnetId, SecurityGroupIds: [otherVpcGroup] }))).name).toBe(
      "InvalidGroup.NotFound",
    );
    expect(aws.ec2State.networkInterfaces.size).toBe(before);
  });
});
