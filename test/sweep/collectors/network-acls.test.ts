import {
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryKey } from "../../../shared/resources/network-acl/entry";
import adapter from "../../../shared/resources/network-acl/adapter";
import type { NetworkAclState } from "../../../shared/resources/network-acl/state";
import collector, { networkAclsCollector } from "../../../shared/sweep/collectors/network-acls";
import { loadEvent } from "../../support/events";
import {
  collectAll,
  configItemAs,
  startEc2Endpoint,
  verdicts,
  type Ec2Endpoint,
} from "./ec2-collect-context";

const VPC = "vpc-0d4e7a1c9b3f5e268";

/** Entries come in no particular order: compare them sorted. */
function sorted(state: NetworkAclState | undefined) {
  return (
    state && { ...state, entries: [...state.entries].sort((a, b) => entryKey(a).localeCompare(entryKey(b))) }
  );
}

describe("network ACL collector against the local EC2 endpoint", () => {
  let env: Ec2Endpoint;
  beforeAll(async () => {
    env = await startEc2Endpoint();
  });
  afterAll(async () => env?.close());

  async function newAcl(tags: Record<string, string> = {}): Promise<string> {
    const out = await env.ec2.send(
      new CreateNetworkAclCommand({
        VpcId: VPC,
        TagSpecifications: [
          { ResourceType: "network-acl", Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
        ],
      }),
    );
    return out.NetworkAcl?.NetworkAclId ?? "";
  }

  it("declares what it reads", () => {
    expect(collector).toMatchObject({
      resourceType: "AWS::EC2::NetworkAcl",
      scope: "regional",
      iamActions: ["ec2:DescribeNetworkAcls"],
    });
  });

  it("lists every ACL exactly once across pages (25 ACLs, pages of 10), asking for 100 by default", async () => {
    const created = await Promise.all(Array.from({ length: 25 }, () => newAcl()));
    const all = (await env.ec2.send(new DescribeNetworkAclsCommand({}))).NetworkAcls ?? [];
    const before = env.aws.calls("ec2", "DescribeNetworkAcls").length;

    const found = await collectAll(networkAclsCollector(10), env.context);

    const ids = found.map((o) => o.resource.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(all.map((a) => a.NetworkAclId).sort());
    expect(ids).toEqual(expect.arrayContaining(created));
    const calls = env.aws.calls("ec2", "DescribeNetworkAcls").slice(before);
    expect(calls.map((c) => c.params.MaxResults)).toEqual(Array(Math.ceil(all.length / 10)).fill("10"));
    for (const o of found)
      expect(o).toMatchObject({ complete: true, tagsKnown: true, state: { wholeAcl: true } });

    const mark = env.aws.calls("ec2", "DescribeNetworkAcls").length;
    await collectAll(collector, env.context);
    expect(
      env.aws
        .calls("ec2", "DescribeNetworkAcls")
        .slice(mark)
        .map((c) => c.params.MaxResults),
    ).toEqual(["100"]);
  });

  it("parity: an ACL letting the world reach SSH gives the Config item path's state and violations", async () => {
    const aclId = await newAcl({ Name: "public-web" });
    const entry = (RuleNumber: number, Egress: boolean, Protocol: string, cidr: string, ports?: number) =>
      env.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: aclId,
          RuleNumber,
          Egress,
          Protocol,
          RuleAction: "allow",
          ...(cidr.includes(":") ? { Ipv6CidrBlock: cidr } : { CidrBlock: cidr }),
          ...(ports ? { PortRange: { From: ports, To: ports } } : {}),
        }),
      );
    await entry(90, false, "6", "0.0.0.0/0", 22);
    await entry(100, false, "6", "0.0.0.0/0", 443);
    await entry(101, false, "6", "::/0", 443);
    await entry(100, true, "-1", "0.0.0.0/0");
    const item = configItemAs(loadEvent("network-acl/config-item-ssh-world.json"), {
      "acl-0a3c5e7f9b1d24685": aclId,
    });
    // The sample's IPv6 `*` entry (32768): this endpoint's ACLs have only the IPv4 ones.
    const configuration = item.configuration as { entries: { ruleNumber: number }[] };
    configuration.entries = configuration.entries.filter((e) => e.ruleNumber !== 32768);
    const fromConfig = adapter.fromConfigItem(item);

    const collected = (await collectAll(collector, env.context)).find((o) => o.resource.id === aclId);

    expect(collected?.resource).toEqual(fromConfig.resource);
    expect(sorted(collected?.state)).toEqual(sorted(fromConfig.state));
    const sweep = verdicts(collected!, env.context);
    expect(sweep).toEqual(verdicts(fromConfig, env.context));
    expect(sweep).toEqual([expect.objectContaining({ checkId: "EC2.21", violations: [expect.anything()] })]);
  });
});
