import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListRolePoliciesCommand,
  ListRoleTagsCommand,
  ListUserPoliciesCommand,
} from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import iamGroup from "../../shared/resources/iam-group/adapter";
import iamRole from "../../shared/resources/iam-role/adapter";
import iamUser from "../../shared/resources/iam-user/adapter";
import {
  ACCOUNT,
  ADMIN_ARN,
  ADMIN_DOCUMENT,
  SCOPED_DOCUMENT,
  awsError,
  configItemOf,
  detailOf,
  grantEvent,
  urlEncoded,
} from "./support";

const iamClient = new IAMClient({ region: "us-east-1" });
const iam = mockClient(iamClient);
const clients = { iam: () => iamClient } as unknown as ReadClients;
const context = { config: parseConfig({}) };
const calls = () => iam.calls().map((c) => [c.args[0].constructor.name, c.args[0].input]);
function first<T>(list: T[]): T {
  const [item] = list;
  if (!item) throw new Error("no observation");
  return item;
}
const userObs = (name: string) => first(iamUser.fromCloudTrail(detailOf(grantEvent(name)), ACCOUNT));
const roleObs = (name: string) => first(iamRole.fromCloudTrail(detailOf(grantEvent(name)), ACCOUNT));
const groupObs = (name: string) => first(iamGroup.fromCloudTrail(detailOf(grantEvent(name)), ACCOUNT));

afterEach(() => iam.reset());

