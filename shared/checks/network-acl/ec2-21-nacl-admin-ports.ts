import { formatPortRange } from "../../net/ports";
import { describeEntry } from "../../resources/network-acl/entry";
import { worldOpenIngress, type WorldOpenEntry } from "../../resources/network-acl/exposure";
import type { NetworkAclState } from "../../resources/network-acl/state";
import { defineCheck, type Violation } from "../define";
import { networkAclReadActions, networkAclTriggers } from "./triggers";

/** SSH and RDP. TCP and UDP both count (CIS 5.1 names TCP, UDP and all protocols). */
export const ADMIN_PORTS = [22, 3389];
const SERVICE: Record<number, string> = { 22: "SSH", 3389: "RDP" };

function violation(acl: NetworkAclState, { entry, exposures }: WorldOpenEntry): Violation {
  const reached = exposures.map(
    (e) =>
      `${formatPortRange({ protocol: e.protocol, fromPort: e.port, toPort: e.port })} (${SERVICE[e.port] ?? "admin"})`,
  );
  return {
    summary: `network ACL ${acl.networkAclId} ${describeEntry(entry)} lets the internet reach ${reached.join(", ")}`,
    evidence: { networkAclId: acl.networkAclId, entry, exposures },
    cidr: entry.cidr,
  };
}

export default defineCheck({
  id: "EC2.21",
  title: "Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389",
  severity: "MEDIUM",
  resourceType: "AWS::EC2::NetworkAcl",
  controls: ["FSBP EC2.21", "CIS 5.1"],
  description:
    "An inbound network ACL entry lets the whole internet (0.0.0.0/0 or ::/0) reach SSH or RDP on every subnet the ACL guards. Delete the entry or narrow its source; Vigil deletes exactly that entry when set to auto (default: dry-run, since a network ACL change can cut traffic).",
  triggers: networkAclTriggers,
  iamActions: networkAclReadActions,
  remediation: { id: "delete-network-acl-entry", defaultMode: "dry-run" },
  undecided: (state) => {
    if (!state.wholeAcl)
      return "this call shows one entry; entries are judged in rule-number order on the whole ACL";
    if (state.isDefault === undefined) return "whether this is the VPC's default network ACL is unknown";
    return undefined;
  },
  // Like Security Hub, the VPC's default ACL (allow-all by design, backed by security groups) is not evaluated.
  evaluate: (state) =>
    state.isDefault
      ? []
      : worldOpenIngress(state.entries, ADMIN_PORTS).map((found) => violation(state, found)),
});
