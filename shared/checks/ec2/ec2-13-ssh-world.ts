import { defineCheck } from "../define";
import { adminPortViolations } from "./admin-ports";
import { securityGroupIngressTriggers, securityGroupReadActions } from "./world-open-ingress";

export default defineCheck({
  id: "EC2.13",
  title: "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22",
  severity: "HIGH",
  resourceType: "AWS::EC2::SecurityGroup",
  controls: ["SecurityHub EC2.13", "CIS 1.2.0 4.1"],
  description:
    "SSH is reachable from the whole internet (IPv4 or IPv6). Use Session Manager or restrict the source to known networks.",
  triggers: securityGroupIngressTriggers,
  iamActions: securityGroupReadActions,
  remediation: { id: "revoke-security-group-ingress", defaultMode: "auto" },
  evaluate: (state) => adminPortViolations(state, { ports: [22], protocols: ["tcp"] }),
});
