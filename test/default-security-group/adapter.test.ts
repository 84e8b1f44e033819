import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { UnusableEventError } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/security-group/adapter";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { sg } from "../support/events";
import {
  ACCOUNT,
  BY_NAME_GROUP,
  CONFIG_GROUP,
  CONFIG_VPC,
  EGRESS_GROUP,
  configItemOf,
  detailOf,
} from "./support";

const ec2Client = new EC2Client({ region: "us-east-1" });
const ec2 = mockClient(ec2Client);
const clients = { ec2: () => ec2Client } as unknown as Parameters<NonNullable<typeof adapter.refresh>>[1];
afterEach(() => ec2.reset());

describe("security-group adapter: what EC2.2 needs", () => {
  it("AuthorizeSecurityGroupEgress: the created egress rules with ids, and a whole-group read to come", () => {
    const [obs] = adapter.fromCloudTrail(detailOf("authorize-egress-default-group"), ACCOUNT);
    expect(obs).toMatchObject({
      resource: { id: EGRESS_GROUP, type: "AWS::EC2::SecurityGroup" },
      complete: false,
      tagsKnown: false,
      needsRefresh: true,
      state: {
        groupId: EGRESS_GROUP,
        ingress: [],
        confirm: "whole-group",
        egress: [
          {
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            source: { kind: "cidr4", cidr: "0.0.0.0/0" },
            ruleId: "sgr-0e4f6a8b0c2d41357",
            description: "https out",
          },
        ],
      },
    });
    expect(obs?.state?.groupName).toBeUndefined();
  });

  it("AuthorizeSecurityGroupEgress without a response rule set falls back to the request", () => {
    const event = sg("authorize-egress-default-group");
    event.detail.responseElements = { requestId: "x", _return: true };
    const [obs] = adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
    expect(obs?.state?.egress).toEqual([
      {
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        source: { kind: "cidr4", cidr: "0.0.0.0/0" },
        description: "https out",
      },
    ]);
  });

  it("bad input: an egress call that names no group is unusable", () => {
    const event = sg("authorize-egress-default-group");
    event.detail.requestParameters = { ipPermissions: { items: [] } };
    event.detail.responseElements = { _return: true };
    expect(() => adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT)).toThrow(
      UnusableEventError,
    );
  });

  it("AuthorizeSecurityGroupIngress by the name `default` asks for the whole group; by id it asks for nothing", () => {
    const [byName] = adapter.fromCloudTrail(detailOf("authorize-default-group-by-name"), ACCOUNT);
    expect(byName).toMatchObject({
      resource: { id: BY_NAME_GROUP, name: "default" },
      needsRefresh: true,
      state: { groupName: "default", confirm: "whole-group" },
    });
    // The hot path: a call by id is judged on the event alone, no read added.
    const [byId] = adapter.fromCloudTrail(detailOf("authorize-ssh-world-ipv4"), ACCOUNT);
    expect(byId?.needsRefresh).toBe(false);
    expect(byId?.state?.confirm).toBeUndefined();
  });

  it("Config items carry outbound rules too (camelCase ipPermissionsEgress)", () => {
    const obs = adapter.fromConfigItem(configItemOf("config-item-default-group-untouched"));
    expect(obs).toMatchObject({ complete: true, tagsKnown: true });
    expect(obs.state).toMatchObject({ groupId: CONFIG_GROUP, groupName: "default", vpcId: CONFIG_VPC });
    expect(obs.state?.ingress).toEqual([
      { protocol: "all", source: { kind: "group", groupId: CONFIG_GROUP, userId: ACCOUNT } },
    ]);
    expect(obs.state?.egress).toEqual([{ protocol: "all", source: { kind: "cidr4", cidr: "0.0.0.0/0" } }]);
    expect(adapter.fromConfigItem(configItemOf("config-item-default-group-closed")).state).toMatchObject({
      ingress: [],
      egress: [],
    });
  });

  describe("refresh of the whole group", () => {
    const [egress] = adapter.fromCloudTrail(detailOf("authorize-egress-default-group"), ACCOUNT);

    it("a default group: name and tags from DescribeSecurityGroups, every rule with its id, complete", async () => {
      ec2.on(DescribeSecurityGroupsCommand).resolves({
        SecurityGroups: [
          {
            GroupId: EGRESS_GROUP,
            GroupName: "default",
            VpcId: "vpc-1",
            OwnerId: ACCOUNT,
            Tags: [{ Key: "k", Value: "v" }],
          },
        ],
      });
      ec2.on(DescribeSecurityGroupRulesCommand).resolves({
        SecurityGroupRules: [
          {
            SecurityGroupRuleId: "sgr-in",
            IsEgress: false,
            IpProtocol: "-1",
            ReferencedGroupInfo: { GroupId: EGRESS_GROUP },
          },
          { SecurityGroupRuleId: "sgr-out", IsEgress: true, IpProtocol: "-1", CidrIpv4: "0.0.0.0/0" },
        ],
      });
      const obs = await adapter.refresh?.(egress!, clients);
      expect(obs).toMatchObject({
        complete: true,
        tagsKnown: true,
        needsRefresh: false,
        resource: { name: "default" },
      });
      expect(obs?.state).toEqual({
        groupId: EGRESS_GROUP,
        groupName: "default",
        vpcId: "vpc-1",
        ownerId: ACCOUNT,
        tags: { k: "v" },
        ingress: [{ protocol: "all", source: { kind: "group", groupId: EGRESS_GROUP }, ruleId: "sgr-in" }],
        egress: [{ protocol: "all", source: { kind: "cidr4", cidr: "0.0.0.0/0" }, ruleId: "sgr-out" }],
      });
      expect(ec2.commandCalls(DescribeSecurityGroupRulesCommand)[0]?.args[0].input).toEqual({
        Filters: [{ Name: "group-id", Values: [EGRESS_GROUP] }],
        MaxResults: 1000,
      });
    });

    it("any other group: one DescribeSecurityGroups, no rule read, still partial", async () => {
      ec2.on(DescribeSecurityGroupsCommand).resolves({
        SecurityGroups: [{ GroupId: EGRESS_GROUP, GroupName: "app", VpcId: "vpc-1", Tags: [] }],
      });
      const obs = await adapter.refresh?.(egress!, clients);
      expect(obs).toMatchObject({ complete: false, tagsKnown: true, needsRefresh: false });
      expect(obs?.state).toMatchObject({ groupName: "app", tags: {} });
      expect(obs?.state?.confirm).toBeUndefined();
      expect(ec2.calls()).toHaveLength(1);
    });

    it("a group deleted since the call: nothing left to judge", async () => {
      ec2
        .on(DescribeSecurityGroupsCommand)
        .rejects(Object.assign(new Error("gone"), { name: "InvalidGroup.NotFound", $metadata: {} }));
      const obs = await adapter.refresh?.(egress!, clients);
      expect(obs).toMatchObject({ state: undefined, complete: true });
    });
  });
});
