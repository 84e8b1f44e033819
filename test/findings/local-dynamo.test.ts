import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureFindingsTable, startLocalDynamo } from "../../shared/findings/local-dynamo";
import { withLocalStore } from "../support/dynalite";
import { sshFinding } from "./fixtures";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "vigil-db-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("startLocalDynamo", () => {
  it("keeps findings on disk across a close and restart", async () => {
    const finding = sshFinding();
    const first = await startLocalDynamo({ path: dir });
    await first.store.put(finding, undefined);
    await first.close();
    await first.close(); // idempotent

    const second = await startLocalDynamo({ path: dir });
    try {
      expect(second.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await second.store.get(finding.id)).toEqual(finding);
      expect(await second.store.list({ status: finding.status })).toEqual([finding]);
    } finally {
      await second.close();
    }
  });

  it("fails clearly when another instance holds the database", async () => {
    const first = await startLocalDynamo({ path: dir });
    try {
      await expect(startLocalDynamo({ path: dir })).rejects.toThrow(/in use by another Vigil process/);
    } finally {
      await first.close();
    }
  });

  it("keeps in-memory instances apart and rejects ambiguous options", async () => {
    const [a, b] = await Promise.all([withLocalStore(), withLocalStore()]);
    try {
      await a.store.put(sshFinding(), undefined);
      expect(await b.store.list()).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    await expect(startLocalDynamo({ inMemory: true, path: dir })).rejects.toThrow(/either/);
  });
});

describe("ensureFindingsTable", () => {
  it("is idempotent and refuses a table with another schema", async () => {
    const local = await withLocalStore();
    const client = new DynamoDBClient({
      endpoint: local.endpoint,
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    try {
      await ensureFindingsTable(client, local.tableName); // already there
      await ensureFindingsTable(client, "other-findings");
      await Promise.all([ensureFindingsTable(client, "raced"), ensureFindingsTable(client, "raced")]);

      await client.send(
        new CreateTableCommand({
          TableName: "legacy",
          BillingMode: "PAY_PER_REQUEST",
          AttributeDefinitions: [{ AttributeName: "id", AttributeType: "S" }],
          KeySchema: [{ AttributeName: "id", KeyType: "HASH" }],
        }),
      );
      await expect(ensureFindingsTable(client, "legacy")).rejects.toThrow(/byStatus is missing/);
    } finally {
      client.destroy();
      await local.close();
    }
  });
});
