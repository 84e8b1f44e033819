import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { CreateTopicCommand, SNSClient } from "@aws-sdk/client-sns";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_ENTRY_FILE, lambdaBuildOptions } from "../../infra/bundle";
import { LAMBDA_RUNTIME } from "../../infra/detection-function";
import type { EventReport } from "../../shared/pipeline/process-event";
import { createFindingsTableIfMissing } from "../../shared/findings/local-dynamo";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";

/**
 * The CloudTrail function's bundle, built as the stack builds it, run in a fresh Node process
 * against the local AWS-compatible endpoint, the way Lambda runs it (`AWS_LAMBDA_FUNCTION_NAME` set).
 */

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const EVENTS = join(ROOT, "events/security-group");
const TABLE = "vigil-findings-bundle";

/** Modules a compliant event must not load: the SDK clients it needs no call of, and the notifiers. */
const NOT_FOR_COMPLIANT_EVENTS = [
  "shared/aws/ec2-api.ts",
  "shared/aws/config-service-api.ts",
  "shared/aws/sns-api.ts",
  "shared/aws/secrets-manager-api.ts",
  "shared/aws/credentials-api.ts",
  "shared/aws/ecr-api.ts",
  "shared/aws/ecs-api.ts",
  "shared/aws/lambda-api.ts",
  "shared/aws/inspector2-api.ts",
  "shared/aws/kms-api.ts",
  "shared/notifiers/sns.ts",
  "shared/notifiers/slack.ts",
  "shared/notifiers/secret-value.ts",
];

const INVOKE = `
const [file, event] = process.argv.slice(1);
const { handler } = await import(file);
const context = {
  functionName: "vigil-cloudtrail", functionVersion: "$LATEST", memoryLimitInMB: "512",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:vigil-cloudtrail",
  awsRequestId: "${randomUUID()}", getRemainingTimeInMillis: () => 30000,
};
try {
  process.stdout.write("REPORT " + JSON.stringify(await handler(JSON.parse(event), context)));
} catch (error) {
  // Just the message: a stack trace would quote a line of minified bundle.
  process.stdout.write("ERROR " + String(error?.message ?? error));
}
`;

describe("the Lambda bundle", () => {
  let aws: LocalAws;
  let dir: string;
  let full: string;
  let stripped: string;
  let removed: string[];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "vigil-bundle-"));
    full = join(dir, "full");
    const { metafile } = await build({
      ...lambdaBuildOptions(join(ROOT, "functions/cloudtrail-event.ts"), full, LAMBDA_RUNTIME),
      absWorkingDir: ROOT,
      metafile: true,
      logLevel: "silent",
    });
    // A copy without the chunks a compliant event must not load: loading one would fail the event.
    stripped = join(dir, "stripped");
    await cp(full, stripped, { recursive: true });
    removed = Object.entries(metafile.outputs)
      .filter(([, output]) => NOT_FOR_COMPLIANT_EVENTS.includes(output.entryPoint ?? ""))
      .map(([file]) => relative(full, join(ROOT, file)));
    await Promise.all(removed.map((file) => rm(join(stripped, file))));

    aws = await startLocalAws();
    const config = {
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    };
    const sns = new SNSClient(config);
    const topicArn = (await sns.send(new CreateTopicCommand({ Name: "vigil-bundle" }))).TopicArn ?? "";
    sns.destroy();
    const dynamo = new DynamoDBClient(config);
    await createFindingsTableIfMissing(dynamo, TABLE);
    dynamo.destroy();
    env = {
      PATH: process.env.PATH,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      AWS_LAMBDA_FUNCTION_NAME: "vigil-cloudtrail",
      FINDINGS_TABLE: TABLE,
      ALERT_TOPIC_ARN: topicArn,
      POWERTOOLS_LOG_LEVEL: "SILENT",
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
  }, 60_000);

  afterAll(async () => {
    await aws?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function invoke(bundle: string, event: unknown): Promise<EventReport> {
    const file = join(bundle, BUNDLE_ENTRY_FILE);
    const { stdout } = await run(
      process.execPath,
      ["--input-type=module", "-e", INVOKE, file, JSON.stringify(event)],
      { env },
    );
    const error = stdout.lastIndexOf("ERROR ");
    if (error >= 0) throw new Error(`the handler failed: ${stdout.slice(error + 6)}`);
    return JSON.parse(stdout.slice(stdout.lastIndexOf("REPORT ") + 7)) as EventReport;
  }

  it("handles a compliant event without the EC2, Config, SNS or Secrets Manager chunks", async () => {
    expect(removed).toHaveLength(NOT_FOR_COMPLIANT_EVENTS.length);
    const event = JSON.parse(await readFile(join(EVENTS, "authorize-https-world-compliant.json"), "utf8"));

    const first = aws.requests.length;
    const report = await invoke(stripped, { ...event, id: randomUUID() });

    expect(report.outcome).toBe("processed");
    expect(report.resources.length).toBeGreaterThan(0);
    expect(report.resources.every((r) => !r.alerted && r.remediation.length === 0)).toBe(true);
    // The findings store is all it talks to.
    expect(new Set(aws.requests.slice(first).map((r) => r.service))).toEqual(new Set(["dynamodb"]));
  });

  it("revokes a world-open SSH rule and alerts, loading those chunks on first use", async () => {
    const ec2 = new EC2Client({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const name = `bundle-${randomUUID().slice(0, 8)}`;
    const groupId =
      (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name }))).GroupId ?? "";
    const out = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    ec2.destroy();
    const ruleId = out.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? "";
    const sample = await readFile(join(EVENTS, "authorize-ssh-world-ipv4.json"), "utf8");
    const event = JSON.parse(
      sample.replaceAll("sg-07c1e5a9d3b2f4068", groupId).replaceAll("sgr-0d27a9c4e81f35b60", ruleId),
    );

    const report = await invoke(full, { ...event, id: randomUUID() });

    expect(report.outcome).toBe("processed");
    expect(report.resources[0]?.remediation.map((r) => r.result)).toContain("succeeded");
    expect(report.resources[0]?.alerted).toBe(true);
    expect(aws.ec2State.ingressRules(groupId)).toEqual([]);
    expect(aws.snsMessages.some((m) => m.Message?.includes(groupId))).toBe(true);
  });
});
