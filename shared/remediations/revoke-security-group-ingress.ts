import { defineRemediation } from "./define";

// Placeholder: the full implementation lands in the next commit.
export default defineRemediation({
  id: "revoke-security-group-ingress",
  title: "Revoke the offending ingress rules by security-group rule id",
  resourceType: "AWS::EC2::SecurityGroup",
  iamActions: ["ec2:RevokeSecurityGroupIngress", "ec2:DescribeSecurityGroupRules"],
  undoIamActions: ["ec2:AuthorizeSecurityGroupIngress"],
  disruptive: false,
  async apply() {
    return { result: "skipped", action: "not implemented", awsCalls: 0 };
  },
  async undo() {
    return "not implemented";
  },
});
