import { describe, expect, it } from "vitest";
import { mockClient } from "aws-sdk-client-mock";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoFindingsStore } from "../../shared/findings/dynamo-store";
import { sshFinding } from "./fixtures";

// dynalite never returns UnprocessedKeys (it does not throttle), so this one path is stubbed.
const tableName = "findings";
const a = sshFinding({ groupId: "sg-a" });
const b = sshFinding({ groupId: "sg-b" });

function storeWith(setup: (mock: ReturnType<typeof mockClient>) => void) {
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: "us-east-1" }));
  const mock = mockClient(client);
  setup(mock);
  return { mock, store: new DynamoFindingsStore({ client, tableName, maxBatchGetAttempts: 3 }) };
}

describe("getMany with unprocessed keys", () => {
  it("retries only the unprocessed keys until all are read", async () => {
    const { mock, store } = storeWith((m) =>
      m
        .on(BatchGetCommand)
        .resolvesOnce({
          Responses: { [tableName]: [] },
          UnprocessedKeys: { [tableName]: { Keys: [{ id: a.id }, { id: b.id }] } },
        })
        .resolvesOnce({
          Responses: { [tableName]: [a] },
          UnprocessedKeys: { [tableName]: { Keys: [{ id: b.id }] } },
        })
        .resolvesOnce({ Responses: { [tableName]: [b] } }),
    );
    const found = await store.getMany([a.id, b.id]);
    expect([...found.keys()].sort()).toEqual([a.id, b.id].sort());
    const calls = mock.commandCalls(BatchGetCommand);
    expect(calls).toHaveLength(3);
    expect(calls[2]!.args[0].input.RequestItems?.[tableName]).toMatchObject({
      Keys: [{ id: b.id }],
      ConsistentRead: true,
    });
  });

  it("gives up when DynamoDB makes no progress", async () => {
    const { store } = storeWith((m) =>
      m.on(BatchGetCommand).resolves({ UnprocessedKeys: { [tableName]: { Keys: [{ id: a.id }] } } }),
    );
    await expect(store.getMany([a.id])).rejects.toThrow(/still unprocessed/);
  });
});
