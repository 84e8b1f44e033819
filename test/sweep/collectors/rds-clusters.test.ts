import {
  DescribeDBClustersCommand,
  RDSClient,
  type DBCluster,
  type DescribeDBClustersCommandInput,
  type DescribeDBClustersCommandOutput,
} from "@aws-sdk/client-rds";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/rds-db-cluster/adapter";
import defaultCollector, { rdsClustersCollector } from "../../../shared/sweep/collectors/rds-clusters";
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

/** DescribeDBClusters' answer for the cluster the sample Config item records. */
const payments: DBCluster = {
  DBClusterIdentifier: "payments-aurora",
  DBClusterArn: "arn:aws:rds:us-east-1:111122223333:cluster:payments-aurora",
  DbClusterResourceId: "cluster-5NQ7XK2WZ9RM4TB6PV3HJ8LCDY",
  Engine: "aurora-postgresql",
  StorageEncrypted: false,
  TagList: [{ Key: "team", Value: "payments" }],
};
const ledger: DBCluster = {
  DBClusterIdentifier: "ledger",
  DBClusterArn: "arn:aws:rds:us-east-1:111122223333:cluster:ledger",
  DbClusterResourceId: "cluster-LEDGER000000000000000001",
  Engine: "aurora-mysql",
  StorageEncrypted: true,
  KmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
};

describe("RDS DB clusters collector", () => {
  it("pages DescribeDBClusters and yields every cluster once, whole, with its tags", async () => {
    const pages = pagedAnswers<DescribeDBClustersCommandInput, DescribeDBClustersCommandOutput>("Marker", {
      "": { DBClusters: [payments], Marker: "page-2" },
      "page-2": { DBClusters: [ledger] },
    });
    mock.on(DescribeDBClustersCommand).callsFake(pages.answer);
    const found = await collectAll(rdsClustersCollector(20), collectContext({ rds }));

    expect(pages.seen).toEqual([{ MaxRecords: 20 }, { MaxRecords: 20, Marker: "page-2" }]);
    expect(found.map((o) => o.resource.id)).toEqual([
      "cluster-5NQ7XK2WZ9RM4TB6PV3HJ8LCDY",
      "cluster-LEDGER000000000000000001",
    ]);
    expect(found.every((o) => o.complete && o.tagsKnown)).toBe(true);
    expect(found.map(violated)).toEqual([["RDS.27"], []]);
  });

  it("judges a cluster as its Config item is judged", async () => {
    mock.on(DescribeDBClustersCommand).resolves({ DBClusters: [payments] });
    const [swept] = await collectAll(defaultCollector, collectContext({ rds }));
    const fromConfig = adapter.fromConfigItem(configItemOf("rds/config-item-db-cluster-unencrypted.json"));

    expect(swept?.resource).toEqual(fromConfig.resource);
    expect(swept?.state).toEqual(fromConfig.state);
    expect(violated(fromConfig)).toEqual(["RDS.27"]);
    expect(verdicts(swept!)).toEqual(verdicts(fromConfig));
    expect(defaultCollector.iamActions).toEqual(["rds:DescribeDBClusters"]);
  });
});
