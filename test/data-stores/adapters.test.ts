import { DescribeFileSystemsCommand, EFSClient } from "@aws-sdk/client-efs";
import { ListTagsForResourceCommand, RDSClient } from "@aws-sdk/client-rds";
import { ListQueueTagsCommand, SQSClient } from "@aws-sdk/client-sqs";
import {
  GetTopicAttributesCommand,
  ListTagsForResourceCommand as ListTopicTagsCommand,
  SNSClient,
} from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configItemSchema } from "../../shared/events/config-item";
import { UnusableEventError, type Observation, type ReadClients } from "../../shared/resources/adapter";
import efsAdapter from "../../shared/resources/efs-file-system/adapter";
import clusterAdapter from "../../shared/resources/rds-db-cluster/adapter";
import instanceAdapter from "../../shared/resources/rds-db-instance/adapter";
import snsAdapter from "../../shared/resources/sns-topic/adapter";
import sqsAdapter from "../../shared/resources/sqs-queue/adapter";
import { queueFromArn, queueFromUrl } from "../../shared/resources/sqs-queue/ref";
import {
  ACCOUNT,
  CLUSTER,
  FILE_SYSTEM,
  INSTANCE,
  QUEUE,
  TOPIC_ARN,
  awsError,
  efsEvent,
  rdsEvent,
  snsEvent,
  sqsEvent,
} from "./support";

type Loaded = ReturnType<typeof rdsEvent>;
const detail = (event: Loaded) => cloudTrailDetailSchema.parse(event.detail);
const item = (event: Loaded) =>
  configItemSchema.parse((event.detail as { configurationItem: unknown }).configurationItem);

const rdsClient = new RDSClient({ region: "us-east-1" });
const sqsClient = new SQSClient({ region: "us-east-1" });
const snsClient = new SNSClient({ region: "us-east-1" });
const efsClient = new EFSClient({ region: "us-east-1" });
const rds = mockClient(rdsClient);
const sqs = mockClient(sqsClient);
const sns = mockClient(snsClient);
const efs = mockClient(efsClient);
const clients = {
  rds: () => rdsClient,
  sqs: () => sqsClient,
  sns: () => snsClient,
  efs: () => efsClient,
} as unknown as ReadClients;
afterEach(() => [rds, sqs, sns, efs].forEach((m) => m.reset()));

