import { canonicalCidr } from "../../net/cidr";
import { describeDirectedRule, type DirectedRule } from "../../resources/security-group/directed-rule";
import { DEFAULT_GROUP_NAME } from "../../resources/security-group/ref";
import type { SecurityGroupState } from "../../resources/security-group/state";
import { defineCheck, type Violation } from "../define";
import { securityGroupReadActions } from "./world-open-ingress";

/** One violation per rule, so a config exemption can spare one CIDR and the remediation knows each rule. */
function ruleViolation(state: SecurityGroupState, directed: DirectedRule): Violation {
  const { source } = directed.rule;
  const cidr = source.kind === "cidr4" || source.kind === "cidr6" ? canonicalCidr(source.cidr) : undefined;
  const vpc = state.vpcId ? ` of ${state.vpcId}` : "";
  return {
    summary: `default security group ${state.groupId}${vpc} allows ${describeDirectedRule(directed)}`,
    evidence: { ...directed, ...(state.vpcId ? { vpcId: state.vpcId } : {}) },
    ...(cidr ? { cidr } : {}),
  };
}

/**
 * Judged on the whole group only: a Config item, or a live read after a call on a group named
 * `default`. A new VPC's untouched default group fails too (it allows all traffic between its
 * members and all egress), as in Security Hub: CIS asks that no traffic rely on it.
 */
export default defineCheck({
  id: "EC2.2",
  title: "VPC default security groups should not allow inbound or outbound traffic",
  severity: "HIGH",
  resourceType: "AWS::EC2::SecurityGroup",
  controls: ["FSBP EC2.2", "CIS 5.4"],
  description:
    "A VPC's default group is what resources get when nobody picks a group; any rule in it grants access by accident. Vigil removes its rules unless a network interface still uses it; give workloads their own groups.",
  triggers: {
    cloudTrail: [
      {
        eventSource: "ec2.amazonaws.com",
        eventNames: [
          "AuthorizeSecurityGroupIngress",
          "AuthorizeSecurityGroupEgress",
          "ModifySecurityGroupRules",
        ],
      },
    ],
    config: ["AWS::EC2::SecurityGroup"],
  },
  iamActions: securityGroupReadActions,
  remediation: { id: "remove-default-security-group-rules", defaultMode: "auto" },
  undecided: (state) =>
    state.groupName === undefined
      ? "the event doesn't say whether this is a VPC's default group (a call by id names no group)"
      : undefined,
  evaluate: (state) => {
    if (state.groupName !== DEFAULT_GROUP_NAME) return [];
    return [
      ...state.ingress.map((rule) => ruleViolation(state, { direction: "ingress", rule })),
      ...(state.egress ?? []).map((rule) => ruleViolation(state, { direction: "egress", rule })),
    ];
  },
});
