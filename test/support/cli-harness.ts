import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { randomUUID } from "node:crypto";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { startLocalAws, type LocalAws, type LocalAwsOptions } from "./local-aws/server";

/**
 * Vigil's CLI in a child process against the local AWS-compatible endpoint, the way outside checks
 * drive it: `AWS_ENDPOINT_URL` for every service, a findings table, an SNS topic for alerts.
 */

export interface CliHarnessOptions extends LocalAwsOptions {
  /**
   * Also serve S3 Control. Its client puts the account id in front of the endpoint's host, which an
   * IP endpoint can't take (`111122223333.127.0.0.1` is no URL), so it gets a name of its own through
   * the SDK's service-specific setting `AWS_ENDPOINT_URL_S3_CONTROL=http://s3-control.localhost:<port>`,
   * and the CLI child resolves names under `localhost.` to 127.0.0.1 (local-dns-preload.ts).
   */
  s3Control?: boolean;
}

const run = promisify(execFile);
export const ROOT = join(import.meta.dirname, "..", "..");
const TABLE = "vigil-findings-e2e";

/** A finding as `vigil findings --json` prints it (the fields tests read). */
export interface FindingJson {
  id: string;
  checkId: string;
  status: string;
  severity: string;
  resourceId: string;
  /** The resource's account and Region (a member account's, in organisation mode). */
  account: string;
  region: string;
  actor: { arn?: string } | null;
  eventIds: string[];
  remediation: { mode: string; result: string; action: string } | null;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliHarness {
  aws: LocalAws;
  topicArn: string;
  /** SDK client settings for the endpoint, for seeding resources the way a user would create them. */
  clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** `http://s3-control.localhost:<port>` with the `s3Control` option (reach it with local-dns.ts's lookup). */
  s3ControlEndpoint?: string;
  /**
   * `node --import tsx shared/cli/main.ts …`, as the npm script runs it. `env` adds variables for
   * this run only (e.g. `VIGIL_CONFIG` naming a resource the test just created).
   */
  vigil(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** `npm run vigil -- findings --json`, exactly as outside checks read the table. */
  findings(): Promise<FindingJson[]>;
  /** A sample event from `events/` rewritten by `edit` (fresh ids and times), written to a temp file. */
  writeEvent<T>(sample: string, edit?: (event: T) => void): Promise<string>;
  /** The SNS messages published to the alert topic. */
  alerts(): LocalAws["snsMessages"];
  close(): Promise<void>;
}

interface EnvelopeIds {
  id: string;
  time: string;
  detail?: { eventID?: string; eventTime?: string };
}

const LOCAL_DNS_PRELOAD = pathToFileURL(join(ROOT, "test", "support", "local-dns-preload.ts")).href;

export async function startCliHarness(options: CliHarnessOptions = {}): Promise<CliHarness> {
  const { s3Control, ...localAwsOptions } = options;
  const aws = await startLocalAws(localAwsOptions);
  const clientConfig = {
    endpoint: aws.endpoint,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  };
  const sns = new SNSClient(clientConfig);
  const topicArn = (await sns.send(new CreateTopicCommand({ Name: "vigil-alerts-e2e" }))).TopicArn ?? "";
  sns.destroy();
  const dir = await mkdtemp(join(tmpdir(), "vigil-e2e-"));

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    AWS_ENDPOINT_URL: aws.endpoint,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    FINDINGS_TABLE: TABLE,
    ALERT_TOPIC_ARN: topicArn,
    REMEDIATION_ROLE_ARN: "arn:aws:iam::111122223333:role/vigil-remediation-us-east-1",
    POWERTOOLS_LOG_LEVEL: "SILENT",
  };
  const s3ControlEndpoint = s3Control ? aws.endpoint.replace("127.0.0.1", "s3-control.localhost") : undefined;
  if (s3ControlEndpoint) env.AWS_ENDPOINT_URL_S3_CONTROL = s3ControlEndpoint;
  const preload = s3ControlEndpoint ? ["--import", LOCAL_DNS_PRELOAD] : [];

  return {
    aws,
    topicArn,
    clientConfig,
    ...(s3ControlEndpoint ? { s3ControlEndpoint } : {}),
    async vigil(args, extraEnv = {}) {
      try {
        const cli = ["--import", "tsx", ...preload, "shared/cli/main.ts", ...args];
        const { stdout, stderr } = await run(process.execPath, cli, {
          cwd: ROOT,
          env: { ...env, ...extraEnv },
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as CliResult;
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    },
    async findings() {
      const npm = ["run", "--silent", "vigil", "--", "findings", "--json"];
      const { stdout } = await run("npm", npm, { cwd: ROOT, env });
      return JSON.parse(stdout) as FindingJson[];
    },
    async writeEvent<T>(sample: string, edit?: (event: T) => void) {
      const event = JSON.parse(await readFile(join(ROOT, "events", sample), "utf8")) as EnvelopeIds;
      const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      Object.assign(event, { id: randomUUID(), time: now });
      if (event.detail?.eventID) Object.assign(event.detail, { eventID: randomUUID(), eventTime: now });
      edit?.(event as T);
      const file = join(dir, `${event.id}.json`);
      await writeFile(file, JSON.stringify(event, null, 2));
      return file;
    },
    alerts: () => aws.snsMessages.filter((m) => m.TopicArn === topicArn),
    async close() {
      await aws.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
