import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import type { IdentityGrants, InlinePolicy } from "../../shared/resources/iam-identity/state";
import type { IamGroupState } from "../../shared/resources/iam-group/state";
import type { IamRoleState } from "../../shared/resources/iam-role/state";
import type { IamUserState } from "../../shared/resources/iam-user/state";
import { ADMIN_ARN, ADMIN_DOCUMENT, KMS_DOCUMENT, SCOPED_DOCUMENT, grantEvent, urlEncoded } from "./support";

const ctx = (input: VigilConfigInput = {}) => ({ config: parseConfig(input) });
const check = (id: string) => {
  const found = checkById(id);
  if (!found) throw new Error(`no check ${id}`);
  return found as CheckDefinition;
};
/** What the pipeline does with a check: undecided first, violations only when decided. */
const run = (id: string, state: unknown, context = ctx()) => {
  const c = check(id);
  const undecided = c.undecided?.(state as never, context);
  return { undecided, violations: undecided ? [] : c.evaluate(state as never, context) };
};

const json = (document: unknown) => JSON.stringify(document, null, 2);
const inlinePolicy = (name: string, document: unknown, source = "GetUserPolicy"): InlinePolicy => ({
  name,
  document: typeof document === "string" ? document : json(document),
  source,
});
const user = (grants: IdentityGrants): IamUserState => ({
  userName: "svc-reporting",
  userArn: "arn:aws:iam::111122223333:user/svc-reporting",
  grants,
});
const role = (grants: IdentityGrants, extra: Partial<IamRoleState> = {}): IamRoleState => ({
  roleName: "ci-deploy",
  roleArn: "arn:aws:iam::111122223333:role/ci-deploy",
  grants,
  ...extra,
});
const group = (grants: IdentityGrants): IamGroupState => ({
  groupName: "developers",
  groupArn: "arn:aws:iam::111122223333:group/developers",
  grants,
});
const whole = (...policies: InlinePolicy[]) => ({ inline: { complete: true, policies } });
const only = (...policies: InlinePolicy[]) => ({ inline: { complete: false, policies } });
/** The document of the project's PutUserPolicy sample, as CloudTrail logs it (JSON text). */
const sampleDocument = () =>
  (grantEvent("PutUserPolicy-admin").detail.requestParameters as { policyDocument: string }).policyDocument;

