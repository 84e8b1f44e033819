import { defineCheck } from "../define";
import { adminPortViolations } from "./admin-ports";
import { securityGroupIngressTriggers, securityGroupReadActions } from "./world-open-ingress";

export default defineCheck({
  id: "EC2.14",
  title: "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389",
  severity: "HIGH",
  resourceType: "AWS::EC2::SecurityGroup",
  controls: ["SecurityHub EC2.14", "CIS 1.2.0 4.2"],
  description:
    "RDP is reachable from the whole internet (IPv4 or IPv6). Use Fleet Manager or a VPN, or restrict the source.",
  triggers: securityGroupIngressTriggers,
  iamActions: securityGroupReadActions,
  remediation: { id: "revoke-security-group-ingress", defaultMode: "auto" },
  evaluate: (state) => adminPortViolations(state, { ports: [3389], protocols: ["tcp"] }),
});
