import { join } from "node:path";
import { checks } from "../checks/catalog";
import type { VigilConfig } from "../config/schema";
import type { RemediationMode } from "../core/modes";
import { configServiceClient, readClients, remediationClients, standardClientConfig } from "../aws/clients";
import { loadDynamoDb, loadSecretsManager, loadSns } from "../aws/sdk";
import type { FindingsStore } from "../findings/store";
import { logger as defaultLogger, type VigilLogger } from "../log";
import type { Notifier } from "../notifiers/alert";
import { onFirstAlert } from "../notifiers/on-first-alert";
import { remediations } from "../remediations/catalog";
import { resourceAdapters } from "../resources/catalog";
import type { VigilRuntime } from "./runtime";

type Env = Record<string, string | undefined>;

/** AWS is in play when an endpoint, a table or Lambda says so; otherwise everything stays on this machine. */
export function awsConfigured(env: Env): boolean {
  return Boolean(
    env.AWS_ENDPOINT_URL ||
    env.FINDINGS_TABLE ||
    env.AWS_LAMBDA_FUNCTION_NAME ||
    env.AWS_PROFILE ||
    env.ALERT_TOPIC_ARN,
  );
}

export interface RuntimeOptions {
  env?: Env;
  /** Forces every check's remediation mode (the CLI's `--mode`). */
  mode?: RemediationMode;
  /** Ignore AWS settings entirely (`npm start`). */
  offline?: boolean;
  /** Local store folder; default `.vigil/db`. */
  localDbPath?: string;
  /** Where console alerts go locally. */
  out?: NodeJS.WritableStream;
  logger?: VigilLogger;
}

export interface OwnedRuntime {
  runtime: VigilRuntime;
  /** Where things go, for the CLI to tell the user. */
  description: { store: string; notifiers: string[]; aws: boolean; mode: string };
  close(): Promise<void>;
}

async function openStore(
  env: Env,
  options: RuntimeOptions,
): Promise<{ store: FindingsStore; label: string; close(): Promise<void> }> {
  if (env.FINDINGS_TABLE && !options.offline) {
    const [{ DynamoDBClient }, { DynamoFindingsStore }] = await Promise.all([
      loadDynamoDb(),
      import("../findings/dynamo-store"),
    ]);
    const client = new DynamoDBClient(standardClientConfig);
    if (!env.AWS_LAMBDA_FUNCTION_NAME) {
      // The CLI may point at a fresh AWS-compatible endpoint: make the table if it isn't there.
      const { createFindingsTableIfMissing } = await import("../findings/local-dynamo");
      await createFindingsTableIfMissing(client, env.FINDINGS_TABLE);
    }
    const store = new DynamoFindingsStore({
      client,
      tableName: env.FINDINGS_TABLE,
    });
    return { store, label: `DynamoDB table ${env.FINDINGS_TABLE}`, close: async () => {} };
  }
  const { startLocalDynamo } = await import("../findings/local-dynamo");
  // VIGIL_DATA_DIR moves the embedded store (tests, several checkouts side by side).
  const path = options.localDbPath ?? (env.VIGIL_DATA_DIR ? join(env.VIGIL_DATA_DIR, "db") : undefined);
  const local = await startLocalDynamo({ path });
  return {
    store: local.store,
    label: `embedded DynamoDB (dynalite) in ${path ?? ".vigil/db"}`,
    close: () => local.close(),
  };
}

async function openNotifiers(env: Env, options: RuntimeOptions, online: boolean): Promise<Notifier[]> {
  const notifiers: Notifier[] = [];
  // SNS and Slack (with Secrets Manager) are loaded when the first alert goes out, not before.
  const topicArn = env.ALERT_TOPIC_ARN;
  if (online && topicArn) {
    notifiers.push(
      onFirstAlert("sns", async () => {
        const [{ SNSClient }, { SnsNotifier }] = await Promise.all([loadSns(), import("../notifiers/sns")]);
        return new SnsNotifier({ client: new SNSClient(standardClientConfig), topicArn });
      }),
    );
  }
  const secretArn = env.SLACK_WEBHOOK_SECRET_ARN;
  if (online && secretArn) {
    notifiers.push(
      onFirstAlert("slack", async () => {
        const [{ SecretsManagerClient }, { SlackNotifier }, { slackWebhookFromSecret }] = await Promise.all([
          loadSecretsManager(),
          import("../notifiers/slack"),
          import("../notifiers/secret-value"),
        ]);
        const webhookUrl = slackWebhookFromSecret(new SecretsManagerClient(standardClientConfig), secretArn);
        return new SlackNotifier({ webhookUrl });
      }),
    );
  }
  if (!notifiers.length && !env.AWS_LAMBDA_FUNCTION_NAME) {
    const { ConsoleNotifier } = await import("../notifiers/console");
    notifiers.push(new ConsoleNotifier(options.out));
  }
  return notifiers;
}

/**
 * Builds the runtime from the environment (design: "Interfaces that outside checks rely on"):
 * `FINDINGS_TABLE`, `ALERT_TOPIC_ARN`, `SLACK_WEBHOOK_SECRET_ARN`, `REMEDIATION_ROLE_ARN`,
 * `AWS_ENDPOINT_URL`/`AWS_REGION` via the SDK. With none of them: embedded store, console alerts, dry-run.
 */
export async function runtimeFromEnv(
  config: VigilConfig,
  options: RuntimeOptions = {},
): Promise<OwnedRuntime> {
  const env = options.env ?? process.env;
  const online = !options.offline && awsConfigured(env);
  const mode = options.mode ?? config.modeOverride ?? (online ? undefined : "dry-run");
  const effective: VigilConfig = { ...config, ...(mode ? { modeOverride: mode } : {}) };
  const store = await openStore(env, options);
  const reads = online ? readClients() : undefined;
  const assume = env.VIGIL_ASSUME_REMEDIATION_ROLE === "true" ? effective.remediationRoleArn : undefined;
  const notifiers = await openNotifiers(env, options, online);
  const runtime: VigilRuntime = {
    config: effective,
    checks,
    remediations,
    adapters: resourceAdapters,
    store: store.store,
    notifiers,
    readClients: reads,
    remediationClients: reads
      ? { ...remediationClients(assume, reads), logger: options.logger ?? defaultLogger }
      : undefined,
    configService: online ? configServiceClient() : undefined,
    logger: options.logger ?? defaultLogger,
    now: () => new Date(),
  };
  return {
    runtime,
    description: {
      store: store.label,
      notifiers: notifiers.map((n) => n.name),
      aws: online,
      mode: mode ?? "per check",
    },
    close: store.close,
  };
}
