import { defineCheck } from "../define";
import { adminPortViolations } from "./admin-ports";
import { securityGroupIngressTriggers, securityGroupReadActions } from "./world-open-ingress";

export default defineCheck({
  id: "EC2.54",
  title: "Security groups should not allow ingress from ::/0 to remote server administration ports",
  severity: "HIGH",
  resourceType: "AWS::EC2::SecurityGroup",
  controls: ["SecurityHub EC2.54", "CIS 5.3"],
  description: "Port 22 or 3389 (TCP or UDP) is open to ::/0. Restrict the source to known networks.",
  triggers: securityGroupIngressTriggers,
  iamActions: securityGroupReadActions,
  remediation: { id: "revoke-security-group-ingress", defaultMode: "auto" },
  evaluate: (state) =>
    adminPortViolations(state, { ports: [22, 3389], protocols: ["tcp", "udp"], family: 6 }),
});
