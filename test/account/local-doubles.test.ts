import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { Agent, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ConfigServiceClient,
  DeleteDeliveryChannelCommand,
  DescribeConfigurationRecordersCommand,
  DescribeConfigurationRecorderStatusCommand,
  GetResourceConfigHistoryCommand,
  ListTagsForResourceCommand,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
  StopConfigurationRecorderCommand,
  TagResourceCommand,
} from "@aws-sdk/client-config-service";
import {
  DisableEbsEncryptionByDefaultCommand,
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsEncryptionByDefaultCommand,
} from "@aws-sdk/client-ec2";
import {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConfigServiceDouble } from "../support/local-aws/config-service";
import { ebsEncryptionByDefault } from "../support/local-aws/ec2-ebs-encryption";
import { S3ControlDouble } from "../support/local-aws/s3-control";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import { localhostLookup } from "../support/local-dns";
import { ACCOUNT } from "./support";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected an error");
    },
    (error: Error) => error,
  );

describe("local-aws doubles for the account safeguards, through the real SDK clients", () => {
  let aws: LocalAws;
  let ec2: EC2Client;
  let config: ConfigServiceClient;
  beforeAll(async () => {
    aws = await startLocalAws();
    const settings = { endpoint: aws.endpoint, region: "us-east-1", credentials, maxAttempts: 1 };
    ec2 = new EC2Client(settings);
    config = new ConfigServiceClient(settings);
  });
  afterAll(async () => {
    ec2.destroy();
    config.destroy();
    await aws.close();
  });

  it("EC2: EBS encryption by default is off at first; Disable/Enable answer the setting they leave", async () => {
    expect((await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    expect((await ec2.send(new EnableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    expect(ebsEncryptionByDefault(aws.ec2State)).toBe(true);
    expect((await ec2.send(new DisableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    expect(await ec2.send(new GetEbsEncryptionByDefaultCommand({}))).toMatchObject({
      EbsEncryptionByDefault: false,
      SseType: "sse-ebs",
    });
    expect(aws.calls("ec2", "EnableEbsEncryptionByDefault")).toHaveLength(1);
  });

  it("Config: recorder and channel with Config's rules and errors; tags on the recorder's ARN", async () => {
    const double = aws.double<ConfigServiceDouble>("config");
    const noRecorder = await errorOf(
      config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: "default" })),
    );
    expect(noRecorder.name).toBe("NoSuchConfigurationRecorderException");
    await config.send(
      new PutConfigurationRecorderCommand({
        ConfigurationRecorder: { name: "default", roleARN: `arn:aws:iam::${ACCOUNT}:role/config-role` },
      }),
    );
    const noChannel = await errorOf(
      config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: "default" })),
    );
    expect(noChannel.name).toBe("NoAvailableDeliveryChannelException");
    await config.send(
      new PutDeliveryChannelCommand({ DeliveryChannel: { name: "default", s3BucketName: "config-bucket" } }),
    );
    await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
    const running = await errorOf(
      config.send(new DeleteDeliveryChannelCommand({ DeliveryChannelName: "default" })),
    );
    expect(running.name).toBe("LastDeliveryChannelDeleteFailedException");

    const [recorder] =
      (
        await config.send(
          new DescribeConfigurationRecordersCommand({ ConfigurationRecorderNames: ["default"] }),
        )
      ).ConfigurationRecorders ?? [];
    expect(recorder?.arn).toMatch(
      /^arn:aws:config:us-east-1:111122223333:configuration-recorder\/default\/[0-9a-f]+$/,
    );
    await config.send(
      new TagResourceCommand({ ResourceArn: recorder?.arn, Tags: [{ Key: "team", Value: "sec" }] }),
    );
    expect((await config.send(new ListTagsForResourceCommand({ ResourceArn: recorder?.arn }))).Tags).toEqual([
      { Key: "team", Value: "sec" },
    ]);

    await config.send(new StopConfigurationRecorderCommand({ ConfigurationRecorderName: "default" }));
    const status = await config.send(
      new DescribeConfigurationRecorderStatusCommand({ ConfigurationRecorderNames: ["default"] }),
    );
    expect(status.ConfigurationRecordersStatus?.[0]).toMatchObject({ name: "default", recording: false });
    expect(status.ConfigurationRecordersStatus?.[0]?.lastStopTime).toBeInstanceOf(Date);
    expect(double.recorder()?.recording).toBe(false);
    const unknown = await errorOf(
      config.send(new DescribeConfigurationRecordersCommand({ ConfigurationRecorderNames: ["other"] })),
    );
    expect(unknown.name).toBe("NoSuchConfigurationRecorderException");
  });

  it("Config: GetResourceConfigHistory is empty unless seeded; seeded items newest first, up to laterTime", async () => {
    const double = aws.double<ConfigServiceDouble>("config");
    const ask = (laterTime?: Date) =>
      config.send(
        new GetResourceConfigHistoryCommand({
          resourceType: "AWS::S3::AccountPublicAccessBlock",
          resourceId: ACCOUNT,
          ...(laterTime ? { laterTime } : {}),
          limit: 1,
        }),
      );
    expect((await ask()).configurationItems).toEqual([]);
    for (const [at, on] of [
      ["2025-03-01T00:00:00Z", true],
      ["2025-03-20T00:00:00Z", false],
    ] as const) {
      double.seedHistory({
        resourceType: "AWS::S3::AccountPublicAccessBlock",
        resourceId: ACCOUNT,
        configurationItemCaptureTime: Date.parse(at) / 1000,
        configurationItemStatus: "OK",
        configuration: JSON.stringify({ blockPublicAcls: on }),
      });
    }
    const [item] = (await ask(new Date("2025-03-17T10:14:22Z"))).configurationItems ?? [];
    expect(item?.configurationItemCaptureTime?.toISOString()).toBe("2025-03-01T00:00:00.000Z");
    expect(JSON.parse(item?.configuration ?? "")).toEqual({ blockPublicAcls: true });
  });
});

describe("S3 Control double (account Block Public Access)", () => {
  const double = new S3ControlDouble();
  let server: Server;
  let client: S3ControlClient;
  let agent: Agent;
  /** The request log entries the double gave, newest last. */
  const logged: Record<string, string>[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const answer = double.handle({
          method: req.method ?? "GET",
          url: req.url ?? "/",
          headers: req.headers,
          body: Buffer.concat(chunks),
          target: "",
          region: "us-east-1",
          requestId: randomUUID(),
        });
        logged.push(answer.params ?? {});
        res.writeHead(answer.status, answer.headers).end(answer.body);
      });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    // The SDK puts the account id in front of the endpoint's host: the endpoint has a name under
    // localhost. for it, which this client's agent resolves to 127.0.0.1 (as the CLI harness's child does).
    agent = new Agent({ lookup: localhostLookup });
    client = new S3ControlClient({
      region: "us-east-1",
      credentials,
      maxAttempts: 1,
      endpoint: `http://s3-control.localhost:${(server.address() as AddressInfo).port}`,
      requestHandler: { httpAgent: agent },
    });
  });
  afterAll(async () => {
    client.destroy();
    agent.destroy();
    server.close();
    await once(server, "close");
  });

  it("Get before any Put: 404 NoSuchPublicAccessBlockConfiguration", async () => {
    const error = await errorOf(client.send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT })));
    expect(error.name).toBe("NoSuchPublicAccessBlockConfiguration");
  });

  it("Put replaces the whole configuration (left out = off); Get reads it; Delete removes it", async () => {
    await client.send(
      new PutPublicAccessBlockCommand({
        AccountId: ACCOUNT,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true },
      }),
    );
    expect(double.configuration(ACCOUNT)).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    expect(
      (await client.send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT })))
        .PublicAccessBlockConfiguration,
    ).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    await client.send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }));
    expect(double.configuration(ACCOUNT)).toBeUndefined();
  });

  it("the SDK addresses `<account>.s3-control.localhost`: the double logs that Host, the account and a Put's settings", async () => {
    logged.length = 0;
    await client.send(
      new PutPublicAccessBlockCommand({
        AccountId: ACCOUNT,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true },
      }),
    );
    const port = (server.address() as AddressInfo).port;
    expect(logged).toEqual([
      {
        AccountId: ACCOUNT,
        Host: `${ACCOUNT}.s3-control.localhost:${port}`,
        BlockPublicAcls: "true",
        IgnorePublicAcls: "false",
        BlockPublicPolicy: "false",
        RestrictPublicBuckets: "false",
      },
    ]);
  });

  it("why the CLI harness gives S3 Control a name: with an IP endpoint the account prefix makes no URL", async () => {
    const direct = new S3ControlClient({
      region: "us-east-1",
      credentials,
      maxAttempts: 1,
      endpoint: "http://127.0.0.1:9",
    });
    const quiet = vi.spyOn(console, "error").mockImplementation(() => {});
    const error = await errorOf(direct.send(new GetPublicAccessBlockCommand({ AccountId: ACCOUNT })));
    quiet.mockRestore();
    expect(String(error)).toMatch(/Invalid URL|111122223333\.127\.0\.0\.1/);
    direct.destroy();
  });
});
