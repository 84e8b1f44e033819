import { EC2Client } from "@aws-sdk/client-ec2";
import { checks } from "../../../shared/checks/catalog";
import { parseConfig } from "../../../shared/config/load";
import { configItemSchema, type ConfigItem } from "../../../shared/events/config-item";
import type { CheckResult } from "../../../shared/pipeline/evaluate";
import { runChecks } from "../../../shared/pipeline/evaluate";
import type { Observation, ReadClients } from "../../../shared/resources/adapter";
import type { ResourceType } from "../../../shared/resources/states";
import type { CollectContext, Collector } from "../../../shared/sweep/collector";
import { OWNER_ID } from "../../support/local-aws/ec2";
import { startLocalAws, type LocalAws, type LocalAwsOptions } from "../../support/local-aws/server";
import { recordingLogger } from "../../support/runtime";

/** What the EC2 collectors' tests share: the local endpoint, an SDK client at it, a sweep context. */
/** The endpoint's account: what it answers as every resource's owner. */
export const ACCOUNT = OWNER_ID;
export const REGION = "us-east-1";
export const NOW = new Date("2025-03-14T09:00:00.000Z");

export interface Ec2Endpoint {
  aws: LocalAws;
  ec2: EC2Client;
  context: CollectContext;
  close(): Promise<void>;
}

/** The local AWS endpoint and a read-only context whose only client is EC2 (any other read fails the test). */
export async function startEc2Endpoint(options: LocalAwsOptions = {}): Promise<Ec2Endpoint> {
  const aws = await startLocalAws(options);
  const ec2 = new EC2Client({
    endpoint: aws.endpoint,
    region: REGION,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  const clients = new Proxy({} as ReadClients, {
    get: (_target, name) => {
      if (name === "ec2") return () => ec2;
      return () => {
        throw new Error(`an EC2 collector asked for the ${String(name)} client`);
      };
    },
  });
  const context: CollectContext = {
    clients,
    account: ACCOUNT,
    region: REGION,
    partition: "aws",
    config: parseConfig({}),
    now: NOW,
    logger: recordingLogger(),
  };
  return {
    aws,
    ec2,
    context,
    async close() {
      ec2.destroy();
      await aws.close();
    },
  };
}

export async function collectAll<T extends ResourceType>(
  collector: Collector<T>,
  context: CollectContext,
): Promise<Observation<T>[]> {
  const found: Observation<T>[] = [];
  for await (const observation of collector.collect(context)) found.push(observation);
  return found;
}

/** The catalog's verdicts on one observation, comparable across paths: check id, violations, undecided. */
export function verdicts(observation: Observation, context: CollectContext) {
  return runChecks(observation, checks, { config: context.config }).map((r: CheckResult) => ({
    checkId: r.check.id,
    violations: r.violations,
    ...(r.undecided ? { undecided: r.undecided } : {}),
  }));
}

/**
 * A sample event's Config item with its ids (and account) replaced by the seeded resource's, so the
 * Config item path and the sweep judge the same resource: `{ "sg-0c1d…": groupId, … }`.
 */
export function configItemAs(
  event: { detail: Record<string, unknown> },
  ids: Record<string, string>,
): ConfigItem {
  let text = JSON.stringify(event.detail.configurationItem).replaceAll("111122223333", ACCOUNT);
  for (const [from, to] of Object.entries(ids)) text = text.replaceAll(from, to);
  return configItemSchema.parse(JSON.parse(text));
}
