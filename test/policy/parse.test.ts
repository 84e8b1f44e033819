import { describe, expect, it } from "vitest";
import { parsePolicyDocument } from "../../shared/policy";
import { loadFixture, policy } from "./support";

const putUserPolicy = loadFixture("cloudtrail-iam-PutUserPolicy-star-star.json");
const configItem = loadFixture("config-item-change-iam-policy-admin-version.json");
const putBucketPolicy = loadFixture("cloudtrail-s3-PutBucketPolicy-public-read.json");

interface ConfigDetail {
  configurationItem: { configuration: { policyVersionList: { versionId: string; document: string }[] } };
}
interface RequestDetail {
  requestParameters: { policyDocument?: string; bucketPolicy?: unknown };
}

describe("parsePolicyDocument on real samples", () => {
  it("reads CloudTrail's PutUserPolicy policyDocument (plain JSON text, whitespace kept)", () => {
    const text = (putUserPolicy.detail as unknown as RequestDetail).requestParameters.policyDocument;
    expect(typeof text).toBe("string");
    const parsed = parsePolicyDocument(text);
    expect(parsed).toEqual({
      ok: true,
      encoding: "json",
      document: {
        version: "2012-10-17",
        statements: [
          {
            index: 0,
            sid: "BreakGlass",
            effect: "Allow",
            action: { not: false, values: ["*"] },
            resource: { not: false, values: ["*"] },
            conditions: [],
          },
        ],
      },
    });
  });

  it("reads AWS Config's URL-encoded policy versions", () => {
    const versions = (configItem.detail as unknown as ConfigDetail).configurationItem.configuration
      .policyVersionList;
    const byVersion = Object.fromEntries(versions.map((v) => [v.versionId, parsePolicyDocument(v.document)]));
    expect(byVersion.v2).toMatchObject({ ok: true, encoding: "url-encoded-json" });
    expect(byVersion.v1).toMatchObject({ ok: true, encoding: "url-encoded-json" });
    expect(byVersion.v2?.ok && byVersion.v2.document.statements[0]?.action.values).toEqual(["*"]);
    expect(byVersion.v1?.ok && byVersion.v1.document.statements[0]?.action.values).toEqual([
      "s3:GetObject",
      "s3:ListBucket",
    ]);
  });

  it("reads S3 PutBucketPolicy's already-parsed bucketPolicy object, with Principal *", () => {
    const object = (putBucketPolicy.detail as unknown as RequestDetail).requestParameters.bucketPolicy;
    const parsed = parsePolicyDocument(object);
    expect(parsed.ok && parsed.encoding).toBe("object");
    expect(parsed.ok && parsed.document.statements[0]).toEqual({
      index: 0,
      sid: "PublicRead",
      effect: "Allow",
      action: { not: false, values: ["s3:GetObject"] },
      resource: { not: false, values: ["arn:aws:s3:::orders-exports-111122223333/*"] },
      principal: {
        not: false,
        value: { everyone: true, AWS: [], Service: [], Federated: [], CanonicalUser: [] },
      },
      conditions: [],
    });
  });
});

