import { describe, expect, it } from "vitest";
import { evaluateAccess, statementAllows, statementDenies } from "../../shared/policy";
import { allow, statements } from "./support";

const only = (document: ReturnType<typeof allow>) => {
  const [statement] = document.statements;
  if (!statement) throw new Error("no statement");
  return statement;
};

describe("statementAllows / statementDenies", () => {
  it("Allow with NotAction grants every action its list does not match", () => {
    const statement = only(allow({ NotAction: ["iam:*", "organizations:*"], Resource: "*" }));
    expect(statementAllows(statement, "s3:GetObject")).toBe(true);
    expect(statementAllows(statement, "ec2:RunInstances")).toBe(true);
    expect(statementAllows(statement, "iam:PassRole")).toBe(false);
    expect(statementAllows(statement, "IAM:passrole")).toBe(false);
    expect(statementAllows(statement, "organizations:LeaveOrganization")).toBe(false);
  });

  it("NotResource grants on every resource its list does not match", () => {
    const statement = only(
      allow({ Action: "s3:*", NotResource: ["arn:aws:s3:::audit", "arn:aws:s3:::audit/*"] }),
    );
    expect(statementAllows(statement, "s3:GetObject", "arn:aws:s3:::data/x")).toBe(true);
    expect(statementAllows(statement, "s3:GetObject", "arn:aws:s3:::audit/x")).toBe(false);
    expect(statementAllows(statement, "s3:ListBucket", "arn:aws:s3:::audit")).toBe(false);
  });

  it("a Deny statement never grants, and an Allow never denies", () => {
    const document = statements(
      { Effect: "Deny", Action: "*", Resource: "*" },
      { Effect: "Allow", Action: "*", Resource: "*" },
    );
    const [deny, grant] = document.statements;
    if (!deny || !grant) throw new Error("two statements expected");
    expect(statementAllows(deny, "s3:GetObject", "arn:aws:s3:::b")).toBe(false);
    expect(statementDenies(deny, "s3:GetObject", "arn:aws:s3:::b")).toBe(true);
    expect(statementDenies(grant, "s3:GetObject", "arn:aws:s3:::b")).toBe(false);
  });

  it("without a resource argument the resource element is not consulted; without a Resource element any resource is covered", () => {
    const scoped = only(allow({ Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }));
    expect(statementAllows(scoped, "s3:GetObject")).toBe(true);
    expect(statementAllows(scoped, "s3:GetObject", "arn:aws:s3:::other/x")).toBe(false);
    const trust = only(allow({ Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }));
    expect(statementAllows(trust, "sts:AssumeRole", "arn:aws:iam::111122223333:role/r")).toBe(true);
  });
});

describe("evaluateAccess", () => {
  it("an explicit Deny of the same action wins over the Allow", () => {
    const document = statements(
      { Sid: "All", Effect: "Allow", Action: "s3:*", Resource: "*" },
      { Sid: "NoDelete", Effect: "Deny", Action: "s3:Delete*", Resource: "*" },
    );
    expect(evaluateAccess(document.statements, "s3:DeleteObject", "arn:aws:s3:::b/k")).toEqual({
      decision: "denied",
      allowedBy: [{ index: 0, sid: "All" }],
      deniedBy: [{ index: 1, sid: "NoDelete" }],
    });
    expect(evaluateAccess(document.statements, "s3:GetObject", "arn:aws:s3:::b/k").decision).toBe("allowed");
  });

  it("a conditional Deny does not decide; a conditional Allow only gives 'conditional'", () => {
    const document = statements(
      {
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
      },
      {
        Effect: "Deny",
        Action: "kms:*",
        Resource: "*",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
      },
      { Effect: "Allow", Action: "kms:Encrypt", Resource: "*" },
    );
    expect(evaluateAccess(document.statements, "kms:Decrypt")).toEqual({
      decision: "conditional",
      allowedBy: [{ index: 0 }],
      deniedBy: [{ index: 1 }],
    });
    expect(evaluateAccess(document.statements, "kms:Encrypt").decision).toBe("allowed");
    expect(evaluateAccess(document.statements, "kms:Sign").decision).toBe("not-allowed");
  });

  it("a Deny with NotResource denies everywhere else", () => {
    const document = statements(
      { Effect: "Allow", Action: "s3:*", Resource: "*" },
      { Effect: "Deny", Action: "s3:*", NotResource: "arn:aws:s3:::allowed/*" },
    );
    expect(evaluateAccess(document.statements, "s3:GetObject", "arn:aws:s3:::allowed/k").decision).toBe(
      "allowed",
    );
    expect(evaluateAccess(document.statements, "s3:GetObject", "arn:aws:s3:::other/k").decision).toBe(
      "denied",
    );
  });
});
