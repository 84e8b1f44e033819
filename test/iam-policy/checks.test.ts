import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import iam1 from "../../shared/checks/iam-policy/iam-1-admin";
import iam21 from "../../shared/checks/iam-policy/iam-21-service-wildcards";
import kms1 from "../../shared/checks/iam-policy/kms-1-decrypt-all-keys";
import { parseConfig } from "../../shared/config/load";
import type { IamPolicyState } from "../../shared/resources/iam-policy/state";
import { ADMIN_STATEMENT, POLICY_ARN, READ_STATEMENT, policyState } from "./support";

const context = { config: parseConfig({}) };
const run = (check: CheckDefinition<"AWS::IAM::Policy">, state: IamPolicyState) => {
  const undecided = check.undecided?.(state, context);
  return undecided ? { undecided } : check.evaluate(state, context);
};

describe("IAM.1: full '*' administrative privileges", () => {
  it("an Allow of * on * in the default version is one violation naming the statement and version", () => {
    expect(run(iam1, policyState([READ_STATEMENT, ADMIN_STATEMENT]))).toEqual([
      {
        summary:
          'policy reporting-ops (default version v2): statement 1 (Sid "ReportingAdmin") allows every action on every resource',
        evidence: {
          rule: "IAM.1",
          policyArn: POLICY_ARN,
          versionId: "v2",
          documentSource: "CreatePolicyVersion request",
          statement: { index: 1, sid: "ReportingAdmin" },
          actionVia: "*",
          resourceVia: "*",
          conditional: false,
          madeDefaultBy: "CreatePolicyVersion",
        },
      },
    ]);
  });

  it("compliant: named actions on named resources, and service wildcards (IAM.21's business)", () => {
    expect(run(iam1, policyState([READ_STATEMENT]))).toEqual([]);
    expect(run(iam1, policyState([{ Effect: "Allow", Action: "s3:*", Resource: "*" }]))).toEqual([]);
  });

  it("a NotAction that excludes something real is not full admin (left to IAM.21)", () => {
    const notIam = { Effect: "Allow", NotAction: "iam:*", Resource: "*" };
    expect(run(iam1, policyState([notIam]))).toEqual([]);
    expect(run(iam21, policyState([notIam]))).toHaveLength(1);
  });

  it("*:* and a NotAction excluding nothing meaningful are full admin", () => {
    expect(run(iam1, policyState([{ Effect: "Allow", Action: "*:*", Resource: "*" }]))).toHaveLength(1);
    expect(run(iam1, policyState([{ Effect: "Allow", NotAction: [], Resource: "*" }]))).toHaveLength(1);
  });

  it("a conditional admin grant is still reported, and the summary says it is conditional (keys, not values)", () => {
    const conditional = {
      ...ADMIN_STATEMENT,
      Condition: { IpAddress: { "aws:SourceIp": "198.51.100.0/24" } },
    };
    const [violation] = run(iam1, policyState([conditional])) as { summary: string; evidence: object }[];
    expect(violation?.summary).toContain("(when its conditions hold)");
    expect(violation?.summary).toContain("conditional (IpAddress aws:sourceip)");
    expect(violation?.summary).not.toContain("198.51.100.0");
    expect(violation?.evidence).toMatchObject({ conditional: true, conditions: ["IpAddress aws:sourceip"] });
    expect(JSON.stringify(violation)).not.toContain("198.51.100.0");
  });

  it("an unconditional Deny of everything in the same document cancels the grant", () => {
    const denyAll = { Effect: "Deny", Action: "*", Resource: "*" };
    expect(run(iam1, policyState([ADMIN_STATEMENT, denyAll]))).toEqual([]);
  });

  it("not applicable: a policy used only as a permissions boundary grants nothing", () => {
    const boundary = { attachmentCount: 0, permissionsBoundaryUsageCount: 2 };
    expect(run(iam1, policyState([ADMIN_STATEMENT], boundary))).toEqual([]);
    expect(run(iam21, policyState([ADMIN_STATEMENT], boundary))).toEqual([]);
    expect(run(kms1, policyState([ADMIN_STATEMENT], boundary))).toEqual([]);
    // Also attached somewhere: it grants, so it is judged.
    expect(run(iam1, policyState([ADMIN_STATEMENT], { ...boundary, attachmentCount: 1 }))).toHaveLength(1);
    // Attached to nothing and no boundary (just created): judged.
    expect(run(iam1, policyState([ADMIN_STATEMENT], { attachmentCount: 0 }))).toHaveLength(1);
  });

  it("not applicable: AWS managed policies", () => {
    expect(run(iam1, policyState([ADMIN_STATEMENT], { awsManaged: true }))).toEqual([]);
  });

  it("undecided while the default version's document is unknown", () => {
    const unknown = policyState([], {
      documentProblem: "v3's document is not in the event and was not read",
    });
    delete unknown.document;
    expect(run(iam1, unknown)).toEqual({ undecided: "v3's document is not in the event and was not read" });
    expect(run(kms1, unknown)).toEqual({ undecided: "v3's document is not in the event and was not read" });
    // An AWS managed policy is never judged, so never undecided either.
    expect(run(iam1, { ...unknown, awsManaged: true })).toEqual([]);
  });

  it("madeDefaultBy is left out when the default is no longer the version the call made default", () => {
    const changed = policyState([ADMIN_STATEMENT], {
      defaultVersionId: "v4",
      change: { source: "SetDefaultPolicyVersion", versionId: "v3", at: "2025-03-15T09:02:44Z" },
    });
    const [violation] = run(iam1, changed) as { evidence: Record<string, unknown> }[];
    expect(violation?.evidence.versionId).toBe("v4");
    expect(violation?.evidence).not.toHaveProperty("madeDefaultBy");
  });
});