describe("encoding detection", () => {
  const document = {
    Version: "2012-10-17",
    Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
  };
  const json = JSON.stringify(document, null, 2);

  it("does not URL-decode JSON text whose values hold % escapes", () => {
    const withPercent = {
      Statement: { Sid: "p%41x%7B", Effect: "Allow", Action: "s3:Get%2A", Resource: "*" },
    };
    const parsed = parsePolicyDocument(JSON.stringify(withPercent));
    expect(parsed.ok && parsed.encoding).toBe("json");
    expect(parsed.ok && parsed.document.statements[0]?.sid).toBe("p%41x%7B");
    expect(parsed.ok && parsed.document.statements[0]?.action.values).toEqual(["s3:Get%2A"]);
  });

  it("decodes URL-encoded text exactly once, keeping %XX that the JSON itself holds", () => {
    const withPercent = { Statement: { Sid: "100%25", Effect: "Allow", Action: "*", Resource: "*" } };
    const parsed = parsePolicyDocument(encodeURIComponent(JSON.stringify(withPercent)));
    expect(parsed.ok && parsed.encoding).toBe("url-encoded-json");
    expect(parsed.ok && parsed.document.statements[0]?.sid).toBe("100%25");
  });

  it("accepts lower-case escapes, encoded leading whitespace, raw surrounding whitespace and a BOM", () => {
    for (const text of [
      encodeURIComponent(json).replace(/%7B/g, "%7b"),
      `%0A%20${encodeURIComponent(json)}`,
      `\n\t ${json} \n`,
      `\uFEFF${json}`,
    ]) {
      expect(policy(text).statements[0]?.action.values).toEqual(["s3:GetObject"]);
    }
  });

  it("accepts form encoding (+ for spaces) only when the plain reading fails, keeping %2B as a plus", () => {
    const withPlus = JSON.stringify(
      { Statement: { Sid: "a+b", Effect: "Allow", Action: "*", Resource: "*" } },
      null,
      1,
    );
    const form = encodeURIComponent(withPlus).replace(/%20/g, "+");
    const parsed = parsePolicyDocument(form);
    expect(parsed.ok && parsed.document.statements[0]?.sid).toBe("a+b");
  });

  it("accepts JSON text that was only partly encoded", () => {
    const partly = `{${encodeURIComponent(json.slice(1))}`;
    const parsed = parsePolicyDocument(partly);
    expect(parsed.ok && parsed.encoding).toBe("url-encoded-json");
    expect(parsed.ok && parsed.document.statements[0]?.action.values).toEqual(["s3:GetObject"]);
  });
});

