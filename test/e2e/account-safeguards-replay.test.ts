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
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "../support/cli-harness";
import type { ConfigServiceDouble } from "../support/local-aws/config-service";
import { ebsEncryptionByDefault } from "../support/local-aws/ec2-ebs-encryption";

/**
 * `vigil replay --mode auto` in a child process against the local endpoint: the account-level
 * safeguard is turned off through the SDK the way an intruder would, then the matching CloudTrail
 * event is replayed. (S3 account Block Public Access can't be exercised this way: the SDK puts the
 * account id in front of the endpoint's host; see test/account/local-doubles.test.ts.)
 */

const TIMEOUT = 60_000;
/** Vigil's AWS requests, leaving out the findings table (DynamoDB) and the alert topic (SNS). */
const awsRequests = (h: CliHarness, from: number) =>
  h.aws.requests.slice(from).filter((r) => r.service !== "dynamodb" && r.service !== "sns");

describe("account safeguards through the CLI against the local endpoint", () => {
  let h: CliHarness;
  let ec2: EC2Client;
  let config: ConfigServiceClient;

  beforeAll(async () => {
    h = await startCliHarness();
    ec2 = new EC2Client(h.clientConfig);
    config = new ConfigServiceClient(h.clientConfig);
  }, TIMEOUT);
  afterAll(async () => {
    ec2.destroy();
    config.destroy();
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
});
