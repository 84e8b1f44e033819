import { describe, expect, it } from "vitest";
import ec2_2 from "../../shared/checks/ec2/ec2-2-default-security-group";
import { parseConfig } from "../../shared/config/load";
import { makeRule } from "../../shared/resources/security-group/rule-factory";
import type { SecurityGroupState } from "../../shared/resources/security-group/state";

const context = { config: parseConfig({}) };
const GROUP = "sg-0c3d4e5f6a7b80912";
const selfIn = makeRule({
  protocol: "-1",
  source: { kind: "group", groupId: GROUP, userId: "111122223333" },
  ruleId: "sgr-in",
});
const allOut = makeRule({ protocol: "-1", source: { kind: "cidr4", cidr: "0.0.0.0/0" }, ruleId: "sgr-out" });
const httpsOut6 = makeRule({
  protocol: "tcp",
  fromPort: 443,
  toPort: 443,
  source: { kind: "cidr6", cidr: "::/0" },
});

const state = (over: Partial<SecurityGroupState>): SecurityGroupState => ({
  groupId: GROUP,
  groupName: "default",
  vpcId: "vpc-0e5f7a9b1c3d52468",
  ingress: [],
  egress: [],
  ...over,
});

describe("EC2.2 evaluate (pure)", () => {
  it("non-compliant: an untouched default group fails once per rule, inbound and outbound, naming each", () => {
    const violations = ec2_2.evaluate(state({ ingress: [selfIn], egress: [allOut, httpsOut6] }), context);
    expect(violations.map((v) => v.summary)).toEqual([
      `default security group ${GROUP} of vpc-0e5f7a9b1c3d52468 allows inbound all traffic from ${GROUP} (sgr-in)`,
      `default security group ${GROUP} of vpc-0e5f7a9b1c3d52468 allows outbound all traffic to 0.0.0.0/0 (sgr-out)`,
      `default security group ${GROUP} of vpc-0e5f7a9b1c3d52468 allows outbound tcp 443 to ::/0`,
    ]);
    expect(violations[0]).toEqual({
      summary: expect.any(String),
      evidence: { direction: "ingress", rule: selfIn, vpcId: "vpc-0e5f7a9b1c3d52468" },
    });
    // CIDR rules carry their network, so a config exemption can spare one of them.
    expect(violations.map((v) => v.cidr)).toEqual([undefined, "0.0.0.0/0", "::/0"]);
  });

  it("compliant: a default group with no rule at all passes", () => {
    expect(ec2_2.evaluate(state({}), context)).toEqual([]);
    expect(ec2_2.undecided?.(state({}), context)).toBeUndefined();
  });

  it("not applicable: any other group, whatever its rules (the name `default` is reserved by AWS)", () => {
    expect(ec2_2.evaluate(state({ groupName: "web", ingress: [selfIn], egress: [allOut] }), context)).toEqual(
      [],
    );
    expect(ec2_2.evaluate(state({ groupName: "Default", ingress: [selfIn] }), context)).toEqual([]);
  });

  it("undecided when the source doesn't name the group (a call by id): nothing opens, nothing resolves", () => {
    const unnamed = state({ groupName: undefined, ingress: [selfIn] });
    expect(ec2_2.undecided?.(unnamed, context)).toMatch(/doesn't say whether this is a VPC's default group/);
  });

  it("judges outbound rules only when they are known (an ingress-only view says nothing about them)", () => {
    expect(ec2_2.evaluate(state({ ingress: [], egress: undefined }), context)).toEqual([]);
  });

  it("is catalogued as FSBP EC2.2 / CIS 5.4, HIGH, auto-remediated, on every rule-changing call and Config", () => {
    expect(ec2_2).toMatchObject({
      severity: "HIGH",
      controls: ["FSBP EC2.2", "CIS 5.4"],
      remediation: { id: "remove-default-security-group-rules", defaultMode: "auto" },
      iamActions: ["ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"],
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
    });
  });
});