describe("RDS DB instance adapter", () => {
  it("CreateDBInstance: the answer is the whole instance, keyed on its DbiResourceId", () => {
    expect(instanceAdapter.fromCloudTrail(detail(rdsEvent("CreateDBInstance-unencrypted")), ACCOUNT)).toEqual(
      [
        {
          resource: {
            type: "AWS::RDS::DBInstance",
            id: INSTANCE.id,
            arn: INSTANCE.arn,
            account: ACCOUNT,
            region: "us-east-1",
            name: INSTANCE.name,
          },
          state: {
            dbInstanceIdentifier: INSTANCE.name,
            dbInstanceArn: INSTANCE.arn,
            dbiResourceId: INSTANCE.id,
            engine: "mysql",
            storageEncrypted: false,
          },
          complete: true,
          observedAt: "2025-03-18T09:12:40Z",
          tagsKnown: false,
        },
      ],
    );
  });

  it("an Aurora member keeps its cluster; an encrypted instance keeps its key", () => {
    const [member] = instanceAdapter.fromCloudTrail(
      detail(rdsEvent("CreateDBInstance-aurora-cluster-member")),
      ACCOUNT,
    );
    expect(member?.state).toMatchObject({
      dbClusterIdentifier: "payments-aurora",
      engine: "aurora-postgresql",
    });
    const [encrypted] = instanceAdapter.fromCloudTrail(
      detail(rdsEvent("CreateDBInstance-encrypted")),
      ACCOUNT,
    );
    expect(encrypted?.state).toMatchObject({
      storageEncrypted: true,
      kmsKeyId: expect.stringMatching(/^arn:aws:kms:/),
    });
  });

  it("an answer wrapped as { dBInstance } reads the same", () => {
    const event = rdsEvent("CreateDBInstance-unencrypted");
    event.detail.responseElements = { dBInstance: event.detail.responseElements };
    const [wrapped] = instanceAdapter.fromCloudTrail(detail(event), ACCOUNT);
    expect(wrapped?.state).toMatchObject({ dbiResourceId: INSTANCE.id, storageEncrypted: false });
  });

  it("an answer without storageEncrypted leaves it unknown (RDS.3 undecided), not false", () => {
    const event = rdsEvent("CreateDBInstance-unencrypted");
    delete (event.detail.responseElements as Record<string, unknown>).storageEncrypted;
    const [observation] = instanceAdapter.fromCloudTrail(detail(event), ACCOUNT);
    expect(observation?.state).not.toHaveProperty("storageEncrypted");
  });

  it("DeleteDBInstance: the instance is gone (same resource id)", () => {
    const [gone] = instanceAdapter.fromCloudTrail(detail(rdsEvent("DeleteDBInstance")), ACCOUNT);
    expect(gone).toMatchObject({ resource: { id: INSTANCE.id }, state: undefined, complete: true });
  });

  it("Config items: whole instance with tags; a deleted item keeps the resource id", () => {
    expect(
      instanceAdapter.fromConfigItem(item(rdsEvent("config-item-db-instance-unencrypted"))),
    ).toMatchObject({
      resource: { id: INSTANCE.id, arn: INSTANCE.arn, name: INSTANCE.name },
      state: { storageEncrypted: false, engine: "mysql", tags: { team: "orders" } },
      complete: true,
      tagsKnown: true,
    });
    expect(instanceAdapter.fromConfigItem(item(rdsEvent("config-item-db-instance-deleted")))).toMatchObject({
      resource: { id: INSTANCE.id, arn: INSTANCE.arn },
      state: undefined,
    });
  });

  it("an unreadable Config configuration is rejected", () => {
    const event = rdsEvent("config-item-db-instance-unencrypted");
    const raw = (event.detail as { configurationItem: Record<string, unknown> }).configurationItem;
    raw.configuration = { storageEncrypted: "false" };
    expect(() => instanceAdapter.fromConfigItem(item(event))).toThrow(UnusableEventError);
  });

  it("an unknown RDS call is rejected", () => {
    const event = rdsEvent("DeleteDBInstance");
    event.detail.eventName = "ModifyDBInstance";
    expect(() => instanceAdapter.fromCloudTrail(detail(event), ACCOUNT)).toThrow(/no RDS DB instance reader/);
  });

  it("tags by ARN; a gone instance has none; other errors propagate", async () => {
    const observation = instanceAdapter.fromCloudTrail(
      detail(rdsEvent("CreateDBInstance-unencrypted")),
      ACCOUNT,
    )[0];
    if (!observation) throw new Error("no observation");
    rds
      .on(ListTagsForResourceCommand)
      .resolves({ TagList: [{ Key: "vigil:exempt", Value: "RDS.3" }, { Key: "x" }] });
    expect(await instanceAdapter.readTags(observation, clients)).toEqual({ "vigil:exempt": "RDS.3", x: "" });
    expect(rds.commandCalls(ListTagsForResourceCommand)[0]?.args[0].input).toEqual({
      ResourceName: INSTANCE.arn,
    });
    rds.on(ListTagsForResourceCommand).rejects(awsError("DBInstanceNotFoundFault"));
    expect(await instanceAdapter.readTags(observation, clients)).toEqual({});
    rds.on(ListTagsForResourceCommand).rejects(awsError("AccessDenied"));
    await expect(instanceAdapter.readTags(observation, clients)).rejects.toThrow(/AccessDenied/);
  });
});

