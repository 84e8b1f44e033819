import { ListTagsForResourceCommand } from "@aws-sdk/client-rds";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { CLUSTER, INSTANCE, awsError, idFor, rdsEvent, statuses } from "./support";

const noTags = (t: TestRuntime) => t.rds.on(ListTagsForResourceCommand).resolves({ TagList: [] });
const tagReads = (t: TestRuntime) =>
  t.rds.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input);

describe("RDS encryption at rest through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  describe("RDS.3 DB instances", () => {
    it("non-compliant: CreateDBInstance without encryption opens RDS.3 with who did it, never the password", async () => {
      t = await testRuntime();
      noTags(t);
      const report = await processEvent(rdsEvent("CreateDBInstance-unencrypted"), t.runtime);

      expect(report.outcome).toBe("processed");
      expect(tagReads(t)).toEqual([{ ResourceName: INSTANCE.arn }]);
      expect(await statuses(t)).toEqual([["RDS.3", "OPEN"]]);
      const finding = await t.runtime.store.get(idFor("RDS.3", INSTANCE.id));
      expect(finding).toMatchObject({
        severity: "MEDIUM",
        controls: ["FSBP RDS.3", "CIS 2.3.1"],
        resource: { type: "AWS::RDS::DBInstance", id: INSTANCE.id, arn: INSTANCE.arn, name: INSTANCE.name },
        summary: "DB instance orders-reporting (mysql) stores its data unencrypted",
        actor: { userName: "db-admin", sourceIp: "203.0.113.45" },
      });
      expect(finding?.remediation).toBeUndefined();
      expect(t.notifier.alerts).toHaveLength(1);
      const told = JSON.stringify([finding, t.notifier.alerts, t.logger]);
      expect(told).not.toMatch(/masterUserPassword|HIDDEN_DUE_TO_SECURITY_REASONS/);
    });

    it("non-compliant: a restore from an unencrypted snapshot opens RDS.3 too", async () => {
      t = await testRuntime();
      noTags(t);
      await processEvent(rdsEvent("RestoreDBInstanceFromDBSnapshot-unencrypted"), t.runtime);
      expect(await t.runtime.store.get(idFor("RDS.3", "db-9TB3KD7QW2XM5RN8PV4HZ6LCJE"))).toMatchObject({
        status: "OPEN",
        resource: { name: "orders-reporting-restored" },
      });
    });

    it("compliant: an encrypted instance opens nothing and reads nothing", async () => {
      t = await testRuntime();
      const report = await processEvent(rdsEvent("CreateDBInstance-encrypted"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(await statuses(t)).toEqual([]);
      expect(t.rds.calls()).toHaveLength(0);
    });

    it("not applicable: an Aurora instance is judged on its cluster (one finding, RDS.27, never two)", async () => {
      t = await testRuntime();
      noTags(t);
      await processEvent(rdsEvent("CreateDBCluster-unencrypted"), t.runtime);
      await processEvent(rdsEvent("CreateDBInstance-aurora-cluster-member"), t.runtime);
      expect(await statuses(t)).toEqual([["RDS.27", "OPEN"]]);
      expect(tagReads(t)).toEqual([{ ResourceName: CLUSTER.arn }]);
    });

    it("DeleteDBInstance resolves the instance's open finding", async () => {
      t = await testRuntime();
      noTags(t);
      await processEvent(rdsEvent("CreateDBInstance-unencrypted"), t.runtime);
      const report = await processEvent(rdsEvent("DeleteDBInstance"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(await statuses(t)).toEqual([["RDS.3", "RESOLVED"]]);
    });

    it("CloudTrail and Config meet on one finding (DbiResourceId); Config's deletion resolves it", async () => {
      t = await testRuntime();
      noTags(t);
      await processEvent(rdsEvent("CreateDBInstance-unencrypted"), t.runtime);
      await processEvent(rdsEvent("config-item-db-instance-unencrypted"), t.runtime);
      expect(await statuses(t)).toEqual([["RDS.3", "OPEN"]]);
      // The Config item carries the tags: no second tag read.
      expect(tagReads(t)).toHaveLength(1);
      await processEvent(rdsEvent("config-item-db-instance-deleted"), t.runtime);
      expect(await statuses(t)).toEqual([["RDS.3", "RESOLVED"]]);
    });

    it("not applicable: an instance tagged exempt is suppressed", async () => {
      t = await testRuntime();
      t.rds.on(ListTagsForResourceCommand).resolves({ TagList: [{ Key: "vigil:exempt", Value: "RDS.3" }] });
      await processEvent(rdsEvent("CreateDBInstance-unencrypted"), t.runtime);
      expect(await statuses(t)).toEqual([["RDS.3", "SUPPRESSED"]]);
      expect(t.notifier.alerts).toHaveLength(0);
    });

    it("a Config item's own tags exempt it without any read", async () => {
      t = await testRuntime();
      const event = rdsEvent("config-item-db-instance-unencrypted");
      const item = (event.detail as { configurationItem: { tags: Record<string, string> } })
        .configurationItem;
      item.tags = { "vigil:exempt": "RDS.3" };
      await processEvent(event, t.runtime);
      expect(await statuses(t)).toEqual([["RDS.3", "SUPPRESSED"]]);
      expect(t.rds.calls()).toHaveLength(0);
    });

    it("an instance gone before its tags are read is still reported (no tags, no exemption)", async () => {
      t = await testRuntime();
      t.rds.on(ListTagsForResourceCommand).rejects(awsError("DBInstanceNotFoundFault"));
      await processEvent(rdsEvent("CreateDBInstance-unencrypted"), t.runtime);
      expect(await statuses(t)).toEqual([["RDS.3", "OPEN"]]);
    });

    it("not applicable: a failed CreateDBInstance changed nothing", async () => {
      t = await testRuntime();
      const event = rdsEvent("CreateDBInstance-unencrypted");
      Object.assign(event.detail, { errorCode: "StorageQuotaExceeded", responseElements: null });
      expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
      expect(await statuses(t)).toEqual([]);
    });

    it.each([
      ["no responseElements", (d: Record<string, unknown>) => (d.responseElements = null)],
      [
        "no DbiResourceId",
        (d: Record<string, unknown>) => delete (d.responseElements as Record<string, unknown>).dbiResourceId,
      ],
      [
        "a storageEncrypted that is not a boolean",
        (d: Record<string, unknown>) =>
          ((d.responseElements as Record<string, unknown>).storageEncrypted = "no"),
      ],
    ])("malformed CreateDBInstance (%s) is invalid and changes nothing", async (_, change) => {
      t = await testRuntime();
      const event = rdsEvent("CreateDBInstance-unencrypted");
      change(event.detail);
      expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
      expect(await statuses(t)).toEqual([]);
      expect(t.rds.calls()).toHaveLength(0);
    });
  });

  describe("RDS.27 DB clusters", () => {
    it("non-compliant: CreateDBCluster without encryption opens RDS.27", async () => {
      t = await testRuntime();
      noTags(t);
      await processEvent(rdsEvent("CreateDBCluster-unencrypted"), t.runtime);
      expect(await t.runtime.store.get(idFor("RDS.27", CLUSTER.id))).toMatchObject({
        status: "OPEN",
        severity: "MEDIUM",
        controls: ["FSBP RDS.27"],
        resource: { id: CLUSTER.id, arn: CLUSTER.arn, name: CLUSTER.name },
        evidence: [
          {
            dbClusterIdentifier: CLUSTER.name,
            dbClusterArn: CLUSTER.arn,
            engine: "aurora-postgresql",
            storageEncrypted: false,
          },
        ],
        actor: { sessionIssuerArn: "arn:aws:iam::111122223333:role/platform-deploy" },
      });
    });

    it("compliant: an encrypted cluster opens nothing", async () => {
      t = await testRuntime();
      await processEvent(rdsEvent("CreateDBCluster-encrypted"), t.runtime);
      expect(await statuses(t)).toEqual([]);
      expect(t.rds.calls()).toHaveLength(0);
    });

    it("Config's item (its own member spellings) meets the CloudTrail finding; DeleteDBCluster resolves it", async () => {
      t = await testRuntime();
      noTags(t);
      await processEvent(rdsEvent("CreateDBCluster-unencrypted"), t.runtime);
      await processEvent(rdsEvent("config-item-db-cluster-unencrypted"), t.runtime);
      expect(await statuses(t)).toEqual([["RDS.27", "OPEN"]]);
      await processEvent(rdsEvent("DeleteDBCluster"), t.runtime);
      expect(await statuses(t)).toEqual([["RDS.27", "RESOLVED"]]);
    });

    it("not applicable: a cluster tagged exempt is suppressed, and a failed CreateDBCluster changed nothing", async () => {
      t = await testRuntime();
      t.rds.on(ListTagsForResourceCommand).resolves({ TagList: [{ Key: "vigil:exempt", Value: "RDS.27" }] });
      await processEvent(rdsEvent("CreateDBCluster-unencrypted"), t.runtime);
      expect(await statuses(t)).toEqual([["RDS.27", "SUPPRESSED"]]);
      const failed = rdsEvent("CreateDBCluster-encrypted");
      Object.assign(failed.detail, { errorCode: "DBClusterAlreadyExistsFault", responseElements: null });
      expect((await processEvent(failed, t.runtime)).outcome).toBe("ignored");
    });

    it("malformed CreateDBCluster (no cluster ARN) is invalid", async () => {
      t = await testRuntime();
      const event = rdsEvent("CreateDBCluster-unencrypted");
      delete (event.detail.responseElements as Record<string, unknown>).dBClusterArn;
      expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
      expect(await statuses(t)).toEqual([]);
    });
  });
});
