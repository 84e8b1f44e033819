import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
  StopConfigurationRecorderCommand,
} from "@aws-sdk/client-config-service";
import {
  DisableEbsEncryptionByDefaultCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
} from "@aws-sdk/client-ec2";
import { PutPublicAccessBlockCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { Agent } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "../support/cli-harness";
import type { ConfigServiceDouble } from "../support/local-aws/config-service";
import { ebsEncryptionByDefault } from "../support/local-aws/ec2-ebs-encryption";
import type { AccountFlags } from "../support/local-aws/s3-control";
import type { S3Double } from "../support/local-aws/s3";
import { localhostLookup } from "../support/local-dns";

/**
 * `vigil replay` in a child process against the local endpoint: the account-level safeguard is
 * turned off through the SDK the way an intruder would, then the matching CloudTrail event is
 * replayed. S3 Control puts the account id in front of the endpoint's host, so the harness gives
 * it a name (`AWS_ENDPOINT_URL_S3_CONTROL=http://s3-control.localhost:<port>`) that the CLI child
 * resolves to 127.0.0.1 (startCliHarness's `s3Control` option); Vigil builds its client as in production.
 */

const TIMEOUT = 60_000;
/** Vigil's AWS requests, leaving out the findings table (DynamoDB) and the alert topic (SNS). */
const awsRequests = (h: CliHarness, from: number) =>
  h.aws.requests.slice(from).filter((r) => r.service !== "dynamodb" && r.service !== "sns");

const flags = (acls: boolean, ignore: boolean, policy: boolean, restrict: boolean): AccountFlags => ({
  BlockPublicAcls: acls,
  IgnorePublicAcls: ignore,
  BlockPublicPolicy: policy,
  RestrictPublicBuckets: restrict,
});
const ALL_ON = flags(true, true, true, true);
/** How the request log shows a Put's settings. */
const logged = (f: AccountFlags) => Object.fromEntries(Object.entries(f).map(([k, v]) => [k, String(v)]));

interface AccountEvent {
  account: string;
  detail: {
    eventTime: string;
    recipientAccountId: string;
    userIdentity: { accountId: string; arn: string };
    requestParameters: { host: string[] };
    tlsDetails: { clientProvidedHostHeader: string };
  };
}

describe("account safeguards through the CLI against the local endpoint", () => {
  let h: CliHarness;
  let ec2: EC2Client;
  let config: ConfigServiceClient;
  let s3Control: S3ControlClient;
  let agent: Agent;

  beforeAll(async () => {
    h = await startCliHarness({ s3Control: true });
    ec2 = new EC2Client(h.clientConfig);
    config = new ConfigServiceClient(h.clientConfig);
    // The user's and the intruder's own calls, by the same name Vigil's CLI uses.
    agent = new Agent({ lookup: localhostLookup });
    s3Control = new S3ControlClient({
      ...h.clientConfig,
      endpoint: h.s3ControlEndpoint,
      requestHandler: { httpAgent: agent },
    });
  }, TIMEOUT);
  afterAll(async () => {
    ec2.destroy();
    config.destroy();
    s3Control.destroy();
    agent.destroy();
    await h.close();
  });

  it(
    "DisableEbsEncryptionByDefault: EBS encryption by default is on again, with exactly one request",
    async () => {
      await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
      await ec2.send(new DisableEbsEncryptionByDefaultCommand({}));
      expect(ebsEncryptionByDefault(h.aws.ec2State)).toBe(false);

      const file = await h.writeEvent("ebs-default-encryption/DisableEbsEncryptionByDefault.json");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(ebsEncryptionByDefault(h.aws.ec2State)).toBe(true);
      // Nothing read first (the event's answer is the whole truth), nothing but the one write.
      expect(awsRequests(h, before).map((r) => [r.service, r.action, r.params])).toEqual([
        [
          "ec2",
          "EnableEbsEncryptionByDefault",
          { Action: "EnableEbsEncryptionByDefault", Version: "2016-11-15" },
        ],
      ]);
      const finding = (await h.findings()).find((f) => f.checkId === "EC2.7");
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        severity: "MEDIUM",
        resourceId: "111122223333:us-east-1",
        actor: {
          arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PlatformAdmin_5c2e9a7b1d3f4e60/dana.lee@example.com",
        },
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect(h.alerts().some((m) => m.Message.includes("EC2.7"))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "StopConfigurationRecorder: the recorder is recording again, its tags read first, the start confirmed",
    async () => {
      const double = h.aws.double<ConfigServiceDouble>("config");
      await config.send(
        new PutConfigurationRecorderCommand({
          ConfigurationRecorder: {
            name: "default",
            roleARN:
              "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig",
          },
        }),
      );
      await config.send(
        new PutDeliveryChannelCommand({
          DeliveryChannel: { name: "default", s3BucketName: "config-bucket-111122223333" },
        }),
      );
      await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
      await config.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
      const arn = double.recorder()?.arn ?? "";
      expect(double.recorder()?.recording).toBe(false);

      const file = await h.writeEvent("config/StopConfigurationRecorder.json");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(double.recorder()?.recording).toBe(true);
      expect(awsRequests(h, before).map((r) => [r.service, r.action, r.params])).toEqual([
        ["config", "DescribeConfigurationRecorders", { ConfigurationRecorderNames: "default" }],
        ["config", "ListTagsForResource", { ResourceArn: arn }],
        ["config", "StartConfigurationRecorder", { ConfigurationRecorderName: "default" }],
        ["config", "DescribeConfigurationRecorderStatus", { ConfigurationRecorderNames: "default" }],
      ]);
      const finding = (await h.findings()).find((f) => f.checkId === "VIGIL.CONFIG.RECORDER_STOPPED");
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        severity: "CRITICAL",
        resourceId: "default",
        actor: { arn: "arn:aws:sts::111122223333:assumed-role/build-runner-role/i-0a1b2c3d4e5f60718" },
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect(h.alerts().some((m) => m.Message.includes("VIGIL.CONFIG.RECORDER_STOPPED"))).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "DeleteConfigurationRecorder: alert only, no request to AWS Config at all",
    async () => {
      const file = await h.writeEvent("config/DeleteConfigurationRecorder.json");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);
      expect(awsRequests(h, before)).toEqual([]);
      const finding = (await h.findings()).find((f) => f.checkId === "VIGIL.CONFIG.RECORDER_DELETED");
      expect(finding).toMatchObject({ status: "OPEN", severity: "CRITICAL", remediation: null });
    },
    TIMEOUT,
  );
  describe("S3.1: account-level S3 Block Public Access (S3 Control)", () => {
    const control = () => h.aws.double<S3Double>("s3").control;
    /** The Host the S3 Control client addresses for an account: the account id in front of the endpoint's. */
    const hostFor = (account: string) => `${account}.${new URL(h.s3ControlEndpoint ?? "").host}`;
    const put = (account: string, f: AccountFlags) =>
      s3Control.send(
        new PutPublicAccessBlockCommand({ AccountId: account, PublicAccessBlockConfiguration: f }),
      );

    /** What AWS Config recorded an hour ago: the configuration before the change. */
    function seedHistory(account: string, f: AccountFlags): void {
      h.aws.double<ConfigServiceDouble>("config").seedHistory({
        resourceType: "AWS::S3::AccountPublicAccessBlock",
        resourceId: account,
        configurationItemCaptureTime: Math.floor(Date.now() / 1000) - 3600,
        configurationItemStatus: "OK",
        configuration: JSON.stringify({
          blockPublicAcls: f.BlockPublicAcls,
          ignorePublicAcls: f.IgnorePublicAcls,
          blockPublicPolicy: f.BlockPublicPolicy,
          restrictPublicBuckets: f.RestrictPublicBuckets,
        }),
        awsRegion: "us-east-1",
        accountId: account,
      });
    }

    /** The sample event for `account` (a fresh one per test, so findings don't meet); its time for Config's `laterTime`. */
    async function eventFor(sample: string, account: string): Promise<{ file: string; laterTime: string }> {
      let eventTime = "";
      const file = await h.writeEvent<AccountEvent>(`s3-account/${sample}.json`, (event) => {
        const host = `${account}.s3-control.us-east-1.amazonaws.com`;
        event.account = account;
        event.detail.recipientAccountId = account;
        event.detail.userIdentity.accountId = account;
        event.detail.userIdentity.arn = `arn:aws:iam::${account}:user/deploy-ci`;
        event.detail.requestParameters.host = [host];
        event.detail.tlsDetails.clientProvidedHostHeader = host;
        eventTime = event.detail.eventTime;
      });
      return { file, laterTime: String(Date.parse(eventTime) / 1000) };
    }

    const s3_1 = async (account: string) =>
      (await h.findings()).find((f) => f.checkId === "S3.1" && f.resourceId === account);

    it(
      "policy flags turned off, --mode auto: the flags Config recorded as on come back with one Put; undo puts back the user's",
      async () => {
        const account = "111122223333";
        const theirs = flags(true, true, false, false);
        seedHistory(account, ALL_ON);
        await put(account, ALL_ON);
        await put(account, theirs);
        const { file, laterTime } = await eventFor("PutAccountPublicAccessBlock-policy-flags-off", account);

        const before = h.aws.requests.length;
        const result = await h.vigil(["replay", file, "--mode", "auto"]);
        expect(result.code, result.stderr).toBe(0);

        expect(control().configuration(account)).toEqual(ALL_ON);
        const host = hostFor(account);
        expect(awsRequests(h, before).map((r) => [r.service, r.action, r.params])).toEqual([
          [
            "config",
            "GetResourceConfigHistory",
            { resourceType: "AWS::S3::AccountPublicAccessBlock", resourceId: account, laterTime, limit: "1" },
          ],
          ["s3", "GetPublicAccessBlock", { AccountId: account, Host: host }],
          ["s3", "PutPublicAccessBlock", { AccountId: account, Host: host, ...logged(ALL_ON) }],
        ]);
        const finding = await s3_1(account);
        expect(finding).toMatchObject({
          status: "REMEDIATED",
          severity: "MEDIUM",
          actor: { arn: `arn:aws:iam::${account}:user/deploy-ci` },
          remediation: {
            mode: "auto",
            result: "succeeded",
            action: expect.stringMatching(
              new RegExp(`^account ${account}: turned back on BlockPublicPolicy, RestrictPublicBuckets \\(`),
            ),
            undo: { params: { accountId: account, before: theirs, after: ALL_ON } },
          },
        });
        expect(h.alerts().some((m) => m.Message.includes("S3.1") && m.Message.includes(account))).toBe(true);

        const beforeUndo = h.aws.requests.length;
        const undo = await h.vigil(["undo", finding?.id ?? ""]);
        expect(undo.code, undo.stderr).toBe(0);
        expect(undo.stdout).toContain(
          `account ${account}: S3 Block Public Access put back to BlockPublicAcls=true IgnorePublicAcls=true BlockPublicPolicy=false RestrictPublicBuckets=false`,
        );
        expect(control().configuration(account)).toEqual(theirs);
        // Read first (it refuses if the account changed since), then exactly what the user had set.
        expect(awsRequests(h, beforeUndo).map((r) => [r.service, r.action, r.params])).toEqual([
          ["s3", "GetPublicAccessBlock", { AccountId: account, Host: host }],
          ["s3", "PutPublicAccessBlock", { AccountId: account, Host: host, ...logged(theirs) }],
        ]);
        // An account setting carries no exemption tag: the finding is open again.
        expect(await s3_1(account)).toMatchObject({ status: "OPEN", remediation: { result: "undone" } });
      },
      TIMEOUT,
    );

    it(
      "all four turned off, --mode auto: only the two Config recorded as on come back; the finding stays open",
      async () => {
        const account = "444455556666";
        const recorded = flags(true, true, false, false);
        seedHistory(account, recorded);
        await put(account, recorded);
        await put(account, flags(false, false, false, false));
        const { file } = await eventFor("PutAccountPublicAccessBlock-all-false", account);

        const before = h.aws.requests.length;
        const result = await h.vigil(["replay", file, "--mode", "auto"]);
        expect(result.code, result.stderr).toBe(0);

        expect(control().configuration(account)).toEqual(recorded);
        expect(h.aws.requests.slice(before).filter((r) => r.action === "PutPublicAccessBlock")).toEqual([
          {
            service: "s3",
            action: "PutPublicAccessBlock",
            params: { AccountId: account, Host: hostFor(account), ...logged(recorded) },
          },
        ]);
        expect(await s3_1(account)).toMatchObject({
          status: "OPEN",
          remediation: {
            mode: "auto",
            result: "failed",
            action: expect.stringContaining(
              "turned back on BlockPublicAcls, IgnorePublicAcls; BlockPublicPolicy, RestrictPublicBuckets stay off",
            ),
          },
        });
      },
      TIMEOUT,
    );

    it(
      "default mode is S3.1's own (auto): the same restore without --mode",
      async () => {
        const account = "777788889999";
        seedHistory(account, ALL_ON);
        await put(account, flags(false, false, false, false));
        const { file } = await eventFor("PutAccountPublicAccessBlock-all-false", account);

        const result = await h.vigil(["replay", file]);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain("remediation per check");
        expect(control().configuration(account)).toEqual(ALL_ON);
        expect(await s3_1(account)).toMatchObject({
          status: "REMEDIATED",
          remediation: { mode: "auto", result: "succeeded" },
        });
      },
      TIMEOUT,
    );

    it(
      "--mode dry-run: planned, not a single request to S3 Control or AWS Config",
      async () => {
        const account = "222233334444";
        const off = flags(false, false, false, false);
        seedHistory(account, ALL_ON);
        await put(account, off);
        const { file } = await eventFor("PutAccountPublicAccessBlock-all-false", account);

        const before = h.aws.requests.length;
        const result = await h.vigil(["replay", file, "--mode", "dry-run"]);
        expect(result.code, result.stderr).toBe(0);
        expect(awsRequests(h, before)).toEqual([]);
        expect(control().configuration(account)).toEqual(off);
        expect(await s3_1(account)).toMatchObject({
          status: "OPEN",
          remediation: {
            mode: "dry-run",
            result: "planned",
            action: expect.stringContaining(`PutPublicAccessBlock for account ${account}`),
          },
        });
      },
      TIMEOUT,
    );
  });
});
