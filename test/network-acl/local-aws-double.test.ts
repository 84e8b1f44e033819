import {
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  ReplaceNetworkAclEntryCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorName } from "../../shared/aws/errors";
import { liveNetworkAcl } from "../../shared/resources/network-acl/from-ec2-api";
import { addDefaultNetworkAcl, networkAcls } from "../support/local-aws/ec2-network-acl";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import type { AclEntry } from "../../shared/resources/network-acl/state";
import { STAR, VPC_ID, WORLD4, WORLD6, entry } from "./support";

/** The network-ACL double spoken to by the real SDK client, the way Vigil and the e2e test use it. */
describe("local AWS: EC2 network ACLs", () => {
  let aws: LocalAws;
  let ec2: EC2Client;
  beforeAll(async () => {
    aws = await startLocalAws();
    ec2 = new EC2Client({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
  });
  afterAll(async () => {
    ec2?.destroy();
    await aws?.close();
  });

  const newAcl = async (tags: Record<string, string> = {}) => {
    const out = await ec2.send(
      new CreateNetworkAclCommand({
        VpcId: VPC_ID,
        TagSpecifications: [
          { ResourceType: "network-acl", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        ],
      }),
    );
    return out.NetworkAcl?.NetworkAclId ?? "";
  };
  /** Entries in one stable order: ingress first, by number (AWS lists egress first). */
  const ordered = (entries: AclEntry[] | undefined) =>
    [...(entries ?? [])].sort((a, b) => Number(a.egress) - Number(b.egress) || a.ruleNumber - b.ruleNumber);
  const entriesOf = async (aclId: string) => ordered((await liveNetworkAcl(ec2, aclId))?.entries);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => "no error",
      (error: unknown) => errorName(error),
    );

  it("creates an ACL with only its `*` entries; entries written by number read back as Vigil's state", async () => {
    const aclId = await newAcl({ Name: "web" });
    expect(aclId).toMatch(/^acl-[0-9a-f]{17}$/);
    expect(await entriesOf(aclId)).toEqual(STAR);

    const base = { NetworkAclId: aclId, Egress: false, RuleAction: "allow" as const };
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        ...base,
        RuleNumber: 90,
        Protocol: "6",
        CidrBlock: WORLD4,
        PortRange: { From: 22, To: 22 },
      }),
    );
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        ...base,
        RuleNumber: 95,
        Protocol: "tcp",
        Ipv6CidrBlock: WORLD6,
        PortRange: { From: 3389, To: 3389 },
      }),
    );
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        ...base,
        RuleNumber: 70,
        Protocol: "1",
        CidrBlock: WORLD4,
        IcmpTypeCode: { Type: 8, Code: -1 },
      }),
    );
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        ...base,
        Egress: true,
        RuleNumber: 90,
        Protocol: "-1",
        CidrBlock: WORLD4,
      }),
    );

    expect(aws.calls("ec2", "CreateNetworkAclEntry")[0]?.params).toMatchObject({
      NetworkAclId: aclId,
      RuleNumber: "90",
      Egress: "false",
      Protocol: "6",
      RuleAction: "allow",
      CidrBlock: WORLD4,
      "PortRange.From": "22",
      "PortRange.To": "22",
    });
    expect(await entriesOf(aclId)).toEqual(
      ordered([
        ...STAR,
        entry(90, "allow", "6", WORLD4, [22, 22]),
        entry(95, "allow", "6", WORLD6, [3389, 3389]),
        { ...entry(70, "allow", "1", WORLD4), icmpType: 8, icmpCode: -1 },
        entry(90, "allow", "-1", WORLD4, undefined, true),
      ]),
    );
    expect(await liveNetworkAcl(ec2, aclId)).toMatchObject({
      networkAclId: aclId,
      vpcId: VPC_ID,
      isDefault: false,
      ownerId: "000000000000",
      wholeAcl: true,
      tags: { Name: "web" },
    });
  });

  it("replaces and deletes by (number, direction), with AWS's error codes", async () => {
    const aclId = await newAcl();
    const ssh = {
      NetworkAclId: aclId,
      RuleNumber: 90,
      Egress: false,
      Protocol: "6",
      RuleAction: "allow" as const,
    };
    await ec2.send(
      new CreateNetworkAclEntryCommand({ ...ssh, CidrBlock: WORLD4, PortRange: { From: 22, To: 22 } }),
    );
    expect(
      await failure(
        ec2.send(
          new CreateNetworkAclEntryCommand({ ...ssh, CidrBlock: WORLD4, PortRange: { From: 22, To: 22 } }),
        ),
      ),
    ).toBe("NetworkAclEntryAlreadyExists");
    await ec2.send(
      new ReplaceNetworkAclEntryCommand({
        ...ssh,
        CidrBlock: "198.51.100.0/24",
        PortRange: { From: 22, To: 22 },
      }),
    );
    expect((await liveNetworkAcl(ec2, aclId))?.entries).toContainEqual(
      entry(90, "allow", "6", "198.51.100.0/24", [22, 22]),
    );
    expect(
      await failure(
        ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 90, Egress: true })),
      ),
    ).toBe("InvalidNetworkAclEntry.NotFound");
    await ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: 90, Egress: false }));
    expect(await entriesOf(aclId)).toEqual(STAR);
    expect(
      await failure(
        ec2.send(
          new ReplaceNetworkAclEntryCommand({ ...ssh, CidrBlock: WORLD4, PortRange: { From: 22, To: 22 } }),
        ),
      ),
    ).toBe("InvalidNetworkAclEntry.NotFound");
  });

  it("refuses what AWS refuses: unknown ACLs, TCP without ports, two CIDR blocks, rule numbers out of range", async () => {
    const aclId = await newAcl();
    const base = {
      NetworkAclId: aclId,
      RuleNumber: 90,
      Egress: false,
      Protocol: "6",
      RuleAction: "allow" as const,
    };
    expect(
      await failure(ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: ["acl-0000000000000dead"] }))),
    ).toBe("InvalidNetworkAclID.NotFound");
    expect(await liveNetworkAcl(ec2, "acl-0000000000000dead")).toBeUndefined();
    expect(await failure(ec2.send(new CreateNetworkAclEntryCommand({ ...base, CidrBlock: WORLD4 })))).toBe(
      "MissingParameter",
    );
    expect(
      await failure(
        ec2.send(
          new CreateNetworkAclEntryCommand({
            ...base,
            CidrBlock: WORLD4,
            Ipv6CidrBlock: WORLD6,
            PortRange: { From: 22, To: 22 },
          }),
        ),
      ),
    ).toBe("InvalidParameterCombination");
    expect(
      await failure(
        ec2.send(
          new CreateNetworkAclEntryCommand({
            ...base,
            RuleNumber: 32767,
            CidrBlock: WORLD4,
            PortRange: { From: 22, To: 22 },
          }),
        ),
      ),
    ).toBe("InvalidParameterValue");
  });

  it("the default ACL reads as default; CreateTags tags ACLs and still tags security groups", async () => {
    const defaultAcl = addDefaultNetworkAcl(aws.ec2State, VPC_ID);
    expect(await liveNetworkAcl(ec2, defaultAcl.networkAclId)).toMatchObject({ isDefault: true });

    const aclId = await newAcl();
    await ec2.send(
      new CreateTagsCommand({ Resources: [aclId], Tags: [{ Key: "vigil:exempt", Value: "EC2.21" }] }),
    );
    expect(networkAcls(aws.ec2State).get(aclId)?.tags).toEqual({ "vigil:exempt": "EC2.21" });
    expect((await liveNetworkAcl(ec2, aclId))?.tags).toEqual({ "vigil:exempt": "EC2.21" });

    const group = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: "tag-me", Description: "tag-me" }),
    );
    await ec2.send(
      new CreateTagsCommand({ Resources: [group.GroupId ?? ""], Tags: [{ Key: "team", Value: "net" }] }),
    );
    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [group.GroupId ?? ""] }));
    expect(described.SecurityGroups?.[0]?.Tags).toEqual([{ Key: "team", Value: "net" }]);
    expect(
      await failure(
        ec2.send(
          new CreateTagsCommand({ Resources: ["acl-0000000000000dead"], Tags: [{ Key: "a", Value: "b" }] }),
        ),
      ),
    ).toBe("InvalidNetworkAclID.NotFound");
  });
});
