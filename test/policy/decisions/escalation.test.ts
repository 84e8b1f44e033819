import { describe, expect, it } from "vitest";
import { ESCALATION_METHODS, findEscalationPaths } from "../../../shared/policy";
import { allow, loadFixture, policy, statements } from "../support";

const methods = (...args: Parameters<typeof findEscalationPaths>) =>
  findEscalationPaths(...args).map((p) => p.method);

const IAM_ONLY = [
  "CreateNewPolicyVersion",
  "SetExistingDefaultPolicyVersion",
  "CreateAccessKey",
  "CreateLoginProfile",
  "UpdateLoginProfile",
  "AttachUserPolicy",
  "AttachGroupPolicy",
  "AttachRolePolicy",
  "PutUserPolicy",
  "PutGroupPolicy",
  "PutRolePolicy",
  "AddUserToGroup",
];

describe("findEscalationPaths", () => {
  it("the break-glass sample (Action *) opens every method", () => {
    const event = loadFixture("cloudtrail-iam-PutUserPolicy-star-star.json");
    const document = policy((event.detail.requestParameters as { policyDocument: string }).policyDocument);
    expect(methods(document)).toEqual(ESCALATION_METHODS.map((m) => m.id));
  });

  it("iam:* on * opens exactly the IAM-only methods (the others need sts, lambda, ec2, glue…)", () => {
    expect(methods(allow({ Action: "iam:*", Resource: "*" }))).toEqual(IAM_ONLY);
  });

  it("is reached through prefixed wildcards: iam:Put* opens the three Put*Policy methods", () => {
    expect(methods(allow({ Action: "iam:Put*", Resource: "*" }))).toEqual([
      "PutUserPolicy",
      "PutGroupPolicy",
      "PutRolePolicy",
    ]);
    expect(methods(allow({ Action: "IAM:attach*policy", Resource: "*" }))).toEqual([
      "AttachUserPolicy",
      "AttachGroupPolicy",
      "AttachRolePolicy",
    ]);
  });

  it("NotAction iam:* still opens the non-IAM methods that need no iam:PassRole", () => {
    expect(methods(allow({ NotAction: "iam:*", Resource: "*" }))).toEqual([
      "UpdateExistingGlueDevEndpoint",
      "EditExistingLambdaFunctionWithRole",
      "AssumeAnyRole",
    ]);
  });

  it("needs every action of a combination: PassRole + lambda:CreateFunction + lambda:InvokeFunction", () => {
    const partial = allow({ Action: ["iam:PassRole", "lambda:CreateFunction"], Resource: "*" });
    expect(methods(partial)).toEqual([]);
    const complete = allow({
      Action: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
      Resource: "*",
    });
    const [path] = findEscalationPaths(complete);
    expect(path).toMatchObject({ method: "PassExistingRoleToNewLambdaThenInvoke", conditional: false });
    expect(path?.grants.map((g) => [g.action, g.actionVia, g.resourceVia])).toEqual([
      ["iam:PassRole", "iam:PassRole", "*"],
      ["lambda:CreateFunction", "lambda:CreateFunction", "*"],
      ["lambda:InvokeFunction", "lambda:InvokeFunction", "*"],
    ]);
  });

  it("counts every role in the policy's own account as every role, but not one named role", () => {
    const ownAccount = statements(
      { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/*" },
      { Effect: "Allow", Action: "ec2:RunInstances", Resource: "*" },
    );
    expect(methods(ownAccount)).toEqual(["CreateEC2WithExistingIP"]);
    const oneRole = statements(
      { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111122223333:role/app-instance" },
      { Effect: "Allow", Action: "ec2:RunInstances", Resource: "*" },
    );
    expect(methods(oneRole)).toEqual([]);
  });

  it("with the policy's account known, roles of another account are not 'every role'", () => {
    const otherAccount = allow({
      Action: ["iam:AttachRolePolicy"],
      Resource: "arn:aws:iam::999988887777:role/*",
    });
    expect(methods(otherAccount)).toEqual(["AttachRolePolicy"]);
    expect(methods(otherAccount, { account: "111122223333" })).toEqual([]);
    const ownAccount = allow({
      Action: ["iam:AttachRolePolicy"],
      Resource: "arn:aws:iam::111122223333:role/*",
    });
    expect(methods(ownAccount, { account: "111122223333" })).toEqual(["AttachRolePolicy"]);
  });

  it("NotResource: excluding the account's roles grants nothing; excluding one role leaves the rest", () => {
    const allOwn = allow({ Action: "iam:AttachRolePolicy", NotResource: "arn:aws:iam::111122223333:role/*" });
    expect(methods(allOwn)).toEqual([]);
    expect(methods(allOwn, { account: "111122223333" })).toEqual([]);
    const oneRole = allow({
      Action: "iam:AttachRolePolicy",
      NotResource: "arn:aws:iam::111122223333:role/admin",
    });
    expect(findEscalationPaths(oneRole)).toMatchObject([
      { method: "AttachRolePolicy", grants: [{ resourceVia: "NotResource" }] },
    ]);
  });

  it("does not report self-service statements scoped with ${aws:username}", () => {
    const selfService = allow({
      Action: ["iam:CreateAccessKey", "iam:UpdateLoginProfile", "iam:CreateLoginProfile"],
      Resource: "arn:aws:iam::*:user/${aws:username}",
    });
    expect(methods(selfService)).toEqual([]);
  });

  it("combines grants across a principal's policies, pointing at each document", () => {
    const [path] = findEscalationPaths([
      allow({ Action: "iam:PassRole", Resource: "*" }),
      allow({ Sid: "Deploy", Action: ["cloudformation:CreateStack"], Resource: "*" }),
    ]);
    expect(path?.method).toBe("PassExistingRoleToCloudFormation");
    expect(path?.grants.map((g) => g.statement)).toEqual([
      { index: 0, document: 0 },
      { index: 0, sid: "Deploy", document: 1 },
    ]);
    expect(path?.reason).toBe(
      'can create a CloudFormation stack that runs as a more privileged role (PassExistingRoleToCloudFormation): iam:PassRole via policy 0 statement 0; cloudformation:CreateStack via policy 1 statement 0 (Sid "Deploy")',
    );
  });

  it("an unconditional Deny (in any of the policies) closes the path; a conditional one is listed", () => {
    const grant = allow({ Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*" });
    expect(methods([grant, statements({ Effect: "Deny", Action: "iam:PassRole", Resource: "*" })])).toEqual(
      [],
    );
    const conditional = statements({
      Effect: "Deny",
      Action: "iam:PassRole",
      Resource: "*",
      Condition: { StringNotEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
    });
    const [path] = findEscalationPaths([grant, conditional]);
    expect(path?.grants[0]?.limitedBy).toEqual([{ index: 0, document: 1 }]);
  });

  it("a Deny on some roles only leaves the path open (the other roles remain)", () => {
    const document = statements(
      { Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: "*" },
      { Effect: "Deny", Action: "iam:AttachRolePolicy", Resource: "arn:aws:iam::111122223333:role/admin" },
    );
    expect(methods(document)).toEqual(["AttachRolePolicy"]);
  });

  it("reports conditional grants as conditional, preferring an unconditional grant when there is one", () => {
    const onlyConditional = allow({
      Action: "iam:CreatePolicyVersion",
      Resource: "*",
      Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    });
    expect(findEscalationPaths(onlyConditional)).toMatchObject([
      { method: "CreateNewPolicyVersion", conditional: true },
    ]);
    const both = statements(
      {
        Effect: "Allow",
        Action: "iam:CreatePolicyVersion",
        Resource: "*",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } },
      },
      { Effect: "Allow", Action: "iam:CreatePolicyVersion", Resource: "*" },
    );
    expect(findEscalationPaths(both)).toMatchObject([
      { conditional: false, grants: [{ statement: { index: 1 } }] },
    ]);
  });

  it("sts:AssumeRole on every role is reported; a read-only policy is not", () => {
    expect(methods(allow({ Action: "sts:AssumeRole", Resource: "*" }))).toEqual(["AssumeAnyRole"]);
    expect(methods(allow({ Action: ["iam:Get*", "iam:List*", "s3:GetObject"], Resource: "*" }))).toEqual([]);
  });
});
