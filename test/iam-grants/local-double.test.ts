import {
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteUserPolicyCommand,
  DetachGroupPolicyCommand,
  GetRoleCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListAttachedGroupPoliciesCommand,
  ListRoleTagsCommand,
  ListUserPoliciesCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { refreshGrants } from "../../shared/resources/iam-identity/refresh";
import type { IamDouble } from "../support/local-aws/iam";
import type { IamGrantsDouble } from "../support/local-aws/iam-grants";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import { ADMIN_ARN, ADMIN_DOCUMENT } from "./support";

/** The identities double over the SDK's real wire protocol (query + XML), and Vigil's live reads against it. */
describe("local IAM identities double", () => {
  let aws: LocalAws;
  let iam: IAMClient;
  let double: IamGrantsDouble;
  const trust = JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
  });
  beforeAll(async () => {
    aws = await startLocalAws();
    iam = new IAMClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
    });
    double = aws.double<IamGrantsDouble>("iam");
  });
  afterAll(async () => {
    iam.destroy();
    await aws.close();
  });

  it("inline policies: stored as sent, returned URL-encoded, IAM's errors for what is missing or malformed", async () => {
    await iam.send(new CreateUserCommand({ UserName: "svc-reporting" }));
    const text = JSON.stringify(ADMIN_DOCUMENT, null, 2);
    await iam.send(
      new PutUserPolicyCommand({
        UserName: "svc-reporting",
        PolicyName: "break-glass",
        PolicyDocument: text,
      }),
    );
    const got = await iam.send(
      new GetUserPolicyCommand({ UserName: "svc-reporting", PolicyName: "break-glass" }),
    );
    expect(got.PolicyDocument).toMatch(/^%7B%0A/);
    expect(decodeURIComponent(got.PolicyDocument ?? "")).toBe(text);
    expect((await iam.send(new ListUserPoliciesCommand({ UserName: "svc-reporting" }))).PolicyNames).toEqual([
      "break-glass",
    ]);
    await expect(
      iam.send(
        new PutUserPolicyCommand({ UserName: "svc-reporting", PolicyName: "bad", PolicyDocument: "{nope" }),
      ),
    ).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });
    await expect(
      iam.send(new GetUserPolicyCommand({ UserName: "nobody", PolicyName: "x" })),
    ).rejects.toMatchObject({ name: "NoSuchEntityException" });
    await iam.send(new DeleteUserPolicyCommand({ UserName: "svc-reporting", PolicyName: "break-glass" }));
    await expect(
      iam.send(new DeleteUserPolicyCommand({ UserName: "svc-reporting", PolicyName: "break-glass" })),
    ).rejects.toMatchObject({ name: "NoSuchEntityException" });
  });

  it("users created here are the users double's too (access keys, credential report)", async () => {
    expect(aws.double<IamDouble>("iam").users.has("svc-reporting")).toBe(true);
    expect(
      (await iam.send(new ListAccessKeysCommand({ UserName: "svc-reporting" }))).AccessKeyMetadata,
    ).toEqual([]);
  });

  it("roles: trust policy (URL-encoded in answers), tags; groups: attach and detach", async () => {
    const created = await iam.send(
      new CreateRoleCommand({
        RoleName: "app",
        AssumeRolePolicyDocument: trust,
        Tags: [{ Key: "team", Value: "web" }],
      }),
    );
    expect(created.Role?.Arn).toBe("arn:aws:iam::111122223333:role/app");
    expect(decodeURIComponent(created.Role?.AssumeRolePolicyDocument ?? "")).toBe(trust);
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: "app", PolicyDocument: trust.replace("ec2", "lambda") }),
    );
    expect(
      decodeURIComponent(
        (await iam.send(new GetRoleCommand({ RoleName: "app" }))).Role?.AssumeRolePolicyDocument ?? "",
      ),
    ).toContain("lambda.amazonaws.com");
    await iam.send(
      new TagRoleCommand({
        RoleName: "app",
        Tags: [{ Key: "vigil:exempt", Value: "VIGIL.IAM.RISKY_TRUST" }],
      }),
    );
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: "app" }))).Tags).toEqual([
      { Key: "team", Value: "web" },
      { Key: "vigil:exempt", Value: "VIGIL.IAM.RISKY_TRUST" },
    ]);

    await iam.send(new CreateGroupCommand({ GroupName: "developers" }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: "developers", PolicyArn: ADMIN_ARN }));
    expect(
      (await iam.send(new ListAttachedGroupPoliciesCommand({ GroupName: "developers" }))).AttachedPolicies,
    ).toEqual([{ PolicyName: "AdministratorAccess", PolicyArn: ADMIN_ARN }]);
    await iam.send(new DetachGroupPolicyCommand({ GroupName: "developers", PolicyArn: ADMIN_ARN }));
    await expect(
      iam.send(new DetachGroupPolicyCommand({ GroupName: "developers", PolicyArn: ADMIN_ARN })),
    ).rejects.toMatchObject({ name: "NoSuchEntityException" });
    expect(double.identity("group", "developers")?.attached.size).toBe(0);
  });

  it("Vigil's refresh reads a user's policies through the real protocol; an identity that is gone reads as undefined", async () => {
    await iam.send(
      new PutUserPolicyCommand({ UserName: "svc-reporting", PolicyName: "kept", PolicyDocument: trust }),
    );
    const grants = await refreshGrants(
      "user",
      "svc-reporting",
      { inline: { complete: false, policies: [], removed: ["gone"] } },
      iam,
      { adminPatterns: [], namesOfOtherPart: true },
    );
    expect(grants).toEqual({
      inline: {
        complete: true,
        policies: [{ name: "kept", document: encodeURIComponent(trust), source: "GetUserPolicy" }],
      },
      attached: { complete: true, policies: [] },
    });
    expect(
      await refreshGrants("role", "nobody", { inline: { complete: false, policies: [] } }, iam, {
        adminPatterns: [],
        namesOfOtherPart: false,
      }),
    ).toBeUndefined();
  });
});
