import { defineCheck } from "../define";
import {
  exposedPorts,
  ingressViolation,
  securityGroupIngressTriggers,
  securityGroupReadActions,
  worldOpenRules,
} from "./world-open-ingress";

/** Security Hub's fixed `blockedPorts` list for EC2.19 (not customisable there, nor here). */
export const HIGH_RISK_PORTS = [
  20, 21, 22, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080,
  8088, 8888, 9200, 9300,
] as const;

export default defineCheck({
  id: "EC2.19",
  title: "Security groups should not allow unrestricted access to ports with high risk",
  severity: "CRITICAL",
  resourceType: "AWS::EC2::SecurityGroup",
  controls: ["FSBP EC2.19"],
  description:
    "An ingress rule opens one of 24 high-risk TCP ports (SSH, RDP, databases, admin consoles) to 0.0.0.0/0 or ::/0. " +
    "Restrict the source to known networks, a prefix list or a security group.",
  triggers: securityGroupIngressTriggers,
  iamActions: securityGroupReadActions,
  remediation: { id: "revoke-security-group-ingress", defaultMode: "auto" },
  evaluate(state) {
    // restricted-common-ports evaluates TCP; all-traffic rules reach TCP too.
    return worldOpenRules(state).flatMap((open) => {
      const ports = exposedPorts(open.rule, HIGH_RISK_PORTS, ["tcp"]);
      return ports.length
        ? [ingressViolation(open, state.groupId, `high-risk ports ${ports.join(", ")}`, ports)]
        : [];
    });
  },
});