describe("catalog entries", () => {
  it.each([
    ["VIGIL.IAM.INLINE_ADMIN_USER", "HIGH", [], "AWS::IAM::User", "delete-inline-admin-policy-user"],
    ["VIGIL.IAM.INLINE_ADMIN_ROLE", "HIGH", [], "AWS::IAM::Role", "delete-inline-admin-policy-role"],
    ["VIGIL.IAM.INLINE_ADMIN_GROUP", "HIGH", [], "AWS::IAM::Group", "delete-inline-admin-policy-group"],
    ["VIGIL.IAM.ADMIN_POLICY_ATTACHED_USER", "HIGH", [], "AWS::IAM::User", "detach-admin-policy-user"],
    ["VIGIL.IAM.ADMIN_POLICY_ATTACHED_ROLE", "HIGH", [], "AWS::IAM::Role", "detach-admin-policy-role"],
    ["VIGIL.IAM.ADMIN_POLICY_ATTACHED_GROUP", "HIGH", [], "AWS::IAM::Group", "detach-admin-policy-group"],
    ["VIGIL.IAM.INLINE_KMS_DECRYPT_USER", "MEDIUM", ["FSBP KMS.2"], "AWS::IAM::User", undefined],
    ["VIGIL.IAM.INLINE_KMS_DECRYPT_ROLE", "MEDIUM", ["FSBP KMS.2"], "AWS::IAM::Role", undefined],
    ["VIGIL.IAM.INLINE_KMS_DECRYPT_GROUP", "MEDIUM", ["FSBP KMS.2"], "AWS::IAM::Group", undefined],
    ["VIGIL.IAM.ESCALATION_USER", "MEDIUM", [], "AWS::IAM::User", undefined],
    ["VIGIL.IAM.ESCALATION_ROLE", "MEDIUM", [], "AWS::IAM::Role", undefined],
    ["VIGIL.IAM.ESCALATION_GROUP", "MEDIUM", [], "AWS::IAM::Group", undefined],
    ["IAM.2", "LOW", ["FSBP IAM.2", "CIS 1.15"], "AWS::IAM::User", undefined],
    ["VIGIL.IAM.RISKY_TRUST", "HIGH", [], "AWS::IAM::Role", undefined],
  ])("%s: %s, controls %j, %s, remediation %s (dry-run)", (id, severity, controls, type, remediation) => {
    const c = check(id);
    expect(c).toMatchObject({ severity, controls, resourceType: type });
    expect(c.remediation).toEqual(remediation ? { id: remediation, defaultMode: "dry-run" } : undefined);
    expect(c.triggers.config).toEqual([type]);
    expect(c.iamActions).toContain("iam:GetPolicyVersion");
  });

  it("triggers: inline checks on Put/Delete*Policy, attached on Attach/Detach, trust on CreateRole/UpdateAssumeRolePolicy", () => {
    expect(check("VIGIL.IAM.INLINE_ADMIN_ROLE").triggers.cloudTrail).toEqual([
      { eventSource: "iam.amazonaws.com", eventNames: ["PutRolePolicy", "DeleteRolePolicy", "DeleteRole"] },
    ]);
    expect(check("VIGIL.IAM.ADMIN_POLICY_ATTACHED_GROUP").triggers.cloudTrail).toEqual([
      {
        eventSource: "iam.amazonaws.com",
        eventNames: ["AttachGroupPolicy", "DetachGroupPolicy", "DeleteGroup"],
      },
    ]);
    expect(check("IAM.2").triggers.cloudTrail[0]?.eventNames).toEqual([
      "PutUserPolicy",
      "DeleteUserPolicy",
      "AttachUserPolicy",
      "DetachUserPolicy",
      "DeleteUser",
    ]);
    expect(check("VIGIL.IAM.RISKY_TRUST").triggers.cloudTrail[0]?.eventNames).toEqual([
      "CreateRole",
      "UpdateAssumeRolePolicy",
      "DeleteRole",
    ]);
    expect(check("VIGIL.IAM.INLINE_ADMIN_USER").iamActions).toEqual([
      "iam:ListUserPolicies",
      "iam:GetUserPolicy",
      "iam:ListAttachedUserPolicies",
      "iam:GetPolicy",
      "iam:GetPolicyVersion",
      "iam:ListUserTags",
    ]);
    // Groups carry no tags: no tag read.
    expect(check("VIGIL.IAM.INLINE_ADMIN_GROUP").iamActions).not.toContain("iam:ListGroupTags");
  });
});

