import { describe, expect, it } from "vitest";
import { findPublicGrants, publicGrantCovers } from "../../../shared/policy";
import { loadFixture, policy, statements } from "../support";

const BUCKET_OBJECTS = "arn:aws:s3:::orders-exports-111122223333/*";
const publicRead = (extra: Record<string, unknown> = {}) => ({
  Effect: "Allow",
  Principal: "*",
  Action: "s3:GetObject",
  Resource: BUCKET_OBJECTS,
  ...extra,
});
const isPublic = (...list: Record<string, unknown>[]) => findPublicGrants(statements(...list)).length > 0;
const withCondition = (operator: string, key: string, value: unknown) =>
  isPublic(publicRead({ Condition: { [operator]: { [key]: value } } }));

describe("findPublicGrants", () => {
  it("reports the real S3 PutBucketPolicy public-read sample", () => {
    const event = loadFixture("cloudtrail-s3-PutBucketPolicy-public-read.json");
    const grants = findPublicGrants(
      policy((event.detail.requestParameters as { bucketPolicy: unknown }).bucketPolicy),
    );
    expect(grants).toEqual([
      {
        statement: { index: 0, sid: "PublicRead" },
        principal: "*",
        actions: { not: false, values: ["s3:GetObject"] },
        resources: { not: false, values: [BUCKET_OBJECTS] },
        conditional: false,
        conditions: [],
        reason: 'statement 0 (Sid "PublicRead") allows s3:GetObject to everyone (Principal *)',
      },
    ]);
    expect(grants[0] && publicGrantCovers(grants[0], "s3:GetObject")).toBe(true);
    expect(grants[0] && publicGrantCovers(grants[0], "s3:PutObject")).toBe(false);
  });

  it("names everyone as *, {AWS: *} (alone or in a list), or NotPrincipal", () => {
    expect(findPublicGrants(statements(publicRead({ Principal: { AWS: "*" } })))[0]?.principal).toBe("AWS:*");
    expect(isPublic(publicRead({ Principal: { AWS: ["arn:aws:iam::111122223333:root", "*"] } }))).toBe(true);
    const notPrincipal = findPublicGrants(
      statements({
        Effect: "Allow",
        NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" },
        Action: "s3:GetObject",
        Resource: BUCKET_OBJECTS,
      }),
    );
    expect(notPrincipal[0]?.principal).toBe("NotPrincipal");
  });

  it("does not report named principals, service principals, or Deny statements", () => {
    expect(isPublic(publicRead({ Principal: { AWS: "arn:aws:iam::444455556666:root" } }))).toBe(false);
    expect(isPublic(publicRead({ Principal: { Service: "cloudfront.amazonaws.com" } }))).toBe(false);
    expect(isPublic(publicRead({ Effect: "Deny" }))).toBe(false);
    expect(isPublic({ Effect: "Allow", Action: "s3:GetObject", Resource: BUCKET_OBJECTS })).toBe(false);
  });

  it.each([
    ["StringEquals", "aws:SourceVpce", "vpce-1a2b3c4d"],
    ["StringEquals", "aws:SourceVpc", ["vpc-111bbb22", "vpc-222ccc33"]],
    ["StringEquals", "aws:PrincipalOrgID", "o-a1b2c3d4e5"],
    ["ForAnyValue:StringLike", "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*"],
    ["StringEquals", "aws:PrincipalAccount", "111122223333"],
    ["StringEquals", "aws:SourceAccount", "111122223333"],
    ["ArnLike", "aws:SourceArn", "arn:aws:cloudtrail:*:111122223333:trail/*"],
    ["ArnEquals", "aws:SourceArn", "arn:aws:s3:::my-source-bucket"],
    ["StringEquals", "aws:SourceOrgID", "o-a1b2c3d4e5"],
    ["ArnLike", "aws:PrincipalArn", "arn:aws:iam::111122223333:role/*"],
    ["StringLike", "aws:userid", "AROAEXAMPLEID:*"],
    ["IpAddress", "aws:SourceIp", ["203.0.113.0/24", "2001:db8::/32"]],
    ["Bool", "aws:PrincipalIsAWSService", "true"],
    ["StringEquals", "kms:CallerAccount", "111122223333"],
    ["StringEquals", "AWS:SOURCEVPCE", "vpce-1a2b3c4d"],
  ])("a restricting condition makes it not public: %s %s", (operator, key, value) => {
    expect(withCondition(operator, key, value)).toBe(false);
  });

  it.each([
    ["StringNotEquals", "aws:PrincipalOrgID", "o-doesnotexist"],
    ["StringEqualsIfExists", "aws:PrincipalOrgID", "o-a1b2c3d4e5"],
    ["ForAllValues:StringLike", "aws:PrincipalOrgPaths", "o-a1b2c3d4e5/*"],
    ["StringLike", "aws:PrincipalOrgID", "*"],
    ["StringLike", "aws:SourceAccount", ["111122223333", "*"]],
    ["ArnLike", "aws:SourceArn", "arn:aws:s3:::logs-*"],
    ["StringLike", "aws:userid", "*:alice"],
    ["IpAddress", "aws:SourceIp", "0.0.0.0/0"],
    ["IpAddress", "aws:SourceIp", ["203.0.113.0/24", "::/0"]],
    ["NotIpAddress", "aws:SourceIp", "192.0.2.1/32"],
    ["Bool", "aws:SecureTransport", "true"],
    ["Bool", "aws:PrincipalIsAWSService", "false"],
    ["Null", "aws:PrincipalOrgID", "false"],
    ["StringEquals", "aws:username", "alice"],
    ["StringEquals", "s3:x-amz-acl", "bucket-owner-full-control"],
  ])("a non-restricting condition leaves it public: %s %s", (operator, key, value) => {
    expect(withCondition(operator, key, value)).toBe(true);
  });

  it("reports a public statement with non-restricting conditions as conditional, naming keys not values", () => {
    const grants = findPublicGrants(
      statements(publicRead({ Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-secretish" } } })),
    );
    expect(grants).toMatchObject([{ conditional: true, conditions: ["StringNotEquals aws:principalorgid"] }]);
    expect(JSON.stringify(grants)).not.toContain("o-secretish");
  });

  it("one restricting entry among several restricts (entries are AND-ed)", () => {
    const condition = {
      Bool: { "aws:SecureTransport": "true" },
      StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
    };
    expect(isPublic(publicRead({ Condition: condition }))).toBe(false);
  });

  it("a Deny to everyone outside the organisation closes a public Allow", () => {
    const guard = {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [BUCKET_OBJECTS],
      Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
    };
    expect(isPublic(publicRead(), guard)).toBe(false);
    expect(
      isPublic(publicRead(), {
        ...guard,
        Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      }),
    ).toBe(false);
  });

  it("a Deny that does not shut out every outsider, or not on everything allowed, leaves it public", () => {
    const guard = {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: BUCKET_OBJECTS,
      Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
    };
    // ForAnyValue with a missing key is false: anonymous callers are not denied.
    expect(
      isPublic(publicRead(), {
        ...guard,
        Condition: { "ForAnyValue:StringNotEquals": { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      }),
    ).toBe(true);
    // Only insecure outsiders are denied.
    expect(
      isPublic(publicRead(), {
        ...guard,
        Condition: { ...guard.Condition, Bool: { "aws:SecureTransport": "false" } },
      }),
    ).toBe(true);
    expect(isPublic(publicRead(), { ...guard, Action: "s3:PutObject" })).toBe(true);
    expect(isPublic(publicRead(), { ...guard, Resource: "arn:aws:s3:::orders-exports-111122223333" })).toBe(
      true,
    );
    expect(isPublic(publicRead(), { ...guard, Principal: { AWS: "arn:aws:iam::444455556666:root" } })).toBe(
      true,
    );
  });

  it("an unconditional Deny of everything to everyone makes nothing public", () => {
    expect(isPublic(publicRead(), { Effect: "Deny", Principal: "*", Action: "*", Resource: "*" })).toBe(
      false,
    );
  });
});
