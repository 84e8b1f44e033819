import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accountClients } from "../../shared/aws/account-clients";
import { regionalClients, sharedRoleCredentials } from "../../shared/aws/clients";
import { parseConfig } from "../../shared/config/load";
import { recordingLogger } from "../support/runtime";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import type { StsDouble } from "../support/local-aws/sts";

/**
 * The local STS double through the real SDK client (query protocol), and the shared role
 * credentials the event path uses against it: one AssumeRole serves every client and Region.
 */

const MEMBER_ROLE = "arn:aws:iam::222233334444:role/vigil-remediation-member";
const EXTERNAL_ID = "vigil-o-a1b2c3d4e5-central";
const HOME_KEY = "test";

async function errorOf(promise: Promise<unknown>): Promise<[string, number | undefined, string]> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return [e.name, e.$metadata?.httpStatusCode, e.message];
  }
  throw new Error("expected a failure");
}

describe("local STS double", () => {
  let aws: LocalAws;
  let sts: StsDouble;
  let client: STSClient;

  beforeAll(async () => {
    aws = await startLocalAws();
    client = new STSClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: HOME_KEY, secretAccessKey: "test" },
    });
  });
  afterAll(async () => {
    client.destroy();
    await aws.close();
  });
  beforeEach(() => {
    sts = aws.double<StsDouble>("sts");
    sts.addCaller(HOME_KEY, "111122223333");
    sts.allowRole(MEMBER_ROLE, { externalId: EXTERNAL_ID });
  });

  const assume = (input: Partial<ConstructorParameters<typeof AssumeRoleCommand>[0]> = {}) =>
    client.send(
      new AssumeRoleCommand({
        RoleArn: MEMBER_ROLE,
        RoleSessionName: "vigil",
        ExternalId: EXTERNAL_ID,
        ...input,
      }),
    );

  it("issues credentials for an allowed role with its ExternalId, and names who they are", async () => {
    const { Credentials, AssumedRoleUser } = await assume({ DurationSeconds: 900 });
    expect(Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(Credentials?.SecretAccessKey).toHaveLength(40);
    expect(Credentials?.SessionToken).toBeTruthy();
    const lifetime = (Credentials?.Expiration?.getTime() ?? 0) - Date.now();
    expect(lifetime).toBeGreaterThan(890_000);
    expect(lifetime).toBeLessThanOrEqual(900_000);
    expect(AssumedRoleUser?.Arn).toBe(
      "arn:aws:sts::222233334444:assumed-role/vigil-remediation-member/vigil",
    );
    expect(sts.sessionOf(Credentials?.AccessKeyId)).toMatchObject({
      roleArn: MEMBER_ROLE,
      externalId: EXTERNAL_ID,
      callerAccessKeyId: HOME_KEY,
    });

    const asMember = new STSClient({
      endpoint: aws.endpoint,
      region: "eu-west-1",
      credentials: {
        accessKeyId: Credentials?.AccessKeyId ?? "",
        secretAccessKey: Credentials?.SecretAccessKey ?? "",
        sessionToken: Credentials?.SessionToken ?? "",
      },
    });
    const who = await asMember.send(new GetCallerIdentityCommand({}));
    asMember.destroy();
    expect(who).toMatchObject({ Account: "222233334444", Arn: AssumedRoleUser?.Arn });
    expect(await client.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: "111122223333" });

    // The endpoint records who signed each request, and for which Region.
    const calls = aws.calls("sts", "GetCallerIdentity").slice(-2);
    expect(calls.map((r) => aws.signatureOf(r))).toEqual([
      { accessKeyId: Credentials?.AccessKeyId, region: "eu-west-1" },
      { accessKeyId: HOME_KEY, region: "us-east-1" },
    ]);
  });

  it("denies a wrong or missing ExternalId and a role it was not told about, as AWS does (403 AccessDenied)", async () => {
    const denied = (role: string) =>
      `User: arn:aws:iam::111122223333:user/local is not authorized to perform: sts:AssumeRole on resource: ${role}`;
    expect(await errorOf(assume({ ExternalId: "someone-elses" }))).toEqual([
      "AccessDenied",
      403,
      denied(MEMBER_ROLE),
    ]);
    expect(await errorOf(assume({ ExternalId: undefined }))).toEqual([
      "AccessDenied",
      403,
      denied(MEMBER_ROLE),
    ]);
    const stranger = "arn:aws:iam::444455556666:role/vigil-remediation-member";
    expect(await errorOf(assume({ RoleArn: stranger }))).toEqual(["AccessDenied", 403, denied(stranger)]);
    expect(aws.calls("sts", "AssumeRole").at(-1)?.params).toEqual({
      RoleArn: stranger,
      RoleSessionName: "vigil",
      ExternalId: EXTERNAL_ID,
    });
  });

  it("knows no key it was not told about (403 InvalidClientTokenId), as AWS for a made-up key", async () => {
    const stranger = new STSClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "AKIAMADEUP", secretAccessKey: "x" },
    });
    const invalid = ["InvalidClientTokenId", 403, "The security token included in the request is invalid."];
    expect(await errorOf(stranger.send(new GetCallerIdentityCommand({})))).toEqual(invalid);
    expect(
      await errorOf(
        stranger.send(
          new AssumeRoleCommand({ RoleArn: MEMBER_ROLE, RoleSessionName: "x1", ExternalId: EXTERNAL_ID }),
        ),
      ),
    ).toEqual(invalid);
    stranger.destroy();
  });

  it("rejects a malformed role ARN or ExternalId (400 ValidationError)", async () => {
    expect(await errorOf(assume({ RoleArn: "arn:aws:iam::2222:role/x" }))).toEqual([
      "ValidationError",
      400,
      "arn:aws:iam::2222:role/x is invalid",
    ]);
    expect((await errorOf(assume({ ExternalId: "a b" })))[0]).toBe("ValidationError");
    expect((await errorOf(assume({ DurationSeconds: 60 })))[0]).toBe("ValidationError");
  });
});

