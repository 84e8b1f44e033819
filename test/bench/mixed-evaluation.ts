import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { checks } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import { classifyEvent } from "../../shared/events/intake";
import { runChecks } from "../../shared/pipeline/evaluate";
import type { Observation } from "../../shared/resources/adapter";
import { adapterFor } from "../../shared/resources/catalog";

export interface MixedEvaluationMeasure {
  resources: number;
  resourceTypes: number;
  resourcesPerSecond: number;
  heapUsedMb: number;
}

const EVENTS = join(import.meta.dirname, "..", "..", "events");
const config = parseConfig({});

/**
 * The whole-resource states of every resource type that has a real-shape Config item under
 * `events/`, as the adapters build them: the mix a sweep hands to the checks.
 */
function templates(): Observation[] {
  const files = readdirSync(EVENTS, { recursive: true, encoding: "utf8" }).filter(
    (f) => f.endsWith(".json") && !f.startsWith("invalid"),
  );
  const found: Observation[] = [];
  for (const file of files) {
    const raw: unknown = JSON.parse(readFileSync(join(EVENTS, file), "utf8"));
    const intake = classifyEvent(raw, checks, config);
    if (intake.kind !== "config" || intake.detail.messageType !== "ConfigurationItemChangeNotification")
      continue;
    try {
      const observation = adapterFor(intake.resourceType)?.fromConfigItem(intake.detail.configurationItem);
      if (observation?.state) found.push(observation);
    } catch {
      // A sample made to be rejected: not a resource to measure.
    }
  }
  return found;
}

/** Checks only, over `count` resources cloned round-robin from every type's real-shape state. */
export function measureMixedEvaluation(count: number): MixedEvaluationMeasure {
  const base = templates();
  if (!base.length) throw new Error("no Config item samples under events/: nothing to measure");
  const resources = Array.from({ length: count }, (_, i): Observation => {
    const template = base[i % base.length] as Observation;
    return { ...template, resource: { ...template.resource, id: `${template.resource.id}-${i}` } };
  });
  const context = { config };
  const started = performance.now();
  let evaluated = 0;
  for (const observation of resources) evaluated += runChecks(observation, checks, context).length;
  const seconds = (performance.now() - started) / 1000;
  if (!evaluated)
    throw new Error("no check applied to the synthetic resources: the benchmark measures nothing");
  return {
    resources: count,
    resourceTypes: new Set(base.map((o) => o.resource.type)).size,
    resourcesPerSecond: count / seconds,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
}