describe("normalisation", () => {
  it("turns a single Statement object into a one-item list at index 0, and keeps source indexes", () => {
    const one = policy({ Statement: { Effect: "Deny", NotAction: "iam:*", NotResource: "arn:aws:s3:::b" } });
    expect(one.statements).toEqual([
      {
        index: 0,
        effect: "Deny",
        action: { not: true, values: ["iam:*"] },
        resource: { not: true, values: ["arn:aws:s3:::b"] },
        conditions: [],
      },
    ]);
    const two = policy({
      Statement: [
        { Effect: "Allow", Action: "a:b", Resource: "*" },
        { Effect: "Deny", Action: "c:d", Resource: "*" },
      ],
    });
    expect(two.statements.map((s) => [s.index, s.effect])).toEqual([
      [0, "Allow"],
      [1, "Deny"],
    ]);
  });

  it("normalises Effect casing and numeric Sids", () => {
    const doc = policy({ Statement: { Sid: 7, Effect: "allow", Action: "*", Resource: "*" } });
    expect(doc.statements[0]).toMatchObject({ sid: "7", effect: "Allow" });
  });

  it("normalises principals: * vs AWS:*, type keys in any case, strings to lists", () => {
    const doc = policy({
      Statement: [
        { Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" },
        {
          Effect: "Allow",
          Principal: { aws: ["arn:aws:iam::111122223333:root"], SERVICE: "ec2.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
        { Effect: "Deny", NotPrincipal: { Federated: "cognito-identity.amazonaws.com" }, Action: "*" },
      ],
    });
    expect(doc.statements.map((s) => s.principal)).toEqual([
      { not: false, value: { everyone: false, AWS: ["*"], Service: [], Federated: [], CanonicalUser: [] } },
      {
        not: false,
        value: {
          everyone: false,
          AWS: ["arn:aws:iam::111122223333:root"],
          Service: ["ec2.amazonaws.com"],
          Federated: [],
          CanonicalUser: [],
        },
      },
      {
        not: true,
        value: {
          everyone: false,
          AWS: [],
          Service: [],
          Federated: ["cognito-identity.amazonaws.com"],
          CanonicalUser: [],
        },
      },
    ]);
  });

  it("flattens conditions: operator parts, lower-cased keys, scalar values as text", () => {
    const doc = policy({
      Statement: {
        Effect: "Allow",
        Action: "*",
        Resource: "*",
        Condition: {
          "ForAnyValue:StringLikeIfExists": { "aws:PrincipalOrgPaths": ["o-a/*", "o-b/*"] },
          Bool: { "aws:SecureTransport": true, "aws:MultiFactorAuthPresent": "true" },
          NumericLessThan: { "s3:max-keys": 10 },
          StringEquals: { "AWS:SourceVpce": "vpce-1a2b3c4d" },
        },
      },
    });
    expect(doc.statements[0]?.conditions).toEqual([
      {
        operator: "ForAnyValue:StringLikeIfExists",
        baseOperator: "StringLike",
        qualifier: "ForAnyValue",
        ifExists: true,
        key: "aws:principalorgpaths",
        values: ["o-a/*", "o-b/*"],
      },
      {
        operator: "Bool",
        baseOperator: "Bool",
        ifExists: false,
        key: "aws:securetransport",
        values: ["true"],
      },
      {
        operator: "Bool",
        baseOperator: "Bool",
        ifExists: false,
        key: "aws:multifactorauthpresent",
        values: ["true"],
      },
      {
        operator: "NumericLessThan",
        baseOperator: "NumericLessThan",
        ifExists: false,
        key: "s3:max-keys",
        values: ["10"],
      },
      {
        operator: "StringEquals",
        baseOperator: "StringEquals",
        ifExists: false,
        key: "aws:sourcevpce",
        values: ["vpce-1a2b3c4d"],
      },
    ]);
  });

  it("keeps an empty Action list (allows nothing) and an empty NotAction list (excludes nothing)", () => {
    const doc = policy({
      Statement: [
        { Effect: "Allow", Action: [], Resource: "*" },
        { Effect: "Allow", NotAction: [], Resource: "*" },
      ],
    });
    expect(doc.statements.map((s) => s.action)).toEqual([
      { not: false, values: [] },
      { not: true, values: [] },
    ]);
  });
});

describe("bad input gives a typed error and never throws", () => {
  const cases: [string, unknown, string][] = [
    ["empty text", "  \n ", "empty"],
    ["not JSON", "{ Version: 2012 }", "not-json"],
    ["broken URL encoding", "%7B%ZZ", "bad-url-encoding"],
    ["URL-encoded non-JSON", "%7Bnope", "not-json"],
    ["a JSON array", "[]", "not-a-policy"],
    ["null", null, "not-a-policy"],
    ["undefined", undefined, "not-a-policy"],
    ["a number", 42, "not-a-policy"],
    ["a JSON string", '"{}"', "not-a-policy"],
    ["no Statement", { Version: "2012-10-17" }, "invalid-shape"],
    ["Effect Maybe", { Statement: { Effect: "Maybe", Action: "*" } }, "invalid-shape"],
    ["no Action", { Statement: { Effect: "Allow", Resource: "*" } }, "invalid-shape"],
    [
      "Action and NotAction",
      { Statement: { Effect: "Allow", Action: "*", NotAction: "iam:*" } },
      "invalid-shape",
    ],
    [
      "Resource and NotResource",
      { Statement: { Effect: "Allow", Action: "*", Resource: "*", NotResource: "*" } },
      "invalid-shape",
    ],
    [
      "Principal and NotPrincipal",
      { Statement: { Effect: "Allow", Action: "*", Principal: "*", NotPrincipal: "*" } },
      "invalid-shape",
    ],
    [
      "unknown principal type",
      { Statement: { Effect: "Allow", Action: "*", Principal: { Anyone: "*" } } },
      "invalid-shape",
    ],
    [
      "principal string other than *",
      { Statement: { Effect: "Allow", Action: "*", Principal: "me" } },
      "invalid-shape",
    ],
    ["Action a number", { Statement: { Effect: "Allow", Action: 5 } }, "invalid-shape"],
    [
      "condition value null",
      { Statement: { Effect: "Allow", Action: "*", Condition: { Bool: { "aws:x": null } } } },
      "invalid-shape",
    ],
    [
      "condition value object",
      { Statement: { Effect: "Allow", Action: "*", Condition: { Bool: { "aws:x": {} } } } },
      "invalid-shape",
    ],
  ];
  it.each(cases)("%s", (_name, input, code) => {
    const parsed = parsePolicyDocument(input);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error.code).toBe(code);
  });

  it("names the path of each problem and never echoes the document's values", () => {
    const secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const parsed = parsePolicyDocument({
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        {
          Effect: secret,
          Action: [secret, 3],
          Condition: { StringEquals: { "sts:ExternalId": { value: secret } } },
        },
      ],
    });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.issues.join("\n")).toContain("Statement.1.Effect");
    expect(parsed.error.issues.join("\n")).toContain("Statement.1.Action");
    expect(JSON.stringify(parsed.error)).not.toContain(secret);
  });
});
