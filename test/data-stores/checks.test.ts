import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import { parseConfig } from "../../shared/config/load";
import type { ResourceStates, ResourceType } from "../../shared/resources/states";

const context = { config: parseConfig({}) };

/** The check's verdict: its undecided reason, else its violations. */
function judge<T extends ResourceType>(id: string, type: T, state: ResourceStates[T]): unknown {
  const check = checkById(id) as CheckDefinition<T> | undefined;
  if (!check || check.resourceType !== type) throw new Error(`no ${type} check ${id}`);
  return check.undecided?.(state, context) ?? check.evaluate(state, context);
}

const instance = {
  dbInstanceIdentifier: "orders-reporting",
  dbInstanceArn: "arn:aws:rds:us-east-1:111122223333:db:orders-reporting",
  dbiResourceId: "db-7QX2M4KJ5N3PLR6WZTB8YV1AHE",
  engine: "mysql",
};
const cluster = {
  dbClusterIdentifier: "payments-aurora",
  dbClusterArn: "arn:aws:rds:us-east-1:111122223333:cluster:payments-aurora",
  dbClusterResourceId: "cluster-5NQ7XK2WZ9RM4TB6PV3HJ8LCDY",
  engine: "aurora-postgresql",
};
const queue = {
  queueUrl: "https://sqs.us-east-1.amazonaws.com/111122223333/orders-events",
  queueArn: "arn:aws:sqs:us-east-1:111122223333:orders-events",
  queueName: "orders-events",
};
const topic = { topicArn: "arn:aws:sns:us-east-1:111122223333:order-alerts", topicName: "order-alerts" };
const fileSystem = {
  fileSystemId: "fs-0b7e4c2a9d1f36580",
  fileSystemArn: "arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/fs-0b7e4c2a9d1f36580",
};

describe("data-store encryption checks: catalog metadata", () => {
  it.each([
    ["RDS.3", "AWS::RDS::DBInstance", ["FSBP RDS.3", "CIS 2.3.1"], ["rds:ListTagsForResource"]],
    ["RDS.27", "AWS::RDS::DBCluster", ["FSBP RDS.27"], ["rds:ListTagsForResource"]],
    ["SQS.1", "AWS::SQS::Queue", ["FSBP SQS.1"], ["sqs:GetQueueAttributes", "sqs:ListQueueTags"]],
    [
      "SNS.1",
      "AWS::SNS::Topic",
      ["SecurityHub SNS.1"],
      ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
    ],
    ["EFS.1", "AWS::EFS::FileSystem", ["FSBP EFS.1", "CIS 2.4.1"], ["elasticfilesystem:DescribeFileSystems"]],
    [
      "EFS.8",
      "AWS::EFS::FileSystem",
      ["FSBP EFS.8", "CIS 5.0.0 2.3.1"],
      ["elasticfilesystem:DescribeFileSystems"],
    ],
  ])("%s: MEDIUM, %s, detect only, config-triggered too", (id, type, controls, reads) => {
    const check = checkById(id);
    expect(check).toMatchObject({ severity: "MEDIUM", resourceType: type, controls, iamActions: reads });
    expect(check?.remediation).toBeUndefined();
    expect(check?.triggers.config).toEqual([type]);
  });

  it("CloudTrail triggers: creations, restores, attribute changes and deletions", () => {
    const names = (id: string) => checkById(id)?.triggers.cloudTrail;
    expect(names("RDS.3")).toEqual([
      {
        eventSource: "rds.amazonaws.com",
        eventNames: [
          "CreateDBInstance",
          "CreateDBInstanceReadReplica",
          "RestoreDBInstanceFromDBSnapshot",
          "RestoreDBInstanceToPointInTime",
          "RestoreDBInstanceFromS3",
          "DeleteDBInstance",
        ],
      },
    ]);
    expect(names("RDS.27")).toEqual([
      {
        eventSource: "rds.amazonaws.com",
        eventNames: [
          "CreateDBCluster",
          "RestoreDBClusterFromSnapshot",
          "RestoreDBClusterToPointInTime",
          "RestoreDBClusterFromS3",
          "DeleteDBCluster",
        ],
      },
    ]);
    expect(names("SQS.1")).toEqual([
      { eventSource: "sqs.amazonaws.com", eventNames: ["CreateQueue", "SetQueueAttributes", "DeleteQueue"] },
    ]);
    expect(names("SNS.1")).toEqual([
      { eventSource: "sns.amazonaws.com", eventNames: ["CreateTopic", "SetTopicAttributes", "DeleteTopic"] },
    ]);
    expect(names("EFS.8")).toEqual([
      {
        eventSource: "elasticfilesystem.amazonaws.com",
        eventNames: ["CreateFileSystem", "DeleteFileSystem"],
      },
    ]);
  });
});

