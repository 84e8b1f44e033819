import { describe, expect, it } from "vitest";
import { checkReadActions, isReadOnlyAction, remediationGrants } from "../../infra/permissions";
import { checks } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import { remediations } from "../../shared/remediations/catalog";
import type { RemediationDefinition } from "../../shared/remediations/define";

const scope = { partition: "aws", region: "us-east-1", account: "111122223333" };

const withCheckActions = (iamActions: string[]): CheckDefinition[] => [
  { ...(checks[0] as CheckDefinition), iamActions },
];
const withRemediationActions = (iamActions: string[]): RemediationDefinition[] => [
  { ...(remediations[0] as RemediationDefinition), iamActions },
];

describe("checkReadActions", () => {
  it("is the catalog's read actions, once each and sorted", () => {
    expect(checkReadActions(checks)).toEqual([
      "ec2:DescribeSecurityGroupRules",
      "ec2:DescribeSecurityGroups",
    ]);
  });

  it("rejects wildcards and write actions", () => {
    expect(() => checkReadActions(withCheckActions(["ec2:Describe*"]))).toThrow(/ec2:Describe\*/);
    expect(() => checkReadActions(withCheckActions(["*"]))).toThrow(/exact/);
    expect(() => checkReadActions(withCheckActions(["ec2:RevokeSecurityGroupIngress"]))).toThrow(/read-only/);
  });
});

describe("remediationGrants", () => {
  it("grants reads on * and the revoke on security groups of this account and region only", () => {
    expect(remediationGrants(remediations, scope)).toEqual([
      { actions: ["ec2:DescribeSecurityGroupRules"], resources: ["*"] },
      {
        actions: ["ec2:RevokeSecurityGroupIngress"],
        resources: ["arn:aws:ec2:us-east-1:111122223333:security-group/*"],
      },
    ]);
  });

  it("fails for a write action without a resource scope", () => {
    expect(() => remediationGrants(withRemediationActions(["ec2:DeleteSecurityGroup"]), scope)).toThrow(
      /ec2:DeleteSecurityGroup.*WRITE_ACTION_SCOPES/,
    );
  });

  it("rejects wildcard actions", () => {
    expect(() => remediationGrants(withRemediationActions(["ec2:*"]), scope)).toThrow(/ec2:\*/);
  });
});

describe("isReadOnlyAction", () => {
  it("recognises exact Describe, Get and List actions only", () => {
    expect(isReadOnlyAction("ec2:DescribeSecurityGroups")).toBe(true);
    expect(isReadOnlyAction("config:GetResourceConfigHistory")).toBe(true);
    expect(isReadOnlyAction("s3:ListBuckets")).toBe(true);
    expect(isReadOnlyAction("ec2:RevokeSecurityGroupIngress")).toBe(false);
    expect(isReadOnlyAction("ec2:Describe*")).toBe(false);
  });
});