describe("IAM user adapter: policy calls", () => {
  it("PutUserPolicy (admin): the one policy, as logged (JSON text); partial, no refresh (the call alone opens)", () => {
    const obs = userObs("PutUserPolicy-admin");
    const document = (
      grantEvent("PutUserPolicy-admin").detail.requestParameters as { policyDocument: string }
    ).policyDocument;
    expect(obs).toEqual({
      resource: {
        type: "AWS::IAM::User",
        id: "svc-reporting",
        arn: "arn:aws:iam::111122223333:user/svc-reporting",
        account: ACCOUNT,
        region: "global",
        name: "svc-reporting",
      },
      state: {
        userName: "svc-reporting",
        userArn: "arn:aws:iam::111122223333:user/svc-reporting",
        grants: {
          inline: {
            complete: false,
            policies: [{ name: "break-glass-inline", document, source: "PutUserPolicy" }],
          },
        },
      },
      complete: false,
      observedAt: "2025-03-15T08:24:51Z",
      tagsKnown: false,
    });
  });

  it("PutUserPolicy (scoped), DeleteUserPolicy, DetachUserPolicy and a non-admin attach need a live read", () => {
    expect(userObs("PutUserPolicy-scoped").needsRefresh).toBe(true);
    expect(userObs("DeleteUserPolicy")).toMatchObject({
      state: { grants: { inline: { complete: false, policies: [], removed: ["break-glass-inline"] } } },
      complete: false,
      needsRefresh: true,
    });
    expect(userObs("DetachUserPolicy-AdministratorAccess")).toMatchObject({
      state: { grants: { attached: { complete: false, policies: [], removed: [ADMIN_ARN] } } },
      needsRefresh: true,
    });
    expect(userObs("AttachUserPolicy-ReadOnlyAccess").needsRefresh).toBe(true);
  });

  it("AttachUserPolicy AdministratorAccess: admin by definition, no refresh", () => {
    const obs = userObs("AttachUserPolicy-AdministratorAccess");
    expect(obs.needsRefresh).toBeUndefined();
    expect(obs.state).toMatchObject({
      grants: {
        attached: {
          complete: false,
          policies: [{ arn: ADMIN_ARN, name: "AdministratorAccess", source: "AttachUserPolicy" }],
        },
      },
    });
  });

  it("bad input: a PutUserPolicy without document, an AttachUserPolicy with a bad ARN, no user name", () => {
    const noDocument = detailOf(grantEvent("PutUserPolicy-admin"), (d) => {
      delete (d.requestParameters as Record<string, unknown>).policyDocument;
    });
    expect(() => iamUser.fromCloudTrail(noDocument, ACCOUNT)).toThrow(
      /PutUserPolicy requestParameters: .*policyDocument/,
    );
    const badArn = detailOf(grantEvent("AttachUserPolicy-AdministratorAccess"), (d) => {
      d.requestParameters = { userName: "svc-reporting", policyArn: "AdministratorAccess" };
    });
    expect(() => iamUser.fromCloudTrail(badArn, ACCOUNT)).toThrow(UnusableEventError);
    const noUser = detailOf(grantEvent("DeleteUserPolicy"), (d) => {
      d.requestParameters = { policyName: "x" };
    });
    expect(() => iamUser.fromCloudTrail(noUser, ACCOUNT)).toThrow(/userName/);
  });

  it("refresh after DeleteUserPolicy: the rest read live, the deleted one left out even if still listed; the other part by name", async () => {
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ["break-glass-inline", "reporting-read"] });
    iam.on(GetUserPolicyCommand, { PolicyName: "reporting-read" }).resolves({
      UserName: "svc-reporting",
      PolicyName: "reporting-read",
      PolicyDocument: urlEncoded(SCOPED_DOCUMENT),
    });
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    const refreshed = await iamUser.refresh?.(userObs("DeleteUserPolicy"), clients, context);
    expect(refreshed).toMatchObject({ complete: true, needsRefresh: false });
    expect(refreshed?.state).toMatchObject({
      grants: {
        inline: {
          complete: true,
          policies: [
            { name: "reporting-read", document: urlEncoded(SCOPED_DOCUMENT), source: "GetUserPolicy" },
          ],
        },
        attached: { complete: true, policies: [] },
      },
    });
    expect(calls()).toEqual([
      ["ListUserPoliciesCommand", { UserName: "svc-reporting" }],
      ["GetUserPolicyCommand", { UserName: "svc-reporting", PolicyName: "reporting-read" }],
      ["ListAttachedUserPoliciesCommand", { UserName: "svc-reporting" }],
    ]);
  });

  it("refresh after PutUserPolicy: the call's document stands over a stale live one; pages are followed", async () => {
    iam
      .on(ListUserPoliciesCommand)
      .resolvesOnce({ PolicyNames: ["reporting-read"], IsTruncated: true, Marker: "m1" })
      .resolvesOnce({ PolicyNames: ["old-admin"], IsTruncated: false });
    iam.on(GetUserPolicyCommand, { PolicyName: "old-admin" }).resolves({
      PolicyName: "old-admin",
      UserName: "svc-reporting",
      PolicyDocument: urlEncoded(ADMIN_DOCUMENT),
    });
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    const refreshed = await iamUser.refresh?.(userObs("PutUserPolicy-scoped"), clients, context);
    const policies = (
      refreshed?.state as { grants: { inline: { policies: { name: string; source: string }[] } } }
    ).grants.inline.policies;
    expect(policies.map((p) => [p.name, p.source])).toEqual([
      ["reporting-read", "PutUserPolicy"],
      ["old-admin", "GetUserPolicy"],
    ]);
    expect(iam.commandCalls(ListUserPoliciesCommand).map((c) => c.args[0].input.Marker)).toEqual([
      undefined,
      "m1",
    ]);
    expect(iam.commandCalls(GetUserPolicyCommand)).toHaveLength(1);
  });

  it("a document CloudTrail logged unreadably (truncated) is read live instead of judged as logged", async () => {
    const truncated = detailOf(grantEvent("PutUserPolicy-admin"), (d) => {
      (d.requestParameters as Record<string, unknown>).policyDocument = '{"Version": "2012-10-17", "Statem';
    });
    const obs = first(iamUser.fromCloudTrail(truncated, ACCOUNT));
    expect(obs.needsRefresh).toBe(true);
    iam.on(ListUserPoliciesCommand).resolves({ PolicyNames: ["break-glass-inline"] });
    iam.on(GetUserPolicyCommand).resolves({ PolicyDocument: urlEncoded(ADMIN_DOCUMENT) });
    iam.on(ListAttachedUserPoliciesCommand).resolves({ AttachedPolicies: [] });
    const refreshed = await iamUser.refresh?.(obs, clients, context);
    expect(refreshed?.state?.grants?.inline?.policies).toEqual([
      { name: "break-glass-inline", document: urlEncoded(ADMIN_DOCUMENT), source: "GetUserPolicy" },
    ]);
  });

  it("refresh: a user deleted since the call has no state (its findings resolve)", async () => {
    iam.on(ListUserPoliciesCommand).rejects(awsError("NoSuchEntityException"));
    const refreshed = await iamUser.refresh?.(userObs("DeleteUserPolicy"), clients, context);
    expect(refreshed).toMatchObject({ state: undefined, complete: true, needsRefresh: false });
  });

  it("refresh: throttling is thrown (the event is retried), never taken for 'no policies'", async () => {
    iam.on(ListUserPoliciesCommand).rejects(awsError("Throttling", { $retryable: {} }));
    await expect(iamUser.refresh?.(userObs("DeleteUserPolicy"), clients, context)).rejects.toThrow(
      "Throttling",
    );
  });

  it("Config item: both lists whole, tags known, keyed by name (not Config's AIDA… id)", () => {
    const obs = iamUser.fromConfigItem(configItemOf("config-user-no-policies"));
    expect(obs).toEqual({
      resource: {
        type: "AWS::IAM::User",
        id: "svc-reporting",
        arn: "arn:aws:iam::111122223333:user/svc-reporting",
        account: ACCOUNT,
        region: "global",
        name: "svc-reporting",
      },
      state: {
        userName: "svc-reporting",
        userArn: "arn:aws:iam::111122223333:user/svc-reporting",
        grants: { inline: { complete: true, policies: [] }, attached: { complete: true, policies: [] } },
        tags: {},
      },
      complete: true,
      observedAt: "2025-03-15T10:05:12.771Z",
      tagsKnown: true,
    });
  });
});

