import { describe, expect, it } from "vitest";
import { findAdminGrants, isFullAdmin } from "../../../shared/policy";
import { allow, loadFixture, policy, statements } from "../support";

interface ConfigDetail {
  configurationItem: { configuration: { policyVersionList: { versionId: string; document: string }[] } };
}

const full = (document: ReturnType<typeof policy>) => findAdminGrants(document).filter(isFullAdmin);

describe("findAdminGrants on real samples", () => {
  it("reports CloudTrail's PutUserPolicy break-glass document (Action * on Resource *)", () => {
    const event = loadFixture("cloudtrail-iam-PutUserPolicy-star-star.json");
    const text = (event.detail.requestParameters as { policyDocument: string }).policyDocument;
    expect(findAdminGrants(policy(text))).toEqual([
      {
        statement: { index: 0, sid: "BreakGlass" },
        actions: "all",
        actionVia: "*",
        excludedActions: [],
        resources: "all",
        resourceVia: "*",
        excludedResources: [],
        conditional: false,
        conditions: [],
        limitedBy: [],
        reason: 'statement 0 (Sid "BreakGlass") allows every action on every resource',
      },
    ]);
  });

  it("reports the new default version v2 of the Config item and not the old v1", () => {
    const event = loadFixture("config-item-change-iam-policy-admin-version.json");
    const versions = (event.detail as unknown as ConfigDetail).configurationItem.configuration
      .policyVersionList;
    const verdicts = Object.fromEntries(versions.map((v) => [v.versionId, full(policy(v.document)).length]));
    expect(verdicts).toEqual({ v1: 0, v2: 1 });
  });

  it("does not report the S3 public-read bucket policy (one action)", () => {
    const event = loadFixture("cloudtrail-s3-PutBucketPolicy-public-read.json");
    expect(
      findAdminGrants(policy((event.detail.requestParameters as { bucketPolicy: unknown }).bucketPolicy)),
    ).toEqual([]);
  });
});

describe("actions", () => {
  it.each([
    ["*"],
    [["*"]],
    ["*:*"],
    [["s3:GetObject", "*"]],
    ["**"],
    [{ NotAction: [] }],
    [{ NotAction: "nothing" }],
    [{ NotAction: ["", "a:b:c"] }],
  ])("every action: %j", (action) => {
    const body = typeof action === "object" && !Array.isArray(action) ? action : { Action: action };
    const grants = findAdminGrants(allow({ ...body, Resource: "*" }));
    expect(grants).toHaveLength(1);
    expect(grants.every(isFullAdmin)).toBe(true);
  });

  it.each([
    ["s3:*"],
    ["iam:*"],
    [["iam:*", "sts:*"]],
    ["*:Get*"],
    [{ NotAction: "*" }],
    [{ NotAction: ["s3:Get*", "*:*"] }],
  ])("not every action: %j", (action) => {
    const body = typeof action === "object" && !Array.isArray(action) ? action : { Action: action };
    expect(findAdminGrants(allow({ ...body, Resource: "*" }))).toEqual([]);
  });

  it("NotAction of a well-formed action is 'all except listed', never silently full or silently dropped", () => {
    const [grant, ...rest] = findAdminGrants(allow({ NotAction: ["foo:Bar", "nothing"], Resource: "*" }));
    expect(rest).toEqual([]);
    expect(grant).toMatchObject({
      actions: "all-except-listed",
      actionVia: "NotAction",
      excludedActions: ["foo:Bar"],
    });
    expect(grant && isFullAdmin(grant)).toBe(false);
    expect(grant?.reason).toBe("statement 0 allows every action except foo:Bar on every resource");
    const powerUser = findAdminGrants(
      allow({ NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" }),
    );
    expect(powerUser.map((g) => [g.actions, g.excludedActions])).toEqual([
      ["all-except-listed", ["iam:*", "organizations:*", "account:*"]],
    ]);
  });
});

describe("resources", () => {
  it.each([["*"], ["arn:*"], ["arn:aws:*:*:*:*"], [["arn:aws:s3:::b", "*"]]])(
    "every resource: %j",
    (resource) => {
      expect(full(allow({ Action: "*", Resource: resource }))).toHaveLength(1);
    },
  );

  it.each([["arn:aws:s3:::*"], ["arn:aws:*:*:111122223333:*"], [[]]])(
    "not every resource: %j",
    (resource) => {
      expect(findAdminGrants(allow({ Action: "*", Resource: resource }))).toEqual([]);
    },
  );

  it("NotResource: empty means all, a list means all except it, * means nothing", () => {
    expect(full(allow({ Action: "*", NotResource: [] }))).toHaveLength(1);
    expect(findAdminGrants(allow({ Action: "*", NotResource: "arn:aws:s3:::audit-logs/*" }))).toMatchObject([
      { actions: "all", resources: "all-except-listed", excludedResources: ["arn:aws:s3:::audit-logs/*"] },
    ]);
    expect(findAdminGrants(allow({ Action: "*", NotResource: "*" }))).toEqual([]);
  });

  it("a statement without a Resource element (not an identity statement) is not judged", () => {
    expect(findAdminGrants(allow({ Action: "*", Principal: "*" }))).toEqual([]);
  });
});

describe("effects and conditions", () => {
  it("Deny statements never grant", () => {
    expect(findAdminGrants(statements({ Effect: "Deny", Action: "*", Resource: "*" }))).toEqual([]);
  });

  it("an unconditional Deny of everything cancels the grant; narrower or conditional Denies are listed", () => {
    const cancelled = statements(
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Effect: "Deny", Action: "*", Resource: "*" },
    );
    expect(findAdminGrants(cancelled)).toEqual([]);
    const carved = statements(
      { Effect: "Allow", Action: "*", Resource: "*" },
      { Sid: "NoIam", Effect: "Deny", Action: "iam:*", Resource: "*" },
      {
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } },
      },
    );
    expect(findAdminGrants(carved)).toMatchObject([
      { actions: "all", limitedBy: [{ index: 1, sid: "NoIam" }, { index: 2 }] },
    ]);
  });

  it("a conditional admin statement is reported as conditional, naming operators and keys, never values", () => {
    const grants = findAdminGrants(
      allow({ Action: "*", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "198.51.100.7/32" } } }),
    );
    expect(grants).toMatchObject([{ conditional: true, conditions: ["IpAddress aws:sourceip"] }]);
    expect(grants[0]?.reason).toBe(
      "statement 0 allows every action on every resource (when its conditions hold)",
    );
    expect(JSON.stringify(grants)).not.toContain("198.51.100.7");
  });

  it("finds each admin statement among others, by source index", () => {
    const document = statements(
      { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
      { Sid: "Admin", Effect: "allow", Action: "*:*", Resource: ["*"] },
      { Effect: "Allow", NotAction: [], Resource: "*" },
    );
    expect(findAdminGrants(document).map((g) => g.statement)).toEqual([
      { index: 1, sid: "Admin" },
      { index: 2 },
    ]);
  });
});
