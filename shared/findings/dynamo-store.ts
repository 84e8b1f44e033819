import { setTimeout as sleep } from "node:timers/promises";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type PutCommandInput,
  paginateQuery,
  paginateScan,
  type TranslateConfig,
} from "@aws-sdk/lib-dynamodb";
import { logger as defaultLogger } from "../log";
import { decodeFinding, encodeFinding, type FindingItem } from "./item-codec";
import type { Finding, FindingStatus } from "./model";
import { VersionConflictError, type FindingsStore } from "./store";
import { FINDINGS_TABLE_KEYS } from "./table";

/** DynamoDB rejects `undefined`; class instances are never valid finding data, so do not map them. */
export const FINDINGS_TRANSLATE_CONFIG = {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
} satisfies TranslateConfig;

/** The subset of a logger the store needs; Powertools' Logger fits, tests can pass a spy. */
export interface StoreLogger {
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface DynamoFindingsStoreOptions {
  /** A document client is used as is; a plain client is wrapped with FINDINGS_TRANSLATE_CONFIG. */
  client: DynamoDBDocumentClient | DynamoDBClient;
  tableName: string;
  logger?: StoreLogger;
  /** BatchGet retries while DynamoDB returns unprocessed keys without progress. */
  maxBatchGetAttempts?: number;
}

/** A stored item that does not decode as a Finding; raised by `get` so it is never overwritten blindly. */
export class InvalidFindingItemError extends Error {
  constructor(
    readonly findingId: string,
    readonly problems: string[],
  ) {
    super(`stored finding ${findingId} is invalid: ${problems.join("; ")}`);
    this.name = "InvalidFindingItemError";
  }
}

const BATCH_GET_LIMIT = 100;

export class DynamoFindingsStore implements FindingsStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly logger: StoreLogger;
  private readonly maxBatchGetAttempts: number;
  private statusIndexUsable = true;

  constructor(options: DynamoFindingsStoreOptions) {
    this.client =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, FINDINGS_TRANSLATE_CONFIG);
    this.tableName = options.tableName;
    this.logger = options.logger ?? defaultLogger;
    this.maxBatchGetAttempts = options.maxBatchGetAttempts ?? 8;
  }

  async get(id: string): Promise<Finding | undefined> {
    if (!id) return undefined; // an empty key can never exist and DynamoDB rejects it
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const decoded = decodeFinding(Item);
    if (!decoded.ok) throw new InvalidFindingItemError(id, decoded.problems);
    return decoded.finding;
  }

  async getMany(ids: readonly string[]): Promise<Map<string, Finding>> {
    // BatchGetItem rejects duplicate keys in one request.
    const unique = [...new Set(ids)].filter((id) => id.length > 0);
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT)
      chunks.push(unique.slice(i, i + BATCH_GET_LIMIT));
    const found = new Map<string, Finding>();
    const pages = await Promise.all(chunks.map((chunk) => this.batchGet(chunk)));
    for (const item of pages.flat()) {
      const finding = this.decodeOrWarn(item);
      if (finding) found.set(finding.id, finding);
    }
    return found;
  }

  async put(finding: Finding, expectedVersion: number | undefined): Promise<void> {
    const { item, trimmed } = encodeFinding(finding);
    if (trimmed?.stillTooLarge) {
      // Nothing trimmable is left (huge summary or undo payload?): try anyway, DynamoDB decides.
      this.logger.error("finding still too large after trimming", { findingId: finding.id, ...trimmed });
    } else if (trimmed) {
      this.logger.warn("finding too large for DynamoDB; trimmed before writing", {
        findingId: finding.id,
        ...trimmed,
      });
    }
    const condition: Pick<
      PutCommandInput,
      "ConditionExpression" | "ExpressionAttributeNames" | "ExpressionAttributeValues"
    > =
      expectedVersion === undefined
        ? { ConditionExpression: "attribute_not_exists(#id)", ExpressionAttributeNames: { "#id": "id" } }
        : {
            ConditionExpression: "#version = :expected",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":expected": expectedVersion },
          };
    try {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
    } catch (error) {
      // Matched by name: an injected client may come from another copy of the SDK.
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") {
        throw new VersionConflictError(finding.id);
      }
      throw error;
    }
  }

  async list(filter: { status?: FindingStatus } = {}): Promise<Finding[]> {
    const items: FindingItem[] = [];
    if (filter.status && this.statusIndexUsable) {
      const { name, partitionKey } = FINDINGS_TABLE_KEYS.statusIndex;
      // GSIs cannot be read consistently; a just-written finding may show up a moment later.
      const pages = paginateQuery(
        { client: this.client },
        {
          TableName: this.tableName,
          IndexName: name,
          KeyConditionExpression: "#status = :status",
          ExpressionAttributeNames: { "#status": partitionKey },
          ExpressionAttributeValues: { ":status": filter.status },
          ScanIndexForward: false, // newest lastSeen first
        },
      );
      try {
        for await (const page of pages) items.push(...(page.Items ?? []));
      } catch (error) {
        // A table made by someone else may lack the index: scan and filter instead.
        if (!(error instanceof Error && error.name === "ValidationException")) throw error;
        this.logger.warn("findings table has no status index; scanning", { table: this.tableName });
        this.statusIndexUsable = false;
        return this.list(filter);
      }
    } else {
      const pages = paginateScan(
        { client: this.client },
        // The table also holds small non-finding items (Slack message locations, digests, rate
        // counters: shared/notifiers/notification-state.ts); every finding has a checkId, they don't.
        { TableName: this.tableName, ConsistentRead: true, FilterExpression: "attribute_exists(checkId)" },
      );
      for await (const page of pages) items.push(...(page.Items ?? []));
    }
    const findings = items
      .flatMap((item) => this.decodeOrWarn(item) ?? [])
      .filter((finding) => !filter.status || finding.status === filter.status);
    // A scan has no order; give both paths the same one (ISO timestamps sort as strings).
    if (!filter.status || !this.statusIndexUsable)
      findings.sort((a, b) => (a.lastSeen < b.lastSeen ? 1 : a.lastSeen > b.lastSeen ? -1 : 0));
    return findings;
  }

  /** One BatchGet chunk, retrying unprocessed keys with jittered exponential backoff. */
  private async batchGet(ids: string[]): Promise<FindingItem[]> {
    const items: FindingItem[] = [];
    let keys: Record<string, unknown>[] = ids.map((id) => ({ id }));
    let stalled = 0;
    while (keys.length > 0) {
      const response = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } } }),
      );
      const got = response.Responses?.[this.tableName] ?? [];
      items.push(...got);
      keys = response.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      if (keys.length === 0) break;
      // Partial answers due to the 16 MB response cap are progress; only throttling stalls.
      stalled = got.length > 0 ? 0 : stalled + 1;
      if (stalled >= this.maxBatchGetAttempts) {
        throw new Error(`BatchGet on ${this.tableName}: ${keys.length} keys still unprocessed after retries`);
      }
      await sleep(Math.random() * Math.min(2000, 50 * 2 ** stalled));
    }
    return items;
  }

  /** Lists and batch reads skip an undecodable record (and say so) instead of failing entirely. */
  private decodeOrWarn(item: FindingItem): Finding | undefined {
    const decoded = decodeFinding(item);
    if (decoded.ok) return decoded.finding;
    this.logger.warn("skipping invalid finding item", { findingId: decoded.id, problems: decoded.problems });
    return undefined;
  }
}
