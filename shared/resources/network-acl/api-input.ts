import type { CreateNetworkAclEntryCommandInput } from "@aws-sdk/client-ec2";
import { parseCidr } from "../../net/cidr";
import type { AclEntry } from "./state";

/** The CreateNetworkAclEntry request that re-creates exactly this entry (same number, match and action). */
export function createEntryInput(networkAclId: string, entry: AclEntry): CreateNetworkAclEntryCommandInput {
  const ipv6 = parseCidr(entry.cidr)?.family === 6;
  const hasPorts = entry.fromPort !== undefined || entry.toPort !== undefined;
  const hasIcmp = entry.icmpType !== undefined || entry.icmpCode !== undefined;
  return {
    NetworkAclId: networkAclId,
    RuleNumber: entry.ruleNumber,
    Egress: entry.egress,
    Protocol: entry.protocol,
    RuleAction: entry.action,
    ...(ipv6 ? { Ipv6CidrBlock: entry.cidr } : { CidrBlock: entry.cidr }),
    ...(hasPorts ? { PortRange: { From: entry.fromPort, To: entry.toPort } } : {}),
    ...(hasIcmp ? { IcmpTypeCode: { Type: entry.icmpType, Code: entry.icmpCode } } : {}),
  };
}