describe("sharedRoleCredentials against the local STS", () => {
  let aws: LocalAws;
  let sts: StsDouble;
  const saved = { ...process.env };

  beforeEach(async () => {
    aws = await startLocalAws();
    sts = aws.double<StsDouble>("sts");
    sts.addCaller(HOME_KEY, "111122223333");
    // fromTemporaryCredentials signs AssumeRole with the SDK's default chain, as in Lambda.
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: HOME_KEY,
      AWS_SECRET_ACCESS_KEY: "test",
    });
  });
  afterEach(async () => {
    for (const key of ["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    await aws.close();
  });

  it("one AssumeRole, with the ExternalId, serves clients in several Regions", async () => {
    sts.allowRole(MEMBER_ROLE, { externalId: EXTERNAL_ID });
    const credentials = sharedRoleCredentials({ roleArn: MEMBER_ROLE, externalId: EXTERNAL_ID });
    await credentials();
    for (const region of ["eu-west-1", "us-east-1"]) {
      const ec2 = await regionalClients(region, credentials).ec2();
      await ec2.send(new DescribeSecurityGroupsCommand({}));
      ec2.destroy();
    }
    expect(aws.calls("sts", "AssumeRole").map((r) => r.params)).toEqual([
      {
        RoleArn: MEMBER_ROLE,
        RoleSessionName: "vigil-remediation",
        ExternalId: EXTERNAL_ID,
        DurationSeconds: "900",
      },
    ]);
    const key = sts.issued[0]?.accessKeyId;
    expect(aws.calls("ec2", "DescribeSecurityGroups").map((r) => aws.signatureOf(r))).toEqual([
      { accessKeyId: key, region: "eu-west-1" },
      { accessKeyId: key, region: "us-east-1" },
    ]);
  });

  it("a denied AssumeRole is not kept: once the role trusts Vigil, the next call gets credentials", async () => {
    const credentials = sharedRoleCredentials({ roleArn: MEMBER_ROLE, externalId: EXTERNAL_ID });
    expect((await errorOf(credentials()))[0]).toBe("AccessDenied");
    sts.allowRole(MEMBER_ROLE, { externalId: EXTERNAL_ID });
    expect((await credentials()).accessKeyId).toBe(sts.issued[0]?.accessKeyId);
    expect(aws.calls("sts", "AssumeRole")).toHaveLength(2);
  });

  it("without VIGIL_HOME_ACCOUNT in organisation mode, GetCallerIdentity names the home account, once", async () => {
    sts.allowRole(MEMBER_ROLE, { externalId: EXTERNAL_ID });
    const { organization } = parseConfig({
      organization: {
        enabled: true,
        organizationId: "o-a1b2c3d4e5",
        organizationalUnits: ["ou-ab12-cdef3456"],
        externalId: EXTERNAL_ID,
      },
    });
    const picker = accountClients({
      home: regionalClients("us-east-1"),
      homeAccount: undefined,
      homeRegion: "us-east-1",
      organization,
      forwardingRegions: [],
      remediationRole: undefined,
      logger: recordingLogger(),
    });
    expect(await picker.clientsFor("111122223333", "us-east-1")).toBeUndefined();
    const member = await picker.clientsFor("222233334444", "us-east-1");
    expect(member?.reads).toBeDefined();
    expect(aws.requests.filter((r) => r.service === "sts").map((r) => [r.action, r.params.RoleArn])).toEqual([
      ["GetCallerIdentity", undefined],
      ["AssumeRole", MEMBER_ROLE],
    ]);
  });
});
