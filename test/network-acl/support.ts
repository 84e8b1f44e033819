import type { NetworkAcl, NetworkAclEntry } from "@aws-sdk/client-ec2";
import { findingId } from "../../shared/findings/id";
import type { AclEntry, NetworkAclState } from "../../shared/resources/network-acl/state";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
/** The ACL every sample event names (except the default-ACL one). */
export const ACL_ID = "acl-0a3c5e7f9b1d24685";
export const VPC_ID = "vpc-0d4e7a1c9b3f5e268";
export const WORLD4 = "0.0.0.0/0";
export const WORLD6 = "::/0";

export const naclEvent = (name: string) => loadEvent(`network-acl/${name}.json`);

export const idFor = (resourceId = ACL_ID, checkId = "EC2.21") =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An ingress entry: `entry(90, "allow", "6", WORLD4, [22, 22])`. */
export function entry(
  ruleNumber: number,
  action: "allow" | "deny",
  protocol: string,
  cidr: string,
  ports?: [number, number],
  egress = false,
): AclEntry {
  return {
    ruleNumber,
    egress,
    protocol,
    action,
    cidr,
    ...(ports ? { fromPort: ports[0], toPort: ports[1] } : {}),
  };
}

/** The `*` entries every ACL ends with. */
export const STAR = [entry(32767, "deny", "-1", WORLD4), entry(32767, "deny", "-1", WORLD4, undefined, true)];

export function aclState(entries: AclEntry[], extra: Partial<NetworkAclState> = {}): NetworkAclState {
  return {
    networkAclId: ACL_ID,
    vpcId: VPC_ID,
    isDefault: false,
    wholeAcl: true,
    entries,
    tags: {},
    ...extra,
  };
}

/** The EC2 API's shape of an entry, as DescribeNetworkAcls returns it. */
export function apiEntry(e: AclEntry): NetworkAclEntry {
  const v6 = e.cidr.includes(":");
  return {
    RuleNumber: e.ruleNumber,
    Egress: e.egress,
    Protocol: e.protocol,
    RuleAction: e.action,
    ...(v6 ? { Ipv6CidrBlock: e.cidr } : { CidrBlock: e.cidr }),
    ...(e.fromPort !== undefined ? { PortRange: { From: e.fromPort, To: e.toPort } } : {}),
  };
}

/** A DescribeNetworkAcls answer for one ACL. */
export function describeAnswer(
  entries: AclEntry[],
  options: { id?: string; isDefault?: boolean; tags?: Record<string, string> } = {},
): { NetworkAcls: NetworkAcl[] } {
  return {
    NetworkAcls: [
      {
        NetworkAclId: options.id ?? ACL_ID,
        VpcId: VPC_ID,
        IsDefault: options.isDefault ?? false,
        OwnerId: ACCOUNT,
        Entries: entries.map(apiEntry),
        Associations: [],
        Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      },
    ],
  };
}

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}