describe("VIGIL.IAM.INLINE_ADMIN_*", () => {
  const ID = "VIGIL.IAM.INLINE_ADMIN_USER";

  it("non-compliant: the sample's break-glass document (JSON text as CloudTrail logs it) opens even from a partial view", () => {
    const result = run(ID, user(only(inlinePolicy("break-glass-inline", sampleDocument(), "PutUserPolicy"))));
    expect(result.undecided).toBeUndefined();
    expect(result.violations).toEqual([
      {
        summary:
          'inline policy "break-glass-inline" of user svc-reporting allows every action on every resource: statement 0 (Sid "BreakGlass")',
        evidence: {
          identityType: "user",
          identityName: "svc-reporting",
          policyName: "break-glass-inline",
          policySource: "PutUserPolicy",
          statements: [{ index: 0, sid: "BreakGlass" }],
        },
      },
    ]);
  });

  it('non-compliant: URL-encoded documents (Config, GetRolePolicy), NotAction excluding nothing, Action "*:*"', () => {
    const notAction = { Version: "2012-10-17", Statement: { Effect: "Allow", NotAction: [], Resource: "*" } };
    const starStar = { Statement: [{ Effect: "Allow", Action: ["*:*"], Resource: ["*"] }] };
    const state = role(
      whole(
        inlinePolicy("a", urlEncoded(ADMIN_DOCUMENT), "Config"),
        inlinePolicy("b", notAction),
        inlinePolicy("c", starStar),
        inlinePolicy("d", SCOPED_DOCUMENT),
      ),
    );
    const result = run("VIGIL.IAM.INLINE_ADMIN_ROLE", state);
    expect(result.violations.map((v) => v.evidence.policyName)).toEqual(["a", "b", "c"]);
  });

  it("a conditional admin statement still counts, and says on what (condition keys, never values)", () => {
    const conditional = {
      Statement: [
        {
          Effect: "Allow",
          Action: "*",
          Resource: "*",
          Condition: { IpAddress: { "aws:SourceIp": "198.51.100.0/24" } },
        },
      ],
    };
    const [violation] = run(
      "VIGIL.IAM.INLINE_ADMIN_GROUP",
      group(whole(inlinePolicy("office", conditional))),
    ).violations;
    expect(violation?.summary).toContain("when its conditions hold");
    expect(violation?.evidence.statements).toEqual([
      { index: 0, conditional: true, conditions: ["IpAddress aws:sourceip"] },
    ]);
    expect(JSON.stringify(violation)).not.toContain("198.51.100.0");
  });

  it("compliant: every inline policy known and none is admin (a Deny of everything cancels an Allow of everything)", () => {
    const cancelled = {
      Statement: [
        { Effect: "Allow", Action: "*", Resource: "*" },
        { Effect: "Deny", Action: "*", Resource: "*" },
      ],
    };
    const result = run(
      ID,
      user(whole(inlinePolicy("scoped", SCOPED_DOCUMENT), inlinePolicy("off", cancelled))),
    );
    expect(result).toEqual({ undecided: undefined, violations: [] });
    expect(run(ID, user(whole()))).toEqual({ undecided: undefined, violations: [] });
  });

  it("undecided: a partial view without admin, an unreadable document, a state without inline policies", () => {
    expect(run(ID, user(only(inlinePolicy("scoped", SCOPED_DOCUMENT)))).undecided).toBe(
      'this event names only inline policy "scoped" of the user',
    );
    expect(
      run(ID, user({ inline: { complete: false, policies: [], removed: ["break-glass-inline"] } })).undecided,
    ).toBe('this event names only inline policy "break-glass-inline" of the user');
    expect(run(ID, user(whole(inlinePolicy("broken", "{not json"))))).toMatchObject({
      undecided: 'the document of inline policy "broken" could not be read',
    });
    expect(run(ID, user({})).undecided).toBe("this event does not show the user's inline policies");
  });

  it("not applicable: roles IAM Identity Center provisions (by name or path) and service-linked roles", () => {
    const admin = whole(inlinePolicy("AdministratorAccess", ADMIN_DOCUMENT));
    const sso = role(admin, { roleName: "AWSReservedSSO_AdministratorAccess_0a1b2c3d4e5f6789" });
    const byPath = role(admin, { path: "/aws-reserved/sso.amazonaws.com/eu-west-1/" });
    const linked = role(admin, { path: "/aws-service-role/elasticloadbalancing.amazonaws.com/" });
    for (const state of [sso, byPath, linked])
      expect(run("VIGIL.IAM.INLINE_ADMIN_ROLE", state)).toEqual({ undecided: undefined, violations: [] });
  });

  it("is pure: the state is left unchanged", () => {
    const state = user(whole(inlinePolicy("break-glass-inline", ADMIN_DOCUMENT)));
    const before = structuredClone(state);
    for (const id of [ID, "VIGIL.IAM.INLINE_KMS_DECRYPT_USER", "VIGIL.IAM.ESCALATION_USER", "IAM.2"])
      run(id, state);
    expect(state).toEqual(before);
  });
});

