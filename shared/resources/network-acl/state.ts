import { z } from "zod";

/**
 * One network ACL entry as Vigil keeps it: what identifies it (direction + rule number) and exactly
 * what it matches, so a remediation can compare it with the live entry and undo can re-create it.
 */
export const aclEntrySchema = z.object({
  ruleNumber: z.number().int(),
  egress: z.boolean(),
  /** EC2's protocol number as text: "6" TCP, "17" UDP, "1" ICMP, "58" ICMPv6, "-1" all. */
  protocol: z.string(),
  action: z.enum(["allow", "deny"]),
  /** IPv4 or IPv6 CIDR, canonical (host bits cleared), from `CidrBlock` or `Ipv6CidrBlock`. */
  cidr: z.string(),
  /** TCP and UDP only: the inclusive port range. */
  fromPort: z.number().int().optional(),
  toPort: z.number().int().optional(),
  /** ICMP and ICMPv6 only: type and code (-1 = all). */
  icmpType: z.number().int().optional(),
  icmpCode: z.number().int().optional(),
});
export type AclEntry = z.infer<typeof aclEntrySchema>;

export interface NetworkAclState {
  networkAclId: string;
  vpcId?: string;
  /** The VPC's default ACL; undefined when the source doesn't say (a CloudTrail call). */
  isDefault?: boolean;
  ownerId?: string;
  /**
   * True when `entries` are all of the ACL's entries (a Config item, a live read). A CloudTrail call
   * shows one entry, and entries are evaluated in rule-number order, so one entry alone can't be judged.
   */
  wholeAcl: boolean;
  /** Ingress and egress entries, in no particular order. */
  entries: AclEntry[];
  /** Tags when the source carried them (Config items and live reads do; CloudTrail events don't). */
  tags?: Record<string, string>;
}
