import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { FINDINGS_TRANSLATE_CONFIG } from "../findings/dynamo-store";

/**
 * Notification bookkeeping shared by every function invocation (where Slack messages are, digest
 * windows, per-channel rate counters), kept in the findings table so it needs no table of its own.
 * These items are no findings: their ids start with this prefix and they have no `status`, so the
 * status index (sparse on `status`) never lists them, and finding reads by id never meet them.
 */
export const NOTIFICATION_ITEM_PREFIX = "vigil#notify#";
/** The `kind` attribute of every notification item, so scans can filter them out. */
export const NOTIFICATION_ITEM_KIND = "notification-state";

export function isNotificationItemId(id: unknown): boolean {
  return typeof id === "string" && id.startsWith(NOTIFICATION_ITEM_PREFIX);
}

/** Plain JSON values only: they round-trip through DynamoDB's document mapping unchanged. */
export type StateValue = Record<string, unknown>;

export interface NotificationStateOptions {
  client: DynamoDBDocumentClient | DynamoDBClient;
  tableName: string;
  /** Optimistic-lock retries per update. */
  maxAttempts?: number;
}

interface Stored<T> {
  value: T;
  version: number;
}

/** Versioned JSON state items with optimistic locking (conditional PutItem on `version`). */
export class NotificationStateStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly maxAttempts: number;

  constructor(options: NotificationStateOptions) {
    this.client =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, FINDINGS_TRANSLATE_CONFIG);
    this.tableName = options.tableName;
    this.maxAttempts = options.maxAttempts ?? 10;
  }

  async get<T extends StateValue>(key: string): Promise<T | undefined> {
    return (await this.read<T>(key))?.value;
  }

  /** Several keys at once (BatchGetItem, 100 per request); missing keys are absent from the map. */
  async getMany<T extends StateValue>(keys: readonly string[]): Promise<Map<string, T>> {
    const unique = [...new Set(keys)];
    const found = new Map<string, T>();
    for (let i = 0; i < unique.length; i += 100) {
      let pending: Record<string, unknown>[] = unique.slice(i, i + 100).map((key) => ({ id: this.id(key) }));
      for (let attempt = 0; pending.length && attempt < this.maxAttempts; attempt++) {
        const answer = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          const key = String(item.id).slice(NOTIFICATION_ITEM_PREFIX.length);
          if (isRecord(item.state)) found.set(key, item.state as T);
        }
        pending = answer.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        if (pending.length) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
      }
    }
    return found;
  }

  /** Unconditional write (last writer wins): for values only one message ever owns. */
  async put<T extends StateValue>(key: string, value: T, now: Date): Promise<void> {
    await this.client.send(
      new PutCommand({ TableName: this.tableName, Item: this.item(key, value, 1, now) }),
    );
  }

  /**
   * Read-modify-write: `mutate` gets the current value (or undefined) and returns the next one, or
   * undefined to leave it. Retried on a concurrent write, so `mutate` must be pure. Returns what is stored.
   */
  async update<T extends StateValue>(
    key: string,
    mutate: (current: T | undefined) => T | undefined,
    now: Date,
  ): Promise<T | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read<T>(key);
      const next = mutate(current?.value);
      if (next === undefined) return current?.value;
      const version = (current?.version ?? 0) + 1;
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: this.item(key, next, version, now),
            ...(current
              ? {
                  ConditionExpression: "#version = :expected",
                  ExpressionAttributeNames: { "#version": "version" },
                  ExpressionAttributeValues: { ":expected": current.version },
                }
              : {
                  ConditionExpression: "attribute_not_exists(#id)",
                  ExpressionAttributeNames: { "#id": "id" },
                }),
          }),
        );
        return next;
      } catch (error) {
        const conflict = error instanceof Error && error.name === "ConditionalCheckFailedException";
        if (!conflict || attempt >= this.maxAttempts) throw error;
        // A sweep's workers all count against one channel: jitter so they don't collide in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 25 * attempt));
      }
    }
  }

  private id(key: string): string {
    return `${NOTIFICATION_ITEM_PREFIX}${key}`;
  }

  private item(key: string, value: StateValue, version: number, now: Date): Record<string, unknown> {
    // Through JSON: plain data whatever the client's marshall options.
    const state = JSON.parse(JSON.stringify(value)) as StateValue;
    return { id: this.id(key), kind: NOTIFICATION_ITEM_KIND, state, version, updatedAt: now.toISOString() };
  }

  private async read<T extends StateValue>(key: string): Promise<Stored<T> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { id: this.id(key) }, ConsistentRead: true }),
    );
    if (!Item || !isRecord(Item.state) || typeof Item.version !== "number") return undefined;
    return { value: Item.state as T, version: Item.version };
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