describe("IAM.21: service-wide wildcards", () => {
  it("ec2:* is one violation; ec2:Describe* is compliant", () => {
    const [violation] = run(iam21, policyState([{ Effect: "Allow", Action: ["ec2:*"], Resource: "*" }])) as {
      summary: string;
      evidence: Record<string, unknown>;
    }[];
    expect(violation?.summary).toBe(
      "policy reporting-ops (default version v2): statement 0 allows every action of service ec2 (ec2:*)",
    );
    expect(violation?.evidence).toMatchObject({
      rule: "IAM.21",
      services: "ec2",
      via: "ec2:*",
      allResources: true,
    });
    expect(run(iam21, policyState([{ Effect: "Allow", Action: "ec2:Describe*", Resource: "*" }]))).toEqual(
      [],
    );
  });

  it("* on everything is also a service wildcard (every service)", () => {
    expect(run(iam21, policyState([ADMIN_STATEMENT]))).toMatchObject([{ evidence: { services: "*" } }]);
  });
});

describe("KMS.1: decryption on all KMS keys", () => {
  it("kms:Decrypt on * is a violation", () => {
    const statement = { Effect: "Allow", Action: ["kms:Decrypt", "kms:DescribeKey"], Resource: "*" };
    expect(run(kms1, policyState([statement]))).toMatchObject([
      { evidence: { rule: "KMS.1", actions: ["kms:Decrypt"], resourceVia: "*" } },
    ]);
  });

  it("compliant: this account's keys in one Region, and alias ARNs", () => {
    const scoped = {
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: "arn:aws:kms:us-east-1:111122223333:key/*",
    };
    const alias = { Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:*:*:alias/*" };
    expect(run(kms1, policyState([scoped, alias]))).toEqual([]);
  });

  it("kms:* and * reach the decrypt actions", () => {
    expect(run(kms1, policyState([{ Effect: "Allow", Action: "kms:*", Resource: "*" }]))).toMatchObject([
      { evidence: { actions: ["kms:Decrypt", "kms:ReEncryptFrom"] } },
    ]);
    expect(run(kms1, policyState([ADMIN_STATEMENT]))).toHaveLength(1);
  });
});

describe("check definitions", () => {
  it("ids, severities, controls, triggers, reads and the dry-run revert are as documented", () => {
    for (const [id, severity] of [
      ["IAM.1", "HIGH"],
      ["IAM.21", "LOW"],
      ["KMS.1", "MEDIUM"],
    ] as const) {
      const check = checkById(id);
      expect(check).toMatchObject({
        severity,
        resourceType: "AWS::IAM::Policy",
        controls: [`FSBP ${id}`],
        iamActions: ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyTags"],
        remediation: { id: "revert-policy-default-version", defaultMode: "dry-run" },
        triggers: {
          cloudTrail: [
            {
              eventSource: "iam.amazonaws.com",
              eventNames: ["CreatePolicy", "CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicy"],
            },
          ],
          config: ["AWS::IAM::Policy"],
        },
      });
    }
  });
});
