import { describe, expect, it } from "vitest";
import { parseBucketPolicy } from "../../shared/resources/s3-bucket/policy";
import {
  deniesInsecureTransport,
  globMatches,
  grantsWrite,
  publicStatements,
  requiresSecureTransport,
} from "../../shared/resources/s3-bucket/policy-analysis";
import { BUCKET_ARN } from "./support";

const policyOf = (...Statement: Record<string, unknown>[]) => {
  const policy = parseBucketPolicy({ Version: "2012-10-17", Statement });
  if (!policy) throw new Error("unreadable test policy");
  return policy;
};

const sslDeny = (overrides: Record<string, unknown> = {}) => ({
  Sid: "AllowSSLRequestsOnly",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
  ...overrides,
});

const allow = (overrides: Record<string, unknown> = {}) => ({
  Effect: "Allow",
  Principal: "*",
  Action: "s3:GetObject",
  Resource: `${BUCKET_ARN}/*`,
  ...overrides,
});

describe("bucket policy parsing", () => {
  it("reads CloudTrail's parsed object, JSON text and a single statement object alike", () => {
    const text = JSON.stringify({ Statement: allow() });
    expect(parseBucketPolicy(text)).toEqual(parseBucketPolicy({ Statement: [allow()] }));
    expect(parseBucketPolicy(text)?.statements[0]).toMatchObject({
      effect: "Allow",
      anyPrincipal: true,
      actions: ["s3:GetObject"],
      resources: [`${BUCKET_ARN}/*`],
    });
  });

  it.each([
    ["HIDDEN_DUE_TO_SECURITY_REASONS"],
    ["{not json"],
    [{ Statement: [{ Action: "s3:*" }] }],
    [["a"]],
    [42],
  ])("unreadable %j => undefined (read live instead)", (value) =>
    expect(parseBucketPolicy(value)).toBeUndefined(),
  );

  it("condition values may be JSON booleans (CloudTrail) and are compared as text", () => {
    const policy = policyOf(sslDeny({ Condition: { Bool: { "aws:SecureTransport": false } } }));
    expect(policy.statements[0]?.conditions).toEqual([
      { operator: "Bool", key: "aws:SecureTransport", values: ["false"] },
    ]);
  });
});

describe("public statements", () => {
  it.each([
    ["Principal *", allow()],
    ['Principal {"AWS":"*"}', allow({ Principal: { AWS: "*" } })],
    [
      'Principal {"AWS":["arn…","*"]}',
      allow({ Principal: { AWS: ["arn:aws:iam::444455556666:root", "*"] } }),
    ],
    [
      "NotPrincipal",
      allow({ Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" } }),
    ],
    [
      "a condition that limits nothing (SecureTransport)",
      allow({ Condition: { Bool: { "aws:SecureTransport": "true" } } }),
    ],
    [
      "a negated org condition",
      allow({ Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }),
    ],
    [
      "an IfExists org condition",
      allow({ Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }),
    ],
    [
      "a SourceIp of the whole internet",
      allow({ Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } } }),
    ],
  ])("public: %s", (_name, statement) => {
    expect(publicStatements(policyOf(statement))).toHaveLength(1);
  });

  it.each([
    ["Deny statements never make a bucket public", sslDeny()],
    ["one account", allow({ Principal: { AWS: "arn:aws:iam::444455556666:root" } })],
    ["a service principal", allow({ Principal: { Service: "cloudfront.amazonaws.com" } })],
    ["aws:SourceVpce", allow({ Condition: { StringEquals: { "aws:SourceVpce": "vpce-0a1b2c3d" } } })],
    ["aws:SourceVpc", allow({ Condition: { StringEquals: { "aws:SourceVpc": "vpc-0a1b2c3d" } } })],
    ["aws:SourceIp", allow({ Condition: { IpAddress: { "aws:SourceIp": "198.51.100.0/24" } } })],
    ["aws:PrincipalOrgID", allow({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } })],
    ["aws:SourceAccount", allow({ Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } })],
    [
      "aws:SourceArn",
      allow({
        Condition: { ArnLike: { "aws:SourceArn": "arn:aws:cloudfront::111122223333:distribution/E1" } },
      }),
    ],
    [
      "aws:PrincipalAccount",
      allow({ Condition: { StringEquals: { "aws:PrincipalAccount": "111122223333" } } }),
    ],
  ])("not public: %s", (_name, statement) => {
    expect(publicStatements(policyOf(statement))).toEqual([]);
  });

  it("no policy, no public statement", () => {
    expect(publicStatements(null)).toEqual([]);
  });
});

