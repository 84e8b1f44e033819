import { describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configItemSchema } from "../../shared/events/config-item";
import adapter from "../../shared/resources/security-group/adapter";
import { sg } from "../support/events";

const detailOf = (event: { detail: unknown }) => cloudTrailDetailSchema.parse(event.detail);

describe("security-group adapter: CloudTrail", () => {
  it("uses the response rule set: one rule per source, with ids and canonical CIDRs", () => {
    const [obs] = adapter.fromCloudTrail(
      detailOf(sg("authorize-legacy-form-mysql-noncanonical-cidr")),
      "111122223333",
    );
    expect(obs?.state?.ingress).toEqual([
      {
        protocol: "tcp",
        fromPort: 3306,
        toPort: 3306,
        source: { kind: "cidr4", cidr: "0.0.0.0/0" },
        ruleId: "sgr-0f1e2d3c4b5a69870",
      },
    ]);
    expect(obs).toMatchObject({
      complete: false,
      tagsKnown: false,
      observedAt: "2025-03-12T11:30:09Z",
      needsRefresh: false,
    });
    expect(obs?.resource).toEqual({
      type: "AWS::EC2::SecurityGroup",
      id: "sg-0a7b9c1d3e5f70246",
      arn: "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0a7b9c1d3e5f70246",
      account: "111122223333",
      region: "us-east-1",
    });
  });

  it("falls back to the request (items form and legacy top-level form) when the response has no rule set", () => {
    const legacy = sg("authorize-legacy-form-mysql-noncanonical-cidr");
    legacy.detail.responseElements = { requestId: "x", _return: true };
    const [obs] = adapter.fromCloudTrail(detailOf(legacy), "111122223333");
    expect(obs?.state?.ingress).toEqual([
      { protocol: "tcp", fromPort: 3306, toPort: 3306, source: { kind: "cidr4", cidr: "0.0.0.0/0" } },
    ]);

    const multi = sg("authorize-ssh-world-and-office-cidrs");
    multi.detail.responseElements = null;
    const [m] = adapter.fromCloudTrail(detailOf(multi), "111122223333");
    expect(m?.state?.ingress.map((r) => r.source)).toEqual([
      { kind: "cidr4", cidr: "10.20.0.0/16" },
      { kind: "cidr4", cidr: "0.0.0.0/0" },
    ]);

    const mixed = sg("authorize-referenced-group-and-prefix-list-compliant");
    mixed.detail.responseElements = null;
    const [x] = adapter.fromCloudTrail(detailOf(mixed), "111122223333");
    expect(x?.state?.ingress.map((r) => r.source)).toEqual([
      { kind: "group", groupId: "sg-0b93d7e2a5c14f806", userId: "111122223333" },
      { kind: "prefix-list", prefixListId: "pl-0a1b2c3d4e5f60718" },
    ]);
  });

  it("drops ports that don't limit the rule (all traffic) and keeps IPv6 sources", () => {
    const [all] = adapter.fromCloudTrail(detailOf(sg("authorize-all-traffic-world")), "111122223333");
    expect(all?.state?.ingress[0]).toEqual({
      protocol: "all",
      source: { kind: "cidr4", cidr: "0.0.0.0/0" },
      ruleId: "sgr-06e4b2d8f1a3c5790",
      description: "allow all (temporary)",
    });
    const [v6] = adapter.fromCloudTrail(detailOf(sg("authorize-rdp-world-ipv6")), "111122223333");
    expect(v6?.state?.ingress[0]?.source).toEqual({ kind: "cidr6", cidr: "::/0" });
  });

  it("marks a truncated request for a live read instead of guessing", () => {
    const event = sg("authorize-ssh-world-ipv4");
    event.detail.requestParameters = { groupId: "sg-07c1e5a9d3b2f4068", omitted: true };
    event.detail.responseElements = null;
    const [obs] = adapter.fromCloudTrail(detailOf(event), "111122223333");
    expect(obs?.needsRefresh).toBe(true);
  });

  it("reads ModifySecurityGroupRules' PascalCase wrapper, one rule or a list", () => {
    const event = sg("modify-rule-ssh-to-world");
    const [obs] = adapter.fromCloudTrail(detailOf(event), "111122223333");
    expect(obs?.state?.ingress).toEqual([
      {
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        source: { kind: "cidr4", cidr: "0.0.0.0/0" },
        ruleId: "sgr-0f2d4b6a8c1e35797",
      },
    ]);
    expect(obs?.needsRefresh).toBe(true);
    const request = (
      event.detail.requestParameters as { ModifySecurityGroupRulesRequest: { SecurityGroupRule: unknown } }
    ).ModifySecurityGroupRulesRequest;
    request.SecurityGroupRule = [
      request.SecurityGroupRule,
      { SecurityGroupRuleId: "sgr-2", SecurityGroupRule: { IpProtocol: "-1", CidrIpv6: "::/0" } },
    ];
    const [many] = adapter.fromCloudTrail(detailOf(event), "111122223333");
    expect(many?.state?.ingress.map((r) => r.ruleId)).toEqual(["sgr-0f2d4b6a8c1e35797", "sgr-2"]);
  });

  it("refuses an event that names neither a group id nor returns one", () => {
    const event = sg("authorize-by-group-name-default-vpc");
    event.detail.responseElements = null;
    expect(() => adapter.fromCloudTrail(detailOf(event), "111122223333")).toThrow(/names no groupId/);
  });
});

describe("security-group adapter: Config", () => {
  it("reads the whole group with tags; older ipRanges string lists too", () => {
    const event = sg("config-item-world-open-ssh-and-rdp");
    const obs = adapter.fromConfigItem(configItemSchema.parse(event.detail.configurationItem));
    expect(obs).toMatchObject({ complete: true, tagsKnown: true, observedAt: "2025-03-13T08:02:31.602Z" });
    expect(obs.state?.tags).toEqual({ team: "platform" });
    expect(obs.state?.ingress.map((r) => [r.protocol, r.fromPort, r.source])).toEqual([
      ["tcp", 22, { kind: "cidr4", cidr: "0.0.0.0/0" }],
      ["tcp", 22, { kind: "cidr4", cidr: "198.51.100.23/32" }],
      ["tcp", 3389, { kind: "cidr6", cidr: "::/0" }],
      ["all", undefined, { kind: "group", groupId: "sg-0c1d2e3f4a5b6c7d8", userId: "111122223333" }],
    ]);
    const item = configItemSchema.parse(event.detail.configurationItem);
    const configuration = item.configuration as { ipPermissions: Record<string, unknown>[] };
    delete configuration.ipPermissions[0]?.ipv4Ranges;
    expect(adapter.fromConfigItem(item).state?.ingress[0]?.source).toEqual({
      kind: "cidr4",
      cidr: "0.0.0.0/0",
    });
  });

  it("reads a deleted item as no state, and rejects an unreadable configuration", () => {
    const deleted = adapter.fromConfigItem(
      configItemSchema.parse(sg("config-item-deleted").detail.configurationItem),
    );
    expect(deleted.state).toBeUndefined();
    const broken = configItemSchema.parse(sg("config-item-world-open-ssh-and-rdp").detail.configurationItem);
    broken.configuration = { ipPermissions: "nope" };
    expect(() => adapter.fromConfigItem(broken)).toThrow(/unreadable configuration/);
  });
});
