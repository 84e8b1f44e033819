import { checks } from "../../../shared/checks/catalog";
import { parseConfig } from "../../../shared/config/load";
import { configItemSchema, type ConfigItem } from "../../../shared/events/config-item";
import { runChecks, type CheckResult } from "../../../shared/pipeline/evaluate";
import type { Observation, ReadClients } from "../../../shared/resources/adapter";
import type { ResourceType } from "../../../shared/resources/states";
import type { CollectContext, Collector } from "../../../shared/sweep/collector";
import { loadEvent } from "../../support/events";
import { recordingLogger } from "../../support/runtime";

/** What the data/edge collectors' tests share: a sweep context over the given clients only. */
export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const NOW = new Date("2025-03-14T09:00:00.000Z");
export const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** A read-only context whose clients are `given`; asking for any other fails the test. */
export function collectContext(
  given: Partial<Record<keyof ReadClients, unknown>>,
  overrides: Partial<CollectContext> = {},
): CollectContext & { logger: ReturnType<typeof recordingLogger> } {
  const clients = new Proxy({} as ReadClients, {
    get: (_target, name) => {
      const client = given[name as keyof ReadClients];
      if (client) return () => client;
      return () => {
        throw new Error(`the collector asked for the ${String(name)} client`);
      };
    },
  });
  return {
    clients,
    account: ACCOUNT,
    region: REGION,
    partition: "aws",
    config: parseConfig({}),
    now: NOW,
    logger: recordingLogger(),
    ...overrides,
  } as CollectContext & { logger: ReturnType<typeof recordingLogger> };
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
export function verdicts(observation: Observation) {
  return runChecks(observation, checks, { config: parseConfig({}) })
    .map((r: CheckResult) => ({
      checkId: r.check.id,
      violations: r.violations,
      ...(r.undecided ? { undecided: r.undecided } : {}),
    }))
    .sort((a, b) => a.checkId.localeCompare(b.checkId));
}

/** Violated check ids only: at least one check must fire for a parity test to mean anything. */
export const violated = (observation: Observation) =>
  verdicts(observation)
    .filter((v) => v.violations.length > 0)
    .map((v) => v.checkId);

/** A sample event's Config item, with strings replaced (`{ from: to }`) when the test needs other ids. */
export function configItemOf(path: string, replace: Record<string, string> = {}): ConfigItem {
  let text = JSON.stringify(loadEvent(path).detail.configurationItem);
  for (const [from, to] of Object.entries(replace)) text = text.replaceAll(from, to);
  return configItemSchema.parse(JSON.parse(text));
}

/**
 * Answers a paged command from `pages` by its token field (the first page has none) and records a
 * copy of each request: the SDK's paginators reuse one input object, so recorded calls alone
 * would all show the last token.
 */
export function pagedAnswers<I extends object, O>(
  tokenField: keyof I & string,
  pages: Record<string, Partial<O>>,
): { seen: I[]; answer: (input: I) => Partial<O> } {
  const seen: I[] = [];
  return {
    seen,
    answer: (input: I) => {
      seen.push({ ...input });
      const token = (input as Record<string, unknown>)[tokenField];
      const page = pages[typeof token === "string" ? token : ""];
      if (!page) throw new Error(`no page for ${tokenField}=${String(token)}`);
      return page;
    },
  };
}
