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
  it("is the checks' read actions, once each and sorted", () => {
    const securityGroupChecks = checks.filter((check) => check.resourceType === "AWS::EC2::SecurityGroup");
    expect(checkReadActions(securityGroupChecks)).toEqual([
      "ec2:DescribeSecurityGroupRules",
      "ec2:DescribeSecurityGroups",
    ]);
    const all = checkReadActions(checks);
    expect(all).toEqual([...new Set(checks.flatMap((check) => check.iamActions))].sort());
  });

  it("rejects wildcards and write actions", () => {
    expect(() => checkReadActions(withCheckActions(["ec2:Describe*"]))).toThrow(/ec2:Describe\*/);
    expect(() => checkReadActions(withCheckActions(["*"]))).toThrow(/exact/);
    expect(() => checkReadActions(withCheckActions(["ec2:RevokeSecurityGroupIngress"]))).toThrow(/read-only/);
  });
});

describe("remediationGrants", () => {
  it("grants reads on * and the revoke on security groups of this account and region only", () => {
    const revoke = remediations.filter((r) => r.id === "revoke-security-group-ingress");
    expect(remediationGrants(revoke, scope)).toEqual([
      { actions: ["ec2:DescribeSecurityGroupRules"], resources: ["*"] },
      {
        actions: ["ec2:RevokeSecurityGroupIngress"],
        resources: ["arn:aws:ec2:us-east-1:111122223333:security-group/*"],
      },
    ]);
  });

  it("scopes scan-on-push to repositories, and passing roles to ECS tasks only", () => {
    const grants = remediationGrants(
      withRemediationActions(["ecr:PutImageScanningConfiguration", "iam:PassRole"]),
      scope,
    );
    expect(grants).toEqual([
      {
        actions: ["ecr:PutImageScanningConfiguration"],
        resources: ["arn:aws:ecr:us-east-1:111122223333:repository/*"],
      },
      {
        actions: ["iam:PassRole"],
        resources: ["arn:aws:iam::111122223333:role/*"],
        conditions: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
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
  it("recognises exact Describe, Get, List, BatchGet and Lookup actions only", () => {
    expect(isReadOnlyAction("ec2:DescribeSecurityGroups")).toBe(true);
    expect(isReadOnlyAction("config:GetResourceConfigHistory")).toBe(true);
    expect(isReadOnlyAction("s3:ListBuckets")).toBe(true);
    expect(isReadOnlyAction("ecr:BatchGetImage")).toBe(true);
    expect(isReadOnlyAction("cloudtrail:LookupEvents")).toBe(true);
    expect(isReadOnlyAction("ecr:BatchDeleteImage")).toBe(false);
    expect(isReadOnlyAction("ec2:RevokeSecurityGroupIngress")).toBe(false);
    expect(isReadOnlyAction("ec2:Describe*")).toBe(false);
  });
});
