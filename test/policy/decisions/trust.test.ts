import { describe, expect, it } from "vitest";
import { findRiskyTrust } from "../../../shared/policy";
import { statements } from "../support";

const OWN = "111122223333";
const PARTNER = "444455556666";
const trust = (statement: Record<string, unknown>) =>
  statements({ Effect: "Allow", Action: "sts:AssumeRole", ...statement });
const issues = (statement: Record<string, unknown>, knownAccounts: string[] = []) =>
  findRiskyTrust(trust(statement), { knownAccounts, ownAccount: OWN }).map((issue) => issue.kind);

describe("findRiskyTrust", () => {
  it("reports a role anyone may assume", () => {
    const found = findRiskyTrust(trust({ Principal: { AWS: "*" } }), { knownAccounts: [] });
    expect(found).toEqual([
      {
        kind: "public",
        statement: { index: 0 },
        principal: "AWS:*",
        conditional: false,
        conditions: [],
        reason: "statement 0 lets anyone assume the role (Principal AWS:*)",
      },
    ]);
    expect(issues({ Principal: "*", Action: "sts:AssumeRoleWithWebIdentity" })).toEqual(["public"]);
  });

  it("an sts:ExternalId does not make 'everyone' safe; an organisation condition does", () => {
    expect(issues({ Principal: "*", Condition: { StringEquals: { "sts:ExternalId": "x-123" } } })).toEqual([
      "public",
    ]);
    expect(
      issues({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } } }),
    ).toEqual([]);
  });

  it("reports an external account trusted without ExternalId or organisation condition", () => {
    const found = findRiskyTrust(
      trust({ Sid: "Vendor", Principal: { AWS: `arn:aws:iam::${PARTNER}:root` } }),
      {
        knownAccounts: [],
        ownAccount: OWN,
      },
    );
    expect(found).toEqual([
      {
        kind: "external-account",
        statement: { index: 0, sid: "Vendor" },
        principal: `arn:aws:iam::${PARTNER}:root`,
        account: PARTNER,
        conditional: false,
        conditions: [],
        reason: `statement 0 (Sid "Vendor") lets account ${PARTNER} assume the role without an sts:ExternalId or organisation condition`,
      },
    ]);
  });

  it("recognises accounts as bare ids, role, user and assumed-role ARNs", () => {
    for (const principal of [
      PARTNER,
      `arn:aws:iam::${PARTNER}:role/deployer`,
      `arn:aws:iam::${PARTNER}:user/ci`,
      `arn:aws:sts::${PARTNER}:assumed-role/deployer/session`,
    ]) {
      expect(issues({ Principal: { AWS: principal } })).toEqual(["external-account"]);
    }
  });

  it("accepts the own account, known accounts, and external ones guarded by ExternalId or organisation", () => {
    expect(issues({ Principal: { AWS: `arn:aws:iam::${OWN}:root` } })).toEqual([]);
    expect(issues({ Principal: { AWS: PARTNER } }, [PARTNER])).toEqual([]);
    expect(
      issues({ Principal: { AWS: PARTNER }, Condition: { StringEquals: { "sts:ExternalId": "a1b2-c3d4" } } }),
    ).toEqual([]);
    expect(
      issues({
        Principal: { AWS: PARTNER },
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      }),
    ).toEqual([]);
    expect(
      issues({
        Principal: { AWS: PARTNER },
        Condition: { "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/*" } },
      }),
    ).toEqual([]);
  });

  it("a wildcard, IfExists or empty ExternalId does not guard", () => {
    for (const condition of [
      { StringLike: { "sts:ExternalId": "*" } },
      { StringEqualsIfExists: { "sts:ExternalId": "a1b2-c3d4" } },
      { StringEquals: { "sts:ExternalId": "" } },
      { StringNotEquals: { "sts:ExternalId": "a1b2-c3d4" } },
      { Bool: { "aws:MultiFactorAuthPresent": "true" } },
    ]) {
      expect(issues({ Principal: { AWS: PARTNER }, Condition: condition })).toEqual(["external-account"]);
    }
  });

  it("reports each untrusted account once among several principals, and only for sts:AssumeRole", () => {
    const found = findRiskyTrust(
      trust({ Principal: { AWS: [`arn:aws:iam::${OWN}:root`, PARTNER, "999988887777"] } }),
      {
        knownAccounts: ["999988887777"],
        ownAccount: OWN,
      },
    );
    expect(found.map((issue) => issue.kind === "external-account" && issue.account)).toEqual([PARTNER]);
    expect(issues({ Principal: { AWS: PARTNER }, Action: "sts:TagSession" })).toEqual([]);
    expect(issues({ Principal: { AWS: PARTNER }, Action: "sts:*" })).toEqual(["external-account"]);
  });

  it("does not report service or federated principals, unique ids, or Deny statements", () => {
    expect(issues({ Principal: { Service: "lambda.amazonaws.com" } })).toEqual([]);
    expect(
      issues({
        Principal: { Federated: `arn:aws:iam::${PARTNER}:oidc-provider/token.actions.githubusercontent.com` },
        Action: "sts:AssumeRoleWithWebIdentity",
      }),
    ).toEqual([]);
    expect(issues({ Principal: { AWS: "AROAXMPL4KQ2W7N6ZB3YT" } })).toEqual([]);
    expect(issues({ Effect: "Deny", Principal: { AWS: PARTNER } })).toEqual([]);
    expect(issues({ Effect: "Deny", Principal: "*" })).toEqual([]);
  });
});