describe("IAM role adapter", () => {
  it("CreateRole: trust policy, no policies yet, the request's tags, the real ARN (path) from the response", () => {
    const obs = roleObs("CreateRole-external-account-no-external-id");
    expect(obs).toMatchObject({
      resource: {
        id: "vendor-audit",
        arn: "arn:aws:iam::111122223333:role/vendors/vendor-audit",
        region: "global",
      },
      state: {
        roleName: "vendor-audit",
        path: "/vendors/",
        trust: { source: "CreateRole", document: expect.stringContaining('"VendorAudit"') },
        grants: { inline: { complete: true, policies: [] }, attached: { complete: true, policies: [] } },
        tags: { owner: "security" },
      },
      complete: true,
      tagsKnown: true,
    });
  });

  it("UpdateAssumeRolePolicy: the whole new trust policy, nothing about grants", () => {
    const obs = roleObs("UpdateAssumeRolePolicy-external-id");
    expect(obs.state).toEqual({
      roleName: "vendor-audit",
      roleArn: "arn:aws:iam::111122223333:role/vendor-audit",
      trust: { source: "UpdateAssumeRolePolicy", document: expect.stringContaining("sts:ExternalId") },
    });
    expect(obs).toMatchObject({ complete: true, tagsKnown: false });
  });

  it("PutRolePolicy / DeleteRole; bad input: CreateRole without a trust policy, an unknown call", () => {
    expect(roleObs("PutRolePolicy-admin")).toMatchObject({
      resource: { id: "ci-deploy" },
      complete: false,
    });
    const deleted = detailOf(grantEvent("DeleteRolePolicy"), (d) => {
      d.eventName = "DeleteRole";
      d.requestParameters = { roleName: "ci-deploy" };
    });
    expect(iamRole.fromCloudTrail(deleted, ACCOUNT)).toMatchObject([{ state: undefined, complete: true }]);
    const noTrust = detailOf(grantEvent("CreateRole-public-trust"), (d) => {
      delete (d.requestParameters as Record<string, unknown>).assumeRolePolicyDocument;
    });
    expect(() => iamRole.fromCloudTrail(noTrust, ACCOUNT)).toThrow(/assumeRolePolicyDocument/);
    const other = detailOf(grantEvent("DeleteRolePolicy"), (d) => {
      d.eventName = "TagRole";
    });
    expect(() => iamRole.fromCloudTrail(other, ACCOUNT)).toThrow("no IAM role reader for TagRole");
  });

  it("refresh after AttachRolePolicy of a customer managed policy: its default version is read (URL-encoded)", async () => {
    const arn = "arn:aws:iam::111122223333:policy/deploy-all";
    iam.on(ListRolePoliciesCommand).rejects(new Error("inline policies must not be read for an attach"));
    iam.on(ListAttachedRolePoliciesCommand).resolves({
      AttachedPolicies: [
        { PolicyName: "ReadOnlyAccess", PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" },
      ],
    });
    iam.on(GetPolicyCommand).resolves({ Policy: { Arn: arn, DefaultVersionId: "v2" } });
    iam
      .on(GetPolicyVersionCommand)
      .resolves({ PolicyVersion: { VersionId: "v2", Document: urlEncoded(ADMIN_DOCUMENT) } });
    const refreshed = await iamRole.refresh?.(roleObs("AttachRolePolicy-customer-managed"), clients, context);
    expect(refreshed?.state?.grants).toEqual({
      attached: {
        complete: true,
        policies: [
          {
            arn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
            name: "ReadOnlyAccess",
            source: "ListAttachedRolePolicies",
          },
          {
            arn,
            name: "deploy-all",
            source: "AttachRolePolicy",
            defaultVersion: { versionId: "v2", document: urlEncoded(ADMIN_DOCUMENT) },
          },
        ],
      },
    });
    expect(iam.commandCalls(GetPolicyVersionCommand).map((c) => c.args[0].input)).toEqual([
      { PolicyArn: arn, VersionId: "v2" },
    ]);
  });

  it("refresh after DeleteRolePolicy reads the role's inline policies only (roles have no IAM.2)", async () => {
    iam.on(ListRolePoliciesCommand).resolves({ PolicyNames: [] });
    const refreshed = await iamRole.refresh?.(roleObs("DeleteRolePolicy"), clients, context);
    expect(refreshed?.state?.grants).toEqual({ inline: { complete: true, policies: [] } });
    expect(calls()).toEqual([["ListRolePoliciesCommand", { RoleName: "ci-deploy" }]]);
  });

  it("tags: ListRoleTags; a role gone has none", async () => {
    iam.on(ListRoleTagsCommand).resolves({ Tags: [{ Key: "vigil:exempt", Value: "VIGIL.IAM.RISKY_TRUST" }] });
    const obs = roleObs("PutRolePolicy-admin");
    expect(await iamRole.readTags(obs, clients)).toEqual({ "vigil:exempt": "VIGIL.IAM.RISKY_TRUST" });
    iam.on(ListRoleTagsCommand).rejects(awsError("NoSuchEntityException"));
    expect(await iamRole.readTags(obs, clients)).toEqual({});
  });

  it("Config item: trust (URL-encoded), inline and attached policies, tags; deleted; bad shapes", () => {
    const obs = iamRole.fromConfigItem(configItemOf("config-role-admin-inline"));
    expect(obs).toMatchObject({
      resource: { id: "ci-deploy", arn: "arn:aws:iam::111122223333:role/ci-deploy" },
      state: {
        roleName: "ci-deploy",
        path: "/",
        trust: { source: "Config", document: expect.stringMatching(/^%7B/) },
        grants: {
          inline: { complete: true, policies: [{ name: "deploy-everything" }, { name: "decrypt-exports" }] },
          attached: { complete: true, policies: [{ arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }] },
        },
        tags: { team: "platform" },
      },
      complete: true,
      tagsKnown: true,
    });
    expect(iamRole.fromConfigItem(configItemOf("config-role-deleted"))).toMatchObject({
      resource: { id: "ci-deploy" },
      state: undefined,
      complete: true,
    });
    const noName = configItemOf("config-role-admin-inline", (item) => {
      delete (item.configuration as Record<string, unknown>).roleName;
    });
    expect(() => iamRole.fromConfigItem(noName)).toThrow(/configuration\.roleName/);
    const badList = configItemOf("config-role-admin-inline", (item) => {
      (item.configuration as Record<string, unknown>).rolePolicyList = [{ policyName: "x" }];
    });
    expect(() => iamRole.fromConfigItem(badList)).toThrow(UnusableEventError);
  });
});

describe("IAM group adapter", () => {
  it("PutGroupPolicy / AttachGroupPolicy: groups carry no tags (tagsKnown), nothing to read", async () => {
    const obs = groupObs("PutGroupPolicy-admin");
    expect(obs).toMatchObject({
      resource: {
        type: "AWS::IAM::Group",
        id: "developers",
        arn: "arn:aws:iam::111122223333:group/developers",
      },
      state: { groupName: "developers", grants: { inline: { complete: false } } },
      tagsKnown: true,
    });
    expect(await iamGroup.readTags(obs, clients)).toEqual({});
    expect(groupObs("AttachGroupPolicy-AdministratorAccess").needsRefresh).toBeUndefined();
    expect(iam.calls()).toHaveLength(0);
  });

  it("Config item: groupPolicyList and attachedManagedPolicies", () => {
    expect(iamGroup.fromConfigItem(configItemOf("config-group-admin"))).toMatchObject({
      resource: { id: "developers" },
      state: {
        grants: {
          inline: { complete: true, policies: [{ name: "dev-admin", source: "Config" }] },
          attached: { complete: true, policies: [{ arn: ADMIN_ARN, name: "AdministratorAccess" }] },
        },
      },
      tagsKnown: true,
    });
  });

  it("bad input: an unknown call", () => {
    const other = detailOf(grantEvent("PutGroupPolicy-admin"), (d) => {
      d.eventName = "AddUserToGroup";
    });
    expect(() => iamGroup.fromCloudTrail(other, ACCOUNT)).toThrow("no IAM group reader for AddUserToGroup");
  });
});