describe("VIGIL.IAM.ADMIN_POLICY_ATTACHED_*", () => {
  const ID = "VIGIL.IAM.ADMIN_POLICY_ATTACHED_ROLE";
  const attached = (
    complete: boolean,
    ...policies: { arn: string; defaultVersion?: { versionId: string; document: string } }[]
  ) => ({
    attached: {
      complete,
      policies: policies.map((p) => ({
        name: p.arn.split("/").pop() ?? "",
        source: "ListAttachedRolePolicies",
        ...p,
      })),
    },
  });

  it("non-compliant: AWS's AdministratorAccess, in any partition, from the call alone", () => {
    const result = run(ID, role(attached(false, { arn: ADMIN_ARN })));
    expect(result.violations).toEqual([
      {
        summary: `role ci-deploy has AdministratorAccess attached (${ADMIN_ARN}), an administrator policy`,
        evidence: {
          identityType: "role",
          identityName: "ci-deploy",
          policyArn: ADMIN_ARN,
          policyName: "AdministratorAccess",
          judgedBy: "iam.adminManagedPolicies",
          pattern: "arn:*:iam::aws:policy/AdministratorAccess",
        },
      },
    ]);
    const china = run(ID, role(attached(true, { arn: "arn:aws-cn:iam::aws:policy/AdministratorAccess" })));
    expect(china.violations).toHaveLength(1);
  });

  it("non-compliant: a customer managed policy whose default version is full admin (URL-encoded, as GetPolicyVersion)", () => {
    const arn = "arn:aws:iam::111122223333:policy/deploy-all";
    const result = run(
      ID,
      role(
        attached(true, { arn, defaultVersion: { versionId: "v3", document: urlEncoded(ADMIN_DOCUMENT) } }),
      ),
    );
    expect(result.violations.map((v) => v.evidence)).toEqual([
      {
        identityType: "role",
        identityName: "ci-deploy",
        policyArn: arn,
        policyName: "deploy-all",
        judgedBy: "document",
        versionId: "v3",
        statements: [{ index: 0, sid: "BreakGlass" }],
      },
    ]);
  });

  it("config iam.adminManagedPolicies adds admin-equivalent policies", () => {
    const state = role(attached(true, { arn: "arn:aws:iam::aws:policy/IAMFullAccess" }));
    expect(run(ID, state).violations).toEqual([]);
    const context = ctx({
      iam: {
        adminManagedPolicies: [
          "arn:*:iam::aws:policy/AdministratorAccess",
          "arn:*:iam::aws:policy/IAMFullAccess",
        ],
      },
    });
    expect(run(ID, state, context).violations).toHaveLength(1);
  });

  it("compliant: the whole list known, AWS managed non-admin and customer managed scoped policies", () => {
    const scoped = { versionId: "v1", document: urlEncoded(SCOPED_DOCUMENT) };
    const state = role(
      attached(
        true,
        { arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
        { arn: "arn:aws:iam::111122223333:policy/reports", defaultVersion: scoped },
      ),
    );
    expect(run(ID, state)).toEqual({ undecided: undefined, violations: [] });
  });

  it("undecided: a partial view without admin, a customer managed document not read, no attached list", () => {
    expect(run(ID, role(attached(false, { arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }))).undecided).toBe(
      "this event names only managed policy arn:aws:iam::aws:policy/ReadOnlyAccess of the role",
    );
    expect(
      run(ID, role(attached(true, { arn: "arn:aws:iam::111122223333:policy/deploy-all" }))).undecided,
    ).toBe("the default version of customer managed policy deploy-all was not read");
    expect(run(ID, role({})).undecided).toBe("this event does not show the role's attached policies");
  });

  it("not applicable: an Identity Center role with AdministratorAccess (a permission set)", () => {
    const state = role(attached(true, { arn: ADMIN_ARN }), {
      roleName: "AWSReservedSSO_AdministratorAccess_0a1b2c",
    });
    expect(run(ID, state)).toEqual({ undecided: undefined, violations: [] });
  });
});

describe("VIGIL.IAM.INLINE_KMS_DECRYPT_* (KMS.2)", () => {
  const ID = "VIGIL.IAM.INLINE_KMS_DECRYPT_ROLE";

  it("non-compliant: kms:Decrypt on every key", () => {
    const [violation] = run(ID, role(only(inlinePolicy("decrypt-exports", KMS_DOCUMENT)))).violations;
    expect(violation).toEqual({
      summary:
        'inline policy "decrypt-exports" of role ci-deploy allows kms:Decrypt on all KMS keys: statement 0 (Sid "DecryptExports")',
      evidence: {
        identityType: "role",
        identityName: "ci-deploy",
        policyName: "decrypt-exports",
        policySource: "GetUserPolicy",
        actions: ["kms:Decrypt"],
        statements: [{ index: 0, sid: "DecryptExports", resource: "*" }],
      },
    });
  });

  it("compliant: keys of one account and Region, or a full-admin statement (INLINE_ADMIN's finding, not repeated)", () => {
    const scoped = {
      Statement: [
        { Effect: "Allow", Action: "kms:Decrypt", Resource: "arn:aws:kms:us-east-1:111122223333:key/*" },
      ],
    };
    expect(
      run(ID, role(whole(inlinePolicy("scoped", scoped), inlinePolicy("admin", ADMIN_DOCUMENT)))),
    ).toEqual({
      undecided: undefined,
      violations: [],
    });
  });

  it("undecided: a partial view without the grant; not applicable: an Identity Center role", () => {
    expect(run(ID, role(only(inlinePolicy("scoped", SCOPED_DOCUMENT)))).undecided).toContain("names only");
    const sso = role(whole(inlinePolicy("k", KMS_DOCUMENT)), { roleName: "AWSReservedSSO_Reports_0a1b" });
    expect(run(ID, sso)).toEqual({ undecided: undefined, violations: [] });
  });
});

describe("VIGIL.IAM.ESCALATION_*", () => {
  const ID = "VIGIL.IAM.ESCALATION_USER";
  const doc = (...statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });

  it("non-compliant: iam:PutUserPolicy and iam:AttachUserPolicy on every user", () => {
    const escalation = doc({
      Effect: "Allow",
      Action: ["iam:AttachUserPolicy", "iam:PutUserPolicy"],
      Resource: "*",
    });
    const [violation] = run(ID, user(only(inlinePolicy("team-access", escalation)))).violations;
    expect(violation?.summary).toBe(
      "user svc-reporting can give itself more permissions through its inline policies: attach any managed policy to a user; write an inline policy on a user",
    );
    expect(violation?.evidence).toEqual({
      identityType: "user",
      identityName: "svc-reporting",
      methods: [
        {
          method: "AttachUserPolicy",
          via: ['iam:AttachUserPolicy via inline policy "team-access" statement 0'],
        },
        { method: "PutUserPolicy", via: ['iam:PutUserPolicy via inline policy "team-access" statement 0'] },
      ],
    });
  });

  it("non-compliant across policies: UpdateAssumeRolePolicy in one, sts:AssumeRole in another", () => {
    const state = role(
      whole(
        inlinePolicy(
          "trust-editor",
          doc({ Effect: "Allow", Action: "iam:UpdateAssumeRolePolicy", Resource: "*" }),
        ),
        inlinePolicy(
          "assume",
          doc({ Effect: "Allow", Action: "sts:AssumeRole", Resource: "arn:aws:iam::111122223333:role/*" }),
        ),
      ),
    );
    const [violation] = run("VIGIL.IAM.ESCALATION_ROLE", state).violations;
    expect(violation?.evidence.methods).toEqual([
      {
        method: "UpdateRolePolicyToAssumeIt",
        via: [
          'iam:UpdateAssumeRolePolicy via inline policy "trust-editor" statement 0',
          'sts:AssumeRole via inline policy "assume" statement 0',
        ],
      },
    ]);
  });

  it("compliant: self-service on the caller's own user, PassRole + RunInstances (left out), full admin (INLINE_ADMIN's)", () => {
    const self = doc({
      Effect: "Allow",
      Action: "iam:CreateAccessKey",
      Resource: "arn:aws:iam::*:user/${aws:username}",
    });
    const passRole = doc({ Effect: "Allow", Action: ["iam:PassRole", "ec2:RunInstances"], Resource: "*" });
    const state = user(whole(inlinePolicy("self", self), inlinePolicy("ci", passRole)));
    expect(run(ID, state)).toEqual({ undecided: undefined, violations: [] });
    expect(run(ID, user(whole(inlinePolicy("admin", ADMIN_DOCUMENT))))).toEqual({
      undecided: undefined,
      violations: [],
    });
  });

  it("undecided: a partial view that opens no path", () => {
    expect(run(ID, user(only(inlinePolicy("scoped", SCOPED_DOCUMENT)))).undecided).toContain("names only");
  });
});

