import { once } from "node:events";
import { mkdir } from "node:fs/promises";
import type { Server } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DynamoDBClient,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoFindingsStore, FINDINGS_TRANSLATE_CONFIG, type StoreLogger } from "./dynamo-store";
import { FINDINGS_TABLE_KEYS } from "./table";

/**
 * The local default store: dynalite (DynamoDB's API on LevelDB) in-process, so `vigil start`
 * and tests run the very same DynamoFindingsStore code as Lambda, with no AWS account.
 */

export const DEFAULT_FINDINGS_TABLE_NAME = "vigil-findings";
/** Relative to the working directory, like the rest of `.vigil/`. */
export const DEFAULT_LOCAL_DB_PATH = ".vigil/db";

export interface LocalDynamoOptions {
  /** LevelDB folder (created if missing); defaults to `.vigil/db` under the working directory. */
  path?: string;
  /** Keep everything in memory and lose it on close (tests). Cannot be combined with `path`. */
  inMemory?: boolean;
  tableName?: string;
  logger?: StoreLogger;
}

export interface LocalDynamo {
  /** `http://127.0.0.1:<ephemeral port>`: any DynamoDB client or tool can talk to it. */
  endpoint: string;
  client: DynamoDBDocumentClient;
  tableName: string;
  store: DynamoFindingsStore;
  /** Stops the server and flushes LevelDB; safe to call more than once. */
  close(): Promise<void>;
}

// dynalite is CommonJS without types: describe the one call we make.
interface DynaliteOptions {
  path?: string;
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}
type Dynalite = (options: DynaliteOptions) => Server;

export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  if (options.inMemory && options.path !== undefined)
    throw new Error("pass either inMemory or path, not both");
  const path = options.inMemory ? undefined : resolve(process.cwd(), options.path ?? DEFAULT_LOCAL_DB_PATH);
  // Loaded on demand so importing this module (e.g. for ensureFindingsTable) does not pull in LevelDB.
  const require = createRequire(import.meta.url);
  const dynalite: Dynalite = require("dynalite");
  if (path) {
    await mkdir(path, { recursive: true });
    await assertDatabaseFree(createRequire(require.resolve("dynalite")), path);
  }
  // No artificial CREATING/DELETING delays: the table is usable at once.
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;

  const raw = new DynamoDBClient({
    endpoint,
    region: "local",
    // dynalite ignores signatures; static values keep the SDK from looking for real credentials.
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  const client = DynamoDBDocumentClient.from(raw, FINDINGS_TRANSLATE_CONFIG);
  const tableName = options.tableName ?? DEFAULT_FINDINGS_TABLE_NAME;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= new Promise<void>((done, fail) => {
      client.destroy(); // drop keep-alive sockets first, or the server waits for them
      server.close((error?: Error | null) => (error ? fail(error) : done()));
    });
    return closing;
  };

  try {
    await ensureFindingsTable(raw, tableName);
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  const store = new DynamoFindingsStore({ client, tableName, logger: options.logger });
  return { endpoint, client, tableName, store, close };
}

// Just the part of `level` (dynalite's LevelDB wrapper) used to probe the lock.
interface LevelModule {
  Level: new (path: string) => { open(): Promise<void>; close(): Promise<void> };
}

/**
 * LevelDB allows one opener per folder. dynalite only finds out on the first request and then
 * throws from its HTTP handler, killing the process; probe first to fail with a clear message.
 */
async function assertDatabaseFree(requireFromDynalite: NodeJS.Require, path: string): Promise<void> {
  const { Level }: LevelModule = requireFromDynalite("level");
  const probe = new Level(path);
  try {
    await probe.open();
  } catch (error) {
    const locked = error instanceof Error && /LOCK|locked/i.test(`${error.message} ${String(error.cause)}`);
    throw new Error(
      locked
        ? `local findings database ${path} is in use by another Vigil process (LevelDB lock)`
        : `cannot open local findings database ${path}: ${String(error)}`,
      { cause: error },
    );
  }
  await probe.close();
}

/**
 * Creates the findings table (with the byStatus GSI, on-demand) unless it exists, then waits
 * until table and index are ACTIVE. Idempotent; works on any DynamoDB-API endpoint.
 */
/**
 * For the CLI against an endpoint of the user's choosing: create the table when it doesn't exist,
 * but take an existing one as it is (it may lack the status index; the store copes).
 */
export async function createFindingsTableIfMissing(
  client: DynamoDBClient,
  tableName: string,
): Promise<boolean> {
  if (await describeTable(client, tableName)) return false;
  await ensureFindingsTable(client, tableName);
  return true;
}

export async function ensureFindingsTable(
  client: DynamoDBClient,
  tableName: string,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  if (!(await describeTable(client, tableName))) {
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (error) {
      // Someone else created it between our describe and create: fine, wait for it below.
      if (!(error instanceof Error && error.name === "ResourceInUseException")) throw error;
    }
  }
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (let delay = 20; ; delay = Math.min(delay * 2, 2000)) {
    const table = await describeTable(client, tableName);
    if (table && isActive(table)) return assertSchema(table);
    if (Date.now() > deadline) throw new Error(`table ${tableName} did not become ACTIVE in time`);
    await sleep(delay);
  }
}

const { partitionKey, statusIndex } = FINDINGS_TABLE_KEYS;

function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: "S" },
      { AttributeName: statusIndex.partitionKey, AttributeType: "S" },
      { AttributeName: statusIndex.sortKey, AttributeType: "S" },
    ],
    KeySchema: [{ AttributeName: partitionKey, KeyType: "HASH" }],
    GlobalSecondaryIndexes: [
      {
        IndexName: statusIndex.name,
        KeySchema: [
          { AttributeName: statusIndex.partitionKey, KeyType: "HASH" },
          { AttributeName: statusIndex.sortKey, KeyType: "RANGE" },
        ],
        // list() decodes whole findings from the index.
        Projection: { ProjectionType: "ALL" },
      },
    ],
  };
}

export async function describeTable(client: DynamoDBClient, tableName: string) {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

function isActive(table: TableDescription): boolean {
  return (
    table.TableStatus === "ACTIVE" &&
    (table.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === "ACTIVE")
  );
}

/** An old local database (or a hand-made table) with other keys would fail later in confusing ways. */
function assertSchema(table: TableDescription): void {
  const keys = (schema: TableDescription["KeySchema"]) =>
    (schema ?? []).map((key) => `${key.AttributeName}:${key.KeyType}`).join(",");
  const index = table.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === statusIndex.name);
  const problems = [
    keys(table.KeySchema) !== `${partitionKey}:HASH` && `key schema is ${keys(table.KeySchema)}`,
    !index && `GSI ${statusIndex.name} is missing`,
    index &&
      keys(index.KeySchema) !== `${statusIndex.partitionKey}:HASH,${statusIndex.sortKey}:RANGE` &&
      `GSI ${statusIndex.name} keys are ${keys(index.KeySchema)}`,
    index && index.Projection?.ProjectionType !== "ALL" && `GSI ${statusIndex.name} does not project ALL`,
  ].filter((problem): problem is string => typeof problem === "string");
  if (problems.length > 0) {
    throw new Error(`table ${table.TableName} does not match the findings schema: ${problems.join("; ")}`);
  }
}