describe("RDS DB cluster adapter", () => {
  it("CreateDBCluster keys on the DbClusterResourceId", () => {
    const [created] = clusterAdapter.fromCloudTrail(detail(rdsEvent("CreateDBCluster-unencrypted")), ACCOUNT);
    expect(created).toMatchObject({
      resource: { type: "AWS::RDS::DBCluster", id: CLUSTER.id, arn: CLUSTER.arn, name: CLUSTER.name },
      state: { storageEncrypted: false, engine: "aurora-postgresql" },
    });
  });

  it("Config's spellings (dbclusterIdentifier) and the API's (dBClusterIdentifier) both read", () => {
    expect(clusterAdapter.fromConfigItem(item(rdsEvent("config-item-db-cluster-unencrypted")))).toMatchObject(
      {
        resource: { id: CLUSTER.id, arn: CLUSTER.arn, name: CLUSTER.name },
        state: { dbClusterIdentifier: CLUSTER.name, storageEncrypted: false, tags: { team: "payments" } },
      },
    );
    const event = rdsEvent("config-item-db-cluster-unencrypted");
    const raw = (event.detail as { configurationItem: { configuration: Record<string, unknown> } })
      .configurationItem;
    const { dbclusterIdentifier, dbclusterArn, ...rest } = raw.configuration;
    raw.configuration = { ...rest, dBClusterIdentifier: dbclusterIdentifier, dBClusterArn: dbclusterArn };
    expect(clusterAdapter.fromConfigItem(item(event))).toMatchObject({
      resource: { id: CLUSTER.id, arn: CLUSTER.arn, name: CLUSTER.name },
    });
  });
});

describe("SQS queue adapter", () => {
  it("queue URLs (current and legacy hosts) and ARNs lead to one ARN", () => {
    expect(queueFromUrl(QUEUE.url, "us-east-1")?.queueArn).toBe(QUEUE.arn);
    expect(
      queueFromUrl("https://queue.amazonaws.com/111122223333/orders-events", "us-east-1")?.queueArn,
    ).toBe(QUEUE.arn);
    expect(queueFromArn(QUEUE.arn)).toMatchObject({ queueUrl: QUEUE.url, queueName: "orders-events" });
    expect(queueFromUrl("https://sqs.us-east-1.amazonaws.com/orders-events", "us-east-1")).toBeUndefined();
    expect(queueFromUrl("not a url", "us-east-1")).toBeUndefined();
  });

  it("SSE-SQS off alone leaves the key open: read live", () => {
    const [observation] = sqsAdapter.fromCloudTrail(detail(sqsEvent("CreateQueue-sse-disabled")), ACCOUNT);
    expect(observation).toMatchObject({
      resource: { id: QUEUE.arn, name: "orders-events" },
      state: { queueUrl: QUEUE.url, sqsManagedSse: false },
      needsRefresh: true,
    });
    expect(observation?.state).not.toHaveProperty("kmsMasterKeyId");
  });

  it("both explicitly off (the console's full attribute set) settles it: no live read", () => {
    const [observation] = sqsAdapter.fromCloudTrail(
      detail(sqsEvent("SetQueueAttributes-console-encryption-off")),
      ACCOUNT,
    );
    expect(observation?.state).toMatchObject({ kmsMasterKeyId: null, sqsManagedSse: false });
    expect(observation?.needsRefresh).toBeUndefined();
  });

  it("a FIFO queue with a KMS key alias is settled as encrypted", () => {
    const [observation] = sqsAdapter.fromCloudTrail(detail(sqsEvent("CreateQueue-kms")), ACCOUNT);
    expect(observation).toMatchObject({
      resource: { id: "arn:aws:sqs:us-east-1:111122223333:billing-events.fifo" },
      state: { kmsMasterKeyId: "alias/billing-queues" },
    });
    expect(observation?.needsRefresh).toBeUndefined();
  });

  it("a Config item keyed on the ARN (no URL) still finds the queue and its URL", () => {
    const event = sqsEvent("config-item-queue-unencrypted");
    const raw = (event.detail as { configurationItem: Record<string, unknown> }).configurationItem;
    raw.resourceId = QUEUE.arn;
    const configuration = raw.configuration as Record<string, unknown>;
    delete configuration.QueueUrl;
    expect(sqsAdapter.fromConfigItem(item(event))).toMatchObject({
      resource: { id: QUEUE.arn },
      state: { queueUrl: QUEUE.url, kmsMasterKeyId: null, sqsManagedSse: false, tags: { team: "orders" } },
    });
  });

  it("tags by URL; a gone queue has none", async () => {
    const [observation] = sqsAdapter.fromCloudTrail(
      detail(sqsEvent("SetQueueAttributes-console-encryption-off")),
      ACCOUNT,
    );
    if (!observation) throw new Error("no observation");
    sqs.on(ListQueueTagsCommand).resolves({ Tags: { team: "orders" } });
    expect(await sqsAdapter.readTags(observation, clients)).toEqual({ team: "orders" });
    sqs.on(ListQueueTagsCommand).rejects(awsError("QueueDoesNotExist"));
    expect(await sqsAdapter.readTags(observation, clients)).toEqual({});
  });
});

