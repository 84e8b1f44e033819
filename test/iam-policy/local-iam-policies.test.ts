import {
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  DeletePolicyVersionCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  IAMClient,
  ListMFADevicesCommand,
  ListPolicyTagsCommand,
  ListPolicyVersionsCommand,
  SetDefaultPolicyVersionCommand,
  TagPolicyCommand,
} from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePolicyDocument } from "../../shared/policy";
import { IamPoliciesDouble } from "../support/local-aws/iam-policies";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import { ADMIN_STATEMENT, READ_STATEMENT, docText } from "./support";

/** The policies double over the SDK's real wire protocol (query + XML), beside the users double. */
describe("local IAM policies double", () => {
  let aws: LocalAws;
  let iam: IAMClient;
  let double: IamPoliciesDouble;
  beforeAll(async () => {
    aws = await startLocalAws();
    iam = new IAMClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
      // The SDK retries LimitExceeded as throttling; one attempt keeps the limit test quick.
      maxAttempts: 1,
    });
    const found = aws.doublesOf("iam").find((d) => d instanceof IamPoliciesDouble);
    if (!found) throw new Error("the policies double is not registered");
    double = found as IamPoliciesDouble;
  });
  afterAll(async () => {
    iam.destroy();
    await aws.close();
  });

  it("versions: create, default, URL-encoded documents, list newest first, IAM's limits and errors", async () => {
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: "wire-test",
        Path: "/team/",
        PolicyDocument: docText(READ_STATEMENT),
      }),
    );
    const arn = created.Policy?.Arn ?? "";
    expect(created.Policy).toMatchObject({
      Arn: "arn:aws:iam::111122223333:policy/team/wire-test",
      DefaultVersionId: "v1",
      AttachmentCount: 0,
      PermissionsBoundaryUsageCount: 0,
      PolicyId: expect.stringMatching(/^ANPA[A-Z2-7]{17}$/),
    });
    const v2 = await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: docText(ADMIN_STATEMENT),
        SetAsDefault: true,
      }),
    );
    expect(v2.PolicyVersion).toMatchObject({ VersionId: "v2", IsDefaultVersion: true });
    expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe("v2");

    const got = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }));
    expect(got.PolicyVersion?.Document).toMatch(/^%7B%0A/);
    expect(got.PolicyVersion?.Document).toContain("%2A");
    const parsed = parsePolicyDocument(got.PolicyVersion?.Document);
    expect(parsed.ok && parsed.encoding).toBe("url-encoded-json");

    const listed = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(listed.Versions?.map((v) => [v.VersionId, v.IsDefaultVersion, v.Document])).toEqual([
      ["v2", true, undefined],
      ["v1", false, undefined],
    ]);

    await expect(
      iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" })),
    ).rejects.toMatchObject({
      name: "DeleteConflictException",
    });
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v1" }));
    await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" }));
    // Ids are not reused after a deletion.
    const next = await iam.send(
      new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: docText(READ_STATEMENT) }),
    );
    expect(next.PolicyVersion).toMatchObject({ VersionId: "v3", IsDefaultVersion: false });
    for (let i = 0; i < 3; i++)
      await iam.send(
        new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: docText(READ_STATEMENT) }),
      );
    await expect(
      iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: docText(READ_STATEMENT) })),
    ).rejects.toMatchObject({ name: "LimitExceededException" });
    await expect(
      iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: "v2" })),
    ).rejects.toMatchObject({ name: "NoSuchEntityException" });
    await expect(iam.send(new GetPolicyCommand({ PolicyArn: `${arn}-missing` }))).rejects.toMatchObject({
      name: "NoSuchEntityException",
    });
    await expect(
      iam.send(new CreatePolicyCommand({ PolicyName: "bad", PolicyDocument: "{not json" })),
    ).rejects.toMatchObject({ name: "MalformedPolicyDocumentException" });
    expect(double.policy(arn)?.versions.map((v) => v.versionId)).toEqual(["v1", "v3", "v4", "v5", "v6"]);
  });

  it("tags: TagPolicy adds or overwrites, ListPolicyTags lists", async () => {
    const created = await iam.send(
      new CreatePolicyCommand({
        PolicyName: "tagged",
        PolicyDocument: docText(READ_STATEMENT),
        Tags: [{ Key: "team", Value: "reporting" }],
      }),
    );
    const arn = created.Policy?.Arn ?? "";
    await iam.send(new TagPolicyCommand({ PolicyArn: arn, Tags: [{ Key: "vigil:exempt", Value: "IAM.1" }] }));
    expect((await iam.send(new ListPolicyTagsCommand({ PolicyArn: arn }))).Tags).toEqual([
      { Key: "team", Value: "reporting" },
      { Key: "vigil:exempt", Value: "IAM.1" },
    ]);
  });

  it("only policy actions reach this double: the users double still serves the rest of IAM", async () => {
    await expect(iam.send(new ListMFADevicesCommand({ UserName: "nobody" }))).rejects.toMatchObject({
      name: "NoSuchEntityException",
      message: "The user with name nobody cannot be found.",
    });
    expect(aws.calls("iam", "ListPolicyTags").length).toBeGreaterThan(0);
  });
});