describe("IAM.2", () => {
  it("non-compliant: any inline or attached policy of its own (a partial view says 'at least')", () => {
    const state = user({
      inline: { complete: true, policies: [{ name: "reporting-read", source: "ListUserPolicies" }] },
      attached: {
        complete: false,
        policies: [{ arn: ADMIN_ARN, name: "AdministratorAccess", source: "AttachUserPolicy" }],
      },
    });
    expect(run("IAM.2", state).violations).toEqual([
      {
        summary:
          'user svc-reporting has policies of its own: inline policy "reporting-read", managed policy AdministratorAccess (at least)',
        evidence: {
          userName: "svc-reporting",
          inlinePolicies: ["reporting-read"],
          attachedPolicies: [ADMIN_ARN],
          partial: true,
        },
      },
    ]);
  });

  it("compliant only when both lists are whole and empty; undecided otherwise", () => {
    const empty = { complete: true, policies: [] };
    expect(run("IAM.2", user({ inline: empty, attached: empty }))).toEqual({
      undecided: undefined,
      violations: [],
    });
    expect(run("IAM.2", user({ inline: empty })).undecided).toBe(
      "this event does not show all of the user's inline and attached policies",
    );
    expect(
      run("IAM.2", user({ inline: { complete: false, policies: [], removed: ["x"] }, attached: empty }))
        .undecided,
    ).toBeDefined();
  });
});