describe("SNS topic adapter", () => {
  it("SetTopicAttributes without a value can't say: read live", () => {
    const event = snsEvent("SetTopicAttributes-remove-kms-key");
    delete (event.detail.requestParameters as Record<string, unknown>).attributeValue;
    const [observation] = snsAdapter.fromCloudTrail(detail(event), ACCOUNT);
    expect(observation).toMatchObject({ resource: { id: TOPIC_ARN }, needsRefresh: true });
    expect(observation?.state).not.toHaveProperty("kmsMasterKeyId");
  });

  it("refresh reads the key; a topic without one has null", async () => {
    const [observation] = snsAdapter.fromCloudTrail(detail(snsEvent("CreateTopic-no-key")), ACCOUNT);
    if (!observation || !snsAdapter.refresh) throw new Error("no observation");
    sns.on(GetTopicAttributesCommand).resolves({ Attributes: { TopicArn: TOPIC_ARN } });
    const refreshed: Observation = await snsAdapter.refresh(observation, clients);
    expect(refreshed).toMatchObject({
      state: { topicArn: TOPIC_ARN, kmsMasterKeyId: null },
      needsRefresh: false,
    });
  });

  it("tags; a gone topic has none", async () => {
    const [observation] = snsAdapter.fromCloudTrail(
      detail(snsEvent("SetTopicAttributes-remove-kms-key")),
      ACCOUNT,
    );
    if (!observation) throw new Error("no observation");
    sns.on(ListTopicTagsCommand).rejects(awsError("ResourceNotFoundException"));
    expect(await snsAdapter.readTags(observation, clients)).toEqual({});
  });
});

describe("EFS file-system adapter", () => {
  it("CreateFileSystem: the answer settles encryption; keyed on the file-system id", () => {
    expect(efsAdapter.fromCloudTrail(detail(efsEvent("CreateFileSystem-unencrypted")), ACCOUNT)).toEqual([
      {
        resource: {
          type: "AWS::EFS::FileSystem",
          id: FILE_SYSTEM.id,
          arn: FILE_SYSTEM.arn,
          account: ACCOUNT,
          region: "us-east-1",
          name: FILE_SYSTEM.id,
        },
        state: { fileSystemId: FILE_SYSTEM.id, fileSystemArn: FILE_SYSTEM.arn, encrypted: false },
        complete: true,
        observedAt: "2025-03-18T16:05:21Z",
        tagsKnown: false,
      },
    ]);
  });

  it("DeleteFileSystem builds the ARN from the call's account and region", () => {
    const [gone] = efsAdapter.fromCloudTrail(detail(efsEvent("DeleteFileSystem")), ACCOUNT);
    expect(gone).toMatchObject({ resource: { id: FILE_SYSTEM.id, arn: FILE_SYSTEM.arn }, state: undefined });
  });

  it("Config item: PascalCase configuration, tags from the item", () => {
    expect(efsAdapter.fromConfigItem(item(efsEvent("config-item-file-system-unencrypted")))).toMatchObject({
      resource: { id: FILE_SYSTEM.id, arn: FILE_SYSTEM.arn },
      state: { encrypted: false, tags: { Name: "media-scratch" } },
      tagsKnown: true,
    });
  });

  it("tags from DescribeFileSystems; a gone file system has none", async () => {
    const [observation] = efsAdapter.fromCloudTrail(
      detail(efsEvent("CreateFileSystem-unencrypted")),
      ACCOUNT,
    );
    if (!observation) throw new Error("no observation");
    efs.on(DescribeFileSystemsCommand).rejects(awsError("FileSystemNotFound"));
    expect(await efsAdapter.readTags(observation, clients)).toEqual({});
  });
});
