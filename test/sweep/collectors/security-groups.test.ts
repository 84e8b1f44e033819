import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/security-group/adapter";
import collector, { securityGroupsCollector } from "../../../shared/sweep/collectors/security-groups";
import { loadEvent } from "../../support/events";
import {
  collectAll,
  configItemAs,
  startEc2Endpoint,
  verdicts,
  type Ec2Endpoint,
} from "./ec2-collect-context";

const VPC = "vpc-0d4e7a1c9b3f5e268";

describe("security-group collector against the local EC2 endpoint", () => {
  let env: Ec2Endpoint;
  beforeAll(async () => {
    env = await startEc2Endpoint();
  });
  afterAll(async () => env?.close());

  async function newGroup(name: string, vpcId = VPC, tags: Record<string, string> = {}): Promise<string> {
    const out = await env.ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: name,
        Description: name,
        VpcId: vpcId,
        TagSpecifications: Object.keys(tags).length
          ? [
              {
                ResourceType: "security-group",
                Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
              },
            ]
          : undefined,
      }),
    );
    return out.GroupId ?? "";
  }

  it("declares what it reads", () => {
    expect(collector.resourceType).toBe("AWS::EC2::SecurityGroup");
    expect(collector.scope).toBe("regional");
    expect(collector.iamActions).toEqual(["ec2:DescribeSecurityGroups"]);
  });

  it("lists every group exactly once across pages (250 groups, pages of 100)", async () => {
    const created: string[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const ids = await Promise.all(
        Array.from({ length: 25 }, (_, i) => newGroup(`app-${batch}-${i}`, "vpc-0aaaaaaaaaaaaaaa1")),
      );
      created.push(...ids);
    }
    const everything = (await env.ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
    expect(everything.length).toBeGreaterThan(250);
    const before = env.aws.calls("ec2", "DescribeSecurityGroups").length;

    const found = await collectAll(securityGroupsCollector(100), env.context);

    const ids = found.map((o) => o.resource.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(everything.map((g) => g.GroupId).sort());
    expect(ids).toEqual(expect.arrayContaining(created));
    const calls = env.aws.calls("ec2", "DescribeSecurityGroups").slice(before);
    expect(calls).toHaveLength(Math.ceil(everything.length / 100));
    expect(calls.every((c) => c.params.MaxResults === "100")).toBe(true);
    for (const o of found)
      expect(o).toMatchObject({ complete: true, tagsKnown: true, observedAt: env.context.now.toISOString() });
  });

  it("asks for the largest page AWS allows by default", async () => {
    const before = env.aws.calls("ec2", "DescribeSecurityGroups").length;
    await collectAll(collector, env.context);
    const calls = env.aws.calls("ec2", "DescribeSecurityGroups").slice(before);
    expect(calls.map((c) => c.params.MaxResults)).toEqual(["1000"]);
  });

  it("parity: a world-open group gives the Config item path's state and violations", async () => {
    const groupId = await newGroup("ops-bastion", VPC, { team: "platform" });
    await env.ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 22,
            ToPort: 22,
            IpRanges: [
              { CidrIp: "0.0.0.0/0", Description: "temp ssh for debugging" },
              { CidrIp: "198.51.100.23/32", Description: "alice home office" },
            ],
          },
          { IpProtocol: "tcp", FromPort: 3389, ToPort: 3389, Ipv6Ranges: [{ CidrIpv6: "::/0" }] },
          { IpProtocol: "-1", UserIdGroupPairs: [{ GroupId: groupId }] },
        ],
      }),
    );
    const item = configItemAs(loadEvent("security-group/config-item-world-open-ssh-and-rdp.json"), {
      "sg-0c1d2e3f4a5b6c7d8": groupId,
    });
    const fromConfig = adapter.fromConfigItem(item);

    const collected = (await collectAll(collector, env.context)).find((o) => o.resource.id === groupId);

    expect(collected?.resource).toEqual(fromConfig.resource);
    expect(collected?.state).toEqual(fromConfig.state);
    expect(collected).toMatchObject({ complete: fromConfig.complete, tagsKnown: fromConfig.tagsKnown });
    const sweep = verdicts(collected!, env.context);
    expect(sweep).toEqual(verdicts(fromConfig, env.context));
    const failing = sweep.filter((v) => v.violations.length).map((v) => v.checkId);
    expect(failing).toEqual(expect.arrayContaining(["EC2.13", "EC2.14", "EC2.19"]));
  });

  it("fails, yielding nothing, when EC2 refuses the listing (the unit is retried, nothing resolves)", async () => {
    const refusing = await startEc2Endpoint({ unsupportedActions: ["DescribeSecurityGroups"] });
    try {
      const yielded: unknown[] = [];
      const run = async () => {
        for await (const o of collector.collect(refusing.context)) yielded.push(o);
      };
      await expect(run()).rejects.toMatchObject({ name: "InvalidAction" });
      expect(yielded).toEqual([]);
    } finally {
      await refusing.close();
    }
  });

  it("parity: a VPC's untouched default group fails EC2.2 as its Config item does", async () => {
    const vpcId = "vpc-0e5f7a9b1c3d52468";
    await newGroup("trigger-default-group", vpcId);
    const collected = (await collectAll(collector, env.context)).find(
      (o) => o.state?.vpcId === vpcId && o.state.groupName === "default",
    );
    expect(collected).toBeDefined();
    const item = configItemAs(loadEvent("security-group/config-item-default-group-untouched.json"), {
      "sg-0c3d4e5f6a7b80912": collected!.resource.id,
    });
    const fromConfig = adapter.fromConfigItem(item);
    expect(collected?.state).toEqual(fromConfig.state);
    const sweep = verdicts(collected!, env.context);
    expect(sweep).toEqual(verdicts(fromConfig, env.context));
    expect(sweep.find((v) => v.checkId === "EC2.2")?.violations).toHaveLength(2);
  });
});