describe("VIGIL.IAM.RISKY_TRUST", () => {
  const ID = "VIGIL.IAM.RISKY_TRUST";
  const trusting = (...statements: unknown[]): IamRoleState =>
    role(
      {},
      { trust: { document: json({ Version: "2012-10-17", Statement: statements }), source: "CreateRole" } },
    );
  const assume = (principal: unknown, extra: Record<string, unknown> = {}) => ({
    Effect: "Allow",
    Principal: principal,
    Action: "sts:AssumeRole",
    ...extra,
  });

  it("non-compliant, CRITICAL: anyone may assume the role (Principal * or AWS:*)", () => {
    for (const principal of ["*", { AWS: "*" }]) {
      const [violation] = run(ID, trusting(assume(principal))).violations;
      expect(violation).toMatchObject({
        severity: "CRITICAL",
        evidence: { roleName: "ci-deploy", issue: "public" },
      });
      expect(violation?.summary).toMatch(/^role ci-deploy: statement 0 lets anyone assume the role/);
    }
  });

  it("non-compliant, HIGH (the check's severity): an unknown account without sts:ExternalId", () => {
    const [violation] = run(ID, trusting(assume({ AWS: "arn:aws:iam::444455556666:root" }))).violations;
    expect(violation?.severity).toBeUndefined();
    expect(violation?.evidence).toEqual({
      roleName: "ci-deploy",
      statement: { index: 0 },
      trustSource: "CreateRole",
      issue: "external-account",
      principal: "arn:aws:iam::444455556666:root",
      account: "444455556666",
    });
  });

  it("compliant: an external ID, an organisation condition, a known account, the role's own account, a service", () => {
    const external = assume(
      { AWS: "444455556666" },
      { Condition: { StringEquals: { "sts:ExternalId": "vendor-7f3a9c" } } },
    );
    const org = assume(
      { AWS: "arn:aws:iam::444455556666:root" },
      { Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } },
    );
    const own = assume({ AWS: "arn:aws:iam::111122223333:role/admin" });
    const service = assume({ Service: "ec2.amazonaws.com" });
    expect(run(ID, trusting(external, org, own, service))).toEqual({ undecided: undefined, violations: [] });
    const known = trusting(assume({ AWS: "arn:aws:iam::444455556666:root" }));
    expect(run(ID, known, ctx({ iam: { knownAccounts: ["444455556666"] } })).violations).toEqual([]);
  });

  it("undecided: no trust policy in the state, or one that can't be read", () => {
    expect(run(ID, role({})).undecided).toBe("this event does not show the role's trust policy");
    expect(run(ID, role({}, { trust: { document: "%7Bbroken", source: "Config" } })).undecided).toBe(
      "the role's trust policy could not be read",
    );
  });
});
