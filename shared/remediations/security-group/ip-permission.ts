import type { IpPermission } from "@aws-sdk/client-ec2";
import type { IngressRule } from "../../resources/security-group/state";

/** The EC2 API permission that re-creates exactly one rule (used by undo). */
export function ipPermissionFor(rule: IngressRule): IpPermission {
  const description = rule.description ? { Description: rule.description } : {};
  const s = rule.source;
  return {
    IpProtocol: rule.protocol === "all" ? "-1" : rule.protocol,
    ...(rule.fromPort !== undefined ? { FromPort: rule.fromPort } : {}),
    ...(rule.toPort !== undefined ? { ToPort: rule.toPort } : {}),
    ...(s.kind === "cidr4" ? { IpRanges: [{ CidrIp: s.cidr, ...description }] } : {}),
    ...(s.kind === "cidr6" ? { Ipv6Ranges: [{ CidrIpv6: s.cidr, ...description }] } : {}),
    ...(s.kind === "prefix-list"
      ? { PrefixListIds: [{ PrefixListId: s.prefixListId, ...description }] }
      : {}),
    ...(s.kind === "group"
      ? { UserIdGroupPairs: [{ GroupId: s.groupId, UserId: s.userId, ...description }] }
      : {}),
  };
}