describe("write access", () => {
  it.each([
    [["s3:GetObject"], false],
    [["s3:GetObject", "s3:ListBucket"], false],
    [["s3:Get*"], false],
    [["s3:GetObject*", "s3:List*"], false],
    [["s3:PutObject"], true],
    [["s3:GetObject", "s3:DeleteObject"], true],
    [["s3:*"], true],
    [["*"], true],
    [["s3:*Object"], true],
    [["S3:PUTOBJECT"], true],
  ])("%j grants write: %s", (Action, write) => {
    const [statement] = policyOf(allow({ Action })).statements;
    expect(statement && grantsWrite(statement)).toBe(write);
  });

  it("NotAction grants everything but what it lists", () => {
    const [statement] = policyOf(allow({ Action: undefined, NotAction: "s3:DeleteBucket" })).statements;
    expect(statement && grantsWrite(statement)).toBe(true);
  });
});

describe("S3.5: a deny of plain-HTTP requests", () => {
  const denies = (statement: Record<string, unknown>) => {
    const [parsed] = policyOf(statement).statements;
    return parsed !== undefined && deniesInsecureTransport(parsed, BUCKET_ARN);
  };

  it.each([
    ["the AWS example", sslDeny()],
    ['Action "*"', sslDeny({ Action: "*" })],
    ['Principal {"AWS":"*"}', sslDeny({ Principal: { AWS: "*" } })],
    [
      "BoolIfExists and a JSON false",
      sslDeny({ Condition: { BoolIfExists: { "aws:SecureTransport": false } } }),
    ],
    ["Resource * ", sslDeny({ Resource: "*" })],
    ["Resource arn:aws:s3:::* ", sslDeny({ Resource: "arn:aws:s3:::*" })],
    ["Resource bucket* covers both", sslDeny({ Resource: `${BUCKET_ARN}*` })],
    ["lower-case key and operator", sslDeny({ Condition: { bool: { "aws:securetransport": "FALSE" } } })],
  ])("covers: %s", (_name, statement) => expect(denies(statement)).toBe(true));

  it.each([
    ["an Allow", sslDeny({ Effect: "Allow" })],
    ["objects only", sslDeny({ Resource: `${BUCKET_ARN}/*` })],
    ["the bucket only", sslDeny({ Resource: BUCKET_ARN })],
    ["a prefix only", sslDeny({ Resource: [BUCKET_ARN, `${BUCKET_ARN}/reports/*`] })],
    ["another bucket", sslDeny({ Resource: ["arn:aws:s3:::other", "arn:aws:s3:::other/*"] })],
    ["one action", sslDeny({ Action: "s3:GetObject" })],
    ["NotAction", sslDeny({ Action: undefined, NotAction: "s3:GetObject" })],
    ["one principal", sslDeny({ Principal: { AWS: "arn:aws:iam::111122223333:root" } })],
    [
      "NotPrincipal",
      sslDeny({ Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" } }),
    ],
    ["SecureTransport true", sslDeny({ Condition: { Bool: { "aws:SecureTransport": "true" } } })],
    ["no condition (denies everything, not HTTP)", sslDeny({ Condition: undefined })],
    [
      "an extra condition that narrows the deny",
      sslDeny({
        Condition: {
          Bool: { "aws:SecureTransport": "false" },
          StringEquals: { "aws:PrincipalAccount": "1" },
        },
      }),
    ],
    [
      "a TLS version condition instead",
      sslDeny({ Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } } }),
    ],
  ])("does not cover: %s", (_name, statement) => expect(denies(statement)).toBe(false));

  it("no policy does not require SSL", () => {
    expect(requiresSecureTransport(null, BUCKET_ARN)).toBe(false);
    expect(requiresSecureTransport(policyOf(allow(), sslDeny()), BUCKET_ARN)).toBe(true);
  });

  it("IAM wildcards: * any run, ? one character, everything else literal", () => {
    expect(globMatches("arn:aws:s3:::orders-*", `${BUCKET_ARN}/*`)).toBe(true);
    expect(globMatches("arn:aws:s3:::orders-exports-11112222333?", BUCKET_ARN)).toBe(true);
    expect(globMatches("arn:aws:s3:::orders.exports*", BUCKET_ARN)).toBe(false);
    expect(globMatches("arn:aws:s3:::(orders)*", BUCKET_ARN)).toBe(false);
  });
});
