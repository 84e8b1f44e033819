import {
  DescribeDBInstancesCommand,
  RDSClient,
  type DBInstance,
  type DescribeDBInstancesCommandInput,
  type DescribeDBInstancesCommandOutput,
} from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/rds-db-instance/adapter";
import defaultCollector, { rdsInstancesCollector } from "../../../shared/sweep/collectors/rds-instances";
import {
  collectAll,
  collectContext,
  configItemOf,
  credentials,
  pagedAnswers,
  REGION,
  verdicts,
  violated,
} from "./data-context";

const rds = new RDSClient({ region: REGION, credentials });
const mock = mockClient(rds);
afterEach(() => mock.reset());

/** DescribeDBInstances' answer for the instance the sample Config item records. */
const reporting: DBInstance = {
  DBInstanceIdentifier: "orders-reporting",
  DBInstanceArn: "arn:aws:rds:us-east-1:111122223333:db:orders-reporting",
  DbiResourceId: "db-7QX2M4KJ5N3PLR6WZTB8YV1AHE",
  Engine: "mysql",
  StorageEncrypted: false,
  TagList: [{ Key: "team", Value: "orders" }],
};
const encrypted: DBInstance = {
  DBInstanceIdentifier: "ledger",
  DBInstanceArn: "arn:aws:rds:us-east-1:111122223333:db:ledger",
  DbiResourceId: "db-LEDGER00000000000000000001",
  Engine: "postgres",
  StorageEncrypted: true,
  KmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};
const member: DBInstance = {
  DBInstanceIdentifier: "payments-aurora-1",
  DBInstanceArn: "arn:aws:rds:us-east-1:111122223333:db:payments-aurora-1",
  DbiResourceId: "db-MEMBER00000000000000000001",
  Engine: "aurora-postgresql",
  DBClusterIdentifier: "payments-aurora",
  StorageEncrypted: false,
};

describe("RDS DB instances collector", () => {
  it("pages DescribeDBInstances and yields every instance once, whole, with its tags", async () => {
    const pages = pagedAnswers<DescribeDBInstancesCommandInput, DescribeDBInstancesCommandOutput>("Marker", {
      "": { DBInstances: [reporting, encrypted], Marker: "page-2" },
      "page-2": { DBInstances: [member] },
    });
    mock.on(DescribeDBInstancesCommand).callsFake(pages.answer);
    const found = await collectAll(rdsInstancesCollector(20), collectContext({ rds }));

    expect(mock.commandCalls(DescribeDBInstancesCommand)).toHaveLength(2);
    expect(pages.seen).toEqual([{ MaxRecords: 20 }, { MaxRecords: 20, Marker: "page-2" }]);
    expect(found.map((o) => o.resource.id)).toEqual([
      "db-7QX2M4KJ5N3PLR6WZTB8YV1AHE",
      "db-LEDGER00000000000000000001",
      "db-MEMBER00000000000000000001",
    ]);
    expect(found.every((o) => o.complete && o.tagsKnown && o.observedAt === "2025-03-14T09:00:00.000Z")).toBe(
      true,
    );
    expect(found[0]?.resource).toMatchObject({
      account: "111122223333",
      region: "us-east-1",
      name: "orders-reporting",
    });
    expect(found[2]?.state).toMatchObject({ dbClusterIdentifier: "payments-aurora", tags: {} });
    expect(found.map(violated)).toEqual([["RDS.3"], [], []]);
  });

  it("judges an instance as its Config item is judged", async () => {
    mock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [reporting] });
    const [swept] = await collectAll(defaultCollector, collectContext({ rds }));
    const fromConfig = adapter.fromConfigItem(configItemOf("rds/config-item-db-instance-unencrypted.json"));

    expect(swept?.resource).toEqual(fromConfig.resource);
    expect(swept?.state).toEqual(fromConfig.state);
    expect(violated(fromConfig)).toEqual(["RDS.3"]);
    expect(verdicts(swept!)).toEqual(verdicts(fromConfig));
  });

  it("fails the unit when the listing fails (nothing is resolved from a partial listing)", async () => {
    mock
      .on(DescribeDBInstancesCommand)
      .resolvesOnce({ DBInstances: [reporting], Marker: "next" })
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    await expect(collectAll(defaultCollector, collectContext({ rds }))).rejects.toThrow("Rate exceeded");
  });

  it("names exactly the read action it makes", () => {
    expect(defaultCollector.iamActions).toEqual(["rds:DescribeDBInstances"]);
    expect(defaultCollector.scope).toBe("regional");
  });
});
