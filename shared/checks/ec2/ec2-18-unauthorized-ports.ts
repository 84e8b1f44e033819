import { openPortRange, portRanges, uncoveredRanges } from "../../net/ports";
import { defineCheck } from "../define";
import {
  ingressViolation,
  securityGroupIngressTriggers,
  securityGroupReadActions,
  worldOpenRules,
} from "./world-open-ingress";

function formatRanges(ranges: [number, number][]): string {
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ");
}

export default defineCheck({
  id: "EC2.18",
  title: "Security groups should only allow unrestricted incoming traffic for authorized ports",
  severity: "HIGH",
  resourceType: "AWS::EC2::SecurityGroup",
  controls: ["FSBP EC2.18"],
  description:
    "A TCP or UDP port outside the authorized list (default TCP 80 and 443, no UDP) is open to 0.0.0.0/0 or ::/0.",
  triggers: securityGroupIngressTriggers,
  iamActions: securityGroupReadActions,
  remediation: { id: "revoke-security-group-ingress", defaultMode: "dry-run" },
  evaluate(state, { config }) {
    const authorized = {
      tcp: portRanges(config.authorizedPorts.tcp),
      udp: portRanges(config.authorizedPorts.udp),
    };
    return worldOpenRules(state).flatMap((open) => {
      const { protocol } = open.rule;
      // vpc-sg-open-only-to-authorized-ports looks at TCP and UDP; all-traffic rules open both.
      const protocols: ("tcp" | "udp")[] =
        protocol === "all" ? ["tcp", "udp"] : protocol === "tcp" || protocol === "udp" ? [protocol] : [];
      const [from, to] = openPortRange(open.rule);
      const unauthorized = protocols
        .map((p) => ({ protocol: p, gaps: uncoveredRanges(from, to, authorized[p]) }))
        .filter(({ gaps }) => gaps.length > 0);
      if (!unauthorized.length) return [];
      const concern = unauthorized
        .map(({ protocol: p, gaps }) => `unauthorized ${p} ${formatRanges(gaps)}`)
        .join("; ");
      return [ingressViolation(open, state.groupId, concern)];
    });
  },
});
