import { describe, expect, it } from "vitest";
import { findServiceWildcards } from "../../../shared/policy";
import { allow, loadFixture, policy, statements } from "../support";

const services = (document: ReturnType<typeof policy>) =>
  findServiceWildcards(document).map((grant) => [grant.services, grant.via, grant.exceptServices]);

describe("findServiceWildcards (IAM.21)", () => {
  it("reports svc:* per service and ignores prefixed wildcards like ec2:Describe*", () => {
    const document = allow({
      Action: ["ec2:*", "ec2:Describe*", "s3:GetObject", "S3:*", "s3:*", "kms:?*"],
      Resource: "*",
    });
    expect(services(document)).toEqual([
      ["ec2", "ec2:*", []],
      ["s3", "S3:*", []],
      ["kms", "kms:?*", []],
    ]);
  });

  it("reports * and *:* as every service, and wildcarded prefixes as the prefix pattern", () => {
    expect(services(allow({ Action: "*", Resource: "*" }))).toEqual([["*", "*", []]]);
    expect(services(allow({ Action: ["*:*"], Resource: "*" }))).toEqual([["*", "*:*", []]]);
    expect(services(allow({ Action: ["e*:*", "s3*"], Resource: "*" }))).toEqual([
      ["e*", "e*:*", []],
      ["s3*", "s3*", []],
    ]);
  });

  it("reports NotAction as every service except those its exclusions touch", () => {
    expect(services(allow({ NotAction: ["iam:*", "organizations:List*"], Resource: "*" }))).toEqual([
      ["*", "NotAction", ["iam", "organizations"]],
    ]);
    expect(services(allow({ NotAction: [], Resource: "*" }))).toEqual([["*", "NotAction", []]]);
    expect(services(allow({ NotAction: "nothing", Resource: "*" }))).toEqual([["*", "NotAction", []]]);
  });

  it("does not report a NotAction whose exclusions touch every service", () => {
    expect(services(allow({ NotAction: ["*:Delete*"], Resource: "*" }))).toEqual([]);
    expect(services(allow({ NotAction: "*", Resource: "*" }))).toEqual([]);
  });

  it("does not report narrow actions, nor Deny statements", () => {
    expect(services(allow({ Action: ["ec2:Describe*", "s3:Get*", "iam:PassRole"], Resource: "*" }))).toEqual(
      [],
    );
    expect(services(statements({ Effect: "Deny", Action: "ec2:*", Resource: "*" }))).toEqual([]);
  });

  it("is resource-agnostic like the Config rule, but says whether every resource is covered", () => {
    const scoped = findServiceWildcards(allow({ Action: "s3:*", Resource: "arn:aws:s3:::reports/*" }));
    expect(scoped).toMatchObject([{ services: "s3", allResources: false }]);
    expect(findServiceWildcards(allow({ Action: "s3:*", Resource: "*" }))).toMatchObject([
      { allResources: true },
    ]);
  });

  it("drops a service an unconditional Deny takes away entirely; lists narrower Denies", () => {
    const document = statements(
      { Effect: "Allow", Action: ["ec2:*", "s3:*"], Resource: "*" },
      { Effect: "Deny", Action: "ec2:*", Resource: "*" },
      { Effect: "Deny", Action: "s3:Delete*", Resource: "*" },
    );
    expect(findServiceWildcards(document)).toMatchObject([
      { services: "s3", limitedBy: [{ index: 1 }, { index: 2 }] },
    ]);
  });

  it("reports conditional statements as conditional", () => {
    const grants = findServiceWildcards(
      allow({
        Action: "ec2:*",
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
      }),
    );
    expect(grants).toMatchObject([
      { services: "ec2", conditional: true, conditions: ["StringEquals aws:requestedregion"] },
    ]);
    expect(grants[0]?.reason).toBe("statement 0 allows every action of service ec2 (ec2:*)");
  });

  it("on real samples: the break-glass policy is every service, the Config v1 policy is none", () => {
    const put = loadFixture("cloudtrail-iam-PutUserPolicy-star-star.json");
    expect(
      services(policy((put.detail.requestParameters as { policyDocument: string }).policyDocument)),
    ).toEqual([["*", "*", []]]);
    const config = loadFixture("config-item-change-iam-policy-admin-version.json");
    const item = config.detail.configurationItem as {
      configuration: { policyVersionList: { document: string }[] };
    };
    const v1 = item.configuration.policyVersionList[1]?.document;
    expect(services(policy(v1))).toEqual([]);
  });
});
