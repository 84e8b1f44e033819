import type { EC2Client, NetworkAcl } from "@aws-sdk/client-ec2";
import { errorName } from "../../aws/errors";
import { loadEc2 } from "../../aws/sdk";
import { makeEntry } from "./entry";
import type { AclEntry, NetworkAclState } from "./state";

/** EC2's "that ACL is not there" (`InvalidNetworkAclID.NotFound`), which for Vigil means "deleted". */
export function isAclNotFound(error: unknown): boolean {
  return errorName(error) === "InvalidNetworkAclID.NotFound";
}

function entriesOf(acl: NetworkAcl): AclEntry[] {
  return (acl.Entries ?? []).map((e) => {
    const { RuleNumber, Egress, Protocol, RuleAction } = e;
    if (RuleNumber === undefined || Egress === undefined || Protocol === undefined)
      throw new Error(
        `DescribeNetworkAcls: ${acl.NetworkAclId} has an entry without rule number, direction or protocol`,
      );
    if (RuleAction !== "allow" && RuleAction !== "deny")
      throw new Error(
        `DescribeNetworkAcls: ${acl.NetworkAclId} rule ${RuleNumber} has action "${RuleAction}"`,
      );
    const entry = makeEntry({
      ruleNumber: RuleNumber,
      egress: Egress,
      protocol: Protocol,
      action: RuleAction,
      cidrBlock: e.CidrBlock,
      ipv6CidrBlock: e.Ipv6CidrBlock,
      fromPort: e.PortRange?.From,
      toPort: e.PortRange?.To,
      icmpType: e.IcmpTypeCode?.Type,
      icmpCode: e.IcmpTypeCode?.Code,
    });
    // Not an event's fault but AWS's answer: fail (and retry) rather than judge a partial ACL.
    if (typeof entry === "string") throw new Error(`DescribeNetworkAcls: ${acl.NetworkAclId}: ${entry}`);
    return entry;
  });
}

/** The EC2 API's view of an ACL as Vigil's state: every entry, the default flag and the tags. */
export function stateFromApi(acl: NetworkAcl): NetworkAclState {
  return {
    networkAclId: acl.NetworkAclId ?? "",
    ...(acl.VpcId ? { vpcId: acl.VpcId } : {}),
    ...(acl.IsDefault !== undefined ? { isDefault: acl.IsDefault } : {}),
    ...(acl.OwnerId ? { ownerId: acl.OwnerId } : {}),
    wholeAcl: true,
    entries: entriesOf(acl),
    tags: Object.fromEntries(
      (acl.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key ?? "", t.Value ?? ""]),
    ),
  };
}

/** The ACL as it is now, or undefined when it no longer exists. */
export async function liveNetworkAcl(
  ec2: EC2Client,
  networkAclId: string,
): Promise<NetworkAclState | undefined> {
  const { DescribeNetworkAclsCommand } = await loadEc2();
  try {
    const out = await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [networkAclId] }));
    const acl = out.NetworkAcls?.find((a) => a.NetworkAclId === networkAclId);
    return acl ? stateFromApi(acl) : undefined;
  } catch (error) {
    if (isAclNotFound(error)) return undefined;
    throw error;
  }
}
