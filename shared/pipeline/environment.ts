import { join } from "node:path";
import { checks } from "../checks/catalog";
import type { VigilConfig } from "../config/schema";
import type { RemediationMode } from "../core/modes";
import { configServiceClient, readClients, remediationClients, standardClientConfig } from "../aws/clients";
import { accountClients } from "../aws/account-clients";
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

async function openNotifiers(
  env: Env,
  options: RuntimeOptions,
  online: boolean,
  config: VigilConfig,
  findings: FindingsStore,
): Promise<Notifier[]> {
  const notifiers: Notifier[] = [];
  // Routes, digests, the rate limit or a bot token: one routing notifier with its state in the findings table.
  const routed =
    online && env.FINDINGS_TABLE ? await openRoutingNotifier(env, options, config, findings) : undefined;
  if (routed) return [routed];
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
 * The routing notifier when the `notifications` section or SLACK_BOT_TOKEN_SECRET_ARN asks for more than
 * today's topic + webhook; undefined otherwise (webhook-only deployments keep the plain notifiers).
 */
async function openRoutingNotifier(
  env: Env,
  options: RuntimeOptions,
  config: VigilConfig,
  findings: FindingsStore,
): Promise<Notifier | undefined> {
  const settings = config.notifications;
  const tokenArn = env.SLACK_BOT_TOKEN_SECRET_ARN;
  const tableName = env.FINDINGS_TABLE;
  if (!tableName || (!tokenArn && !settings.routes.length && !settings.digestWindowMinutes)) return undefined;
  const logger = options.logger ?? defaultLogger;
  return onFirstAlert("routes", async () => {
    const [{ DynamoDBClient }, { SecretsManagerClient }, { SNSClient }, modules] = await Promise.all([
      loadDynamoDb(),
      loadSecretsManager(),
      loadSns(),
      Promise.all([
        import("../notifiers/router"),
        import("../notifiers/notification-state"),
        import("../notifiers/slack-api"),
        import("../notifiers/slack"),
        import("../notifiers/sns"),
        import("../notifiers/secret-value"),
      ]),
    ]);
    const [
      { RoutingNotifier },
      { NotificationStateStore },
      { SlackWebApi, slackApiBaseUrl },
      slack,
      sns,
      secrets,
    ] = modules;
    const secretsClient = new SecretsManagerClient(standardClientConfig);
    // SNS publishes only to topics in the client's own Region: one client per Region the routes name.
    const snsClients = new Map<string, InstanceType<typeof SNSClient>>();
    const snsClient = (topicArn: string) => {
      const region = topicArn.split(":")[3] || undefined;
      const key = region ?? "";
      let client = snsClients.get(key);
      if (!client) snsClients.set(key, (client = new SNSClient({ ...standardClientConfig, region })));
      return client;
    };
    const webhookArn = env.SLACK_WEBHOOK_SECRET_ARN;
    return new RoutingNotifier({
      settings,
      topicArn: env.ALERT_TOPIC_ARN,
      sns: (topicArn) => new sns.SnsNotifier({ client: snsClient(topicArn), topicArn }),
      webhook: webhookArn
        ? new slack.SlackNotifier({ webhookUrl: secrets.slackWebhookFromSecret(secretsClient, webhookArn) })
        : undefined,
      slack: tokenArn
        ? new SlackWebApi({
            token: secrets.slackBotTokenFromSecret(secretsClient, tokenArn),
            baseUrl: slackApiBaseUrl(env.SLACK_API_BASE_URL),
          })
        : undefined,
      state: new NotificationStateStore({ client: new DynamoDBClient(standardClientConfig), tableName }),
      findings,
      logger,
    });
  });
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
  const notifiers = await openNotifiers(env, options, online, effective, store.store);
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
    // Other accounts (organisation mode) and Regions: nothing is made or called until such an event comes.
    ...(reads
      ? {
          accountClients: accountClients({
            home: reads,
            homeAccount: env.VIGIL_HOME_ACCOUNT,
            homeRegion: env.AWS_REGION,
            organization: effective.organization,
            forwardingRegions: effective.forwarding.regions,
            remediationRole: assume,
            logger: options.logger ?? defaultLogger,
          }),
        }
      : {}),
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