describe("RDS.3 (pure)", () => {
  const judge3 = (s: Partial<ResourceStates["AWS::RDS::DBInstance"]>) =>
    judge("RDS.3", "AWS::RDS::DBInstance", { ...instance, ...s });

  it("unencrypted storage violates, naming the instance and engine", () => {
    expect(judge3({ storageEncrypted: false })).toEqual([
      {
        summary: "DB instance orders-reporting (mysql) stores its data unencrypted",
        evidence: {
          dbInstanceIdentifier: "orders-reporting",
          dbInstanceArn: instance.dbInstanceArn,
          engine: "mysql",
          storageEncrypted: false,
        },
      },
    ]);
  });
  it("encrypted storage is compliant", () => {
    expect(judge3({ storageEncrypted: true, kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" })).toEqual(
      [],
    );
  });
  it("not applicable: a cluster member (Aurora) is judged on its cluster, even when unencrypted or unknown", () => {
    expect(judge3({ storageEncrypted: false, dbClusterIdentifier: "payments-aurora" })).toEqual([]);
    expect(judge3({ dbClusterIdentifier: "payments-aurora" })).toEqual([]);
  });
  it("undecided when the source doesn't say", () => {
    expect(judge3({})).toMatch(/does not say/);
  });
});

describe("RDS.27 (pure)", () => {
  const judge27 = (s: Partial<ResourceStates["AWS::RDS::DBCluster"]>) =>
    judge("RDS.27", "AWS::RDS::DBCluster", { ...cluster, ...s });

  it("unencrypted violates; encrypted is compliant; unknown is undecided", () => {
    expect(judge27({ storageEncrypted: false })).toEqual([
      {
        summary: "DB cluster payments-aurora (aurora-postgresql) stores its data unencrypted",
        evidence: {
          dbClusterIdentifier: "payments-aurora",
          dbClusterArn: cluster.dbClusterArn,
          engine: "aurora-postgresql",
          storageEncrypted: false,
        },
      },
    ]);
    expect(judge27({ storageEncrypted: true })).toEqual([]);
    expect(judge27({})).toMatch(/does not say/);
  });
});

describe("SQS.1 (pure): unencrypted only when SSE-SQS is off AND there is no KMS key", () => {
  const judge1 = (s: Partial<ResourceStates["AWS::SQS::Queue"]>) =>
    judge("SQS.1", "AWS::SQS::Queue", { ...queue, ...s });

  it("no key and SSE-SQS explicitly off violates", () => {
    expect(judge1({ kmsMasterKeyId: null, sqsManagedSse: false })).toEqual([
      {
        summary: "SQS queue orders-events is not encrypted at rest (no SSE-SQS, no KMS key)",
        evidence: { queueArn: queue.queueArn, sqsManagedSseEnabled: false, kmsMasterKeyId: null },
      },
    ]);
  });
  it.each([
    ["SSE-SQS on", { kmsMasterKeyId: null, sqsManagedSse: true }],
    ["SSE-SQS on, key unknown", { sqsManagedSse: true }],
    ["a KMS key, SSE-SQS off", { kmsMasterKeyId: "alias/aws/sqs", sqsManagedSse: false }],
    ["a KMS key, SSE-SQS unknown", { kmsMasterKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" }],
  ])("compliant: %s", (_, s) => {
    expect(judge1(s)).toEqual([]);
  });
  it.each([
    ["nothing known", {}],
    ["no key, SSE-SQS unknown (default on for new queues)", { kmsMasterKeyId: null }],
    ["SSE-SQS off, key unknown", { sqsManagedSse: false }],
  ])("undecided: %s", (_, s) => {
    expect(judge1(s)).toMatch(/does not say/);
  });
});

describe("SNS.1 (pure)", () => {
  const judge1 = (s: Partial<ResourceStates["AWS::SNS::Topic"]>) =>
    judge("SNS.1", "AWS::SNS::Topic", { ...topic, ...s });

  it("no key violates; any key (AWS managed or customer) is compliant; unknown is undecided", () => {
    expect(judge1({ kmsMasterKeyId: null })).toEqual([
      {
        summary: "SNS topic order-alerts is not encrypted with a KMS key",
        evidence: { topicArn: topic.topicArn, kmsMasterKeyId: null },
      },
    ]);
    expect(judge1({ kmsMasterKeyId: "alias/aws/sns" })).toEqual([]);
    expect(judge1({ kmsMasterKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" })).toEqual([]);
    expect(judge1({})).toMatch(/does not say/);
  });
});

describe("EFS.1 and EFS.8 (pure): one fact, one finding per control", () => {
  it.each(["EFS.1", "EFS.8"])(
    "%s: unencrypted violates, encrypted is compliant, unknown is undecided",
    (id) => {
      const judgeFs = (s: Partial<ResourceStates["AWS::EFS::FileSystem"]>) =>
        judge(id, "AWS::EFS::FileSystem", { ...fileSystem, ...s });
      expect(judgeFs({ encrypted: false })).toEqual([
        {
          summary: "EFS file system fs-0b7e4c2a9d1f36580 is not encrypted at rest",
          evidence: { ...fileSystem, encrypted: false },
        },
      ]);
      expect(judgeFs({ encrypted: true, kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" })).toEqual([]);
      expect(judgeFs({})).toMatch(/does not say/);
    },
  );
});

describe("purity", () => {
  it("evaluate leaves the state it reads unchanged", () => {
    const state = { ...queue, kmsMasterKeyId: null, sqsManagedSse: false, tags: { team: "orders" } };
    const before = structuredClone(state);
    checkById("SQS.1")?.evaluate(state as never, context);
    expect(state).toEqual(before);
  });
});
