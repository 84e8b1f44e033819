import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { textTable } from "../../shared/cli/table";
import { measureBundles } from "./bundles";
import { measureEvaluation } from "./evaluation";
import { measureExposure } from "./exposure";
import { measureMixedEvaluation } from "./mixed-evaluation";

/**
 * `npm run bench`: speed and size, measured (never asserted in tests). Prints tables, writes
 * `test/bench/results/latest.json`, and compares with the previous run when there is one.
 */
const RESULTS = join(import.meta.dirname, "results");
const LATEST = join(RESULTS, "latest.json");
const quick = process.argv.includes("--quick");

type Metrics = Record<string, number>;

const previous: Metrics | undefined = existsSync(LATEST)
  ? (JSON.parse(await readFile(LATEST, "utf8")) as { metrics: Metrics }).metrics
  : undefined;
const metrics: Metrics = {};
const print = (line = "") => process.stdout.write(`${line}\n`);
const fmt = (n: number, digits = 1) => n.toFixed(digits);

print("Bundles (as the stack builds them: esbuild ESM, minified, AWS SDK bundled, split into chunks)");
const bundles = await measureBundles(
  ["functions/cloudtrail-event.ts", "functions/config-change.ts", "functions/service-event.ts"],
  quick ? 3 : 7,
);
print(
  textTable(
    [
      "ENTRY",
      "INIT KB",
      "TOTAL KB",
      "FILES",
      "COLD LOAD MS",
      "+STORE MS",
      "+EC2 MS",
      "+ECR/ECS MS",
      "+ALERT MS",
    ],
    bundles.map((b) => [
      b.entry,
      fmt(b.initBytes / 1024),
      fmt(b.totalBytes / 1024),
      String(b.files),
      fmt(b.coldStartMs),
      fmt(b.firstUseMs.store),
      fmt(b.firstUseMs.ec2),
      fmt(b.firstUseMs.containers),
      fmt(b.firstUseMs.alert),
    ]),
  ),
);
print(
  "INIT: the handler file and the chunks it imports, loaded at init. +X: loading added by the first " +
    "use of the findings store (every processed event), EC2 (first security-group violation), ECR and ECS " +
    "(first container event that reads them), alert notifiers.",
);
print(
  textTable(
    ["ENTRY", "AWS SDK AT INIT", "AWS SDK ON FIRST USE"],
    bundles.map((b) => [b.entry, b.initSdk.join(" ") || "(none)", b.lazySdk.join(" ")]),
  ),
);
for (const b of bundles) {
  metrics[`bundle.${b.entry}.initKb`] = b.initBytes / 1024;
  metrics[`bundle.${b.entry}.totalKb`] = b.totalBytes / 1024;
  metrics[`coldLoad.${b.entry}.ms`] = b.coldStartMs;
  for (const [use, ms] of Object.entries(b.firstUseMs)) metrics[`firstUse.${b.entry}.${use}.ms`] = ms;
}

print("\nExposure window: world-open SSH event, handler start to revoke answered (local endpoint)");
const rows: string[][] = [];
for (const latencyMs of [0, 20]) {
  const { exposure, throughput } = await measureExposure(latencyMs, quick ? 10 : 40);
  rows.push([
    String(latencyMs),
    fmt(exposure.medianToRevokeMs),
    fmt(exposure.p95ToRevokeMs),
    fmt(exposure.medianHandlerMs),
    String(exposure.ec2CallsBeforeRevoke),
    String(exposure.callsBeforeRevoke),
    fmt(throughput.eventsPerSecond),
  ]);
  metrics[`exposure.latency${latencyMs}.medianToRevokeMs`] = exposure.medianToRevokeMs;
  metrics[`handler.latency${latencyMs}.medianMs`] = exposure.medianHandlerMs;
  metrics[`throughput.latency${latencyMs}.eventsPerSecond`] = throughput.eventsPerSecond;
}
print(
  textTable(
    [
      "LATENCY MS",
      "TO REVOKE MEDIAN",
      "P95",
      "HANDLER MEDIAN",
      "EC2 CALLS BEFORE REVOKE",
      "ALL CALLS BEFORE",
      "EVENTS/S",
    ],
    rows,
  ),
);

print("\nEvaluation only (all checks, 20 rules per group)");
const evaluations = (quick ? [10_000] : [10_000, 100_000]).map((n) => measureEvaluation(n));
print(
  textTable(
    ["GROUPS", "GROUPS/S", "HEAP MB"],
    evaluations.map((e) => [String(e.resources), fmt(e.resourcesPerSecond, 0), fmt(e.heapUsedMb)]),
  ),
);
for (const e of evaluations) metrics[`evaluation.${e.resources}.perSecond`] = e.resourcesPerSecond;

print("\nEvaluation only, every resource type (cloned from the real-shape Config items under events/)");
const mixed = [10_000, 100_000].map((n) => measureMixedEvaluation(n));
print(
  textTable(
    ["RESOURCES", "TYPES", "RESOURCES/S", "HEAP MB"],
    mixed.map((e) => [
      String(e.resources),
      String(e.resourceTypes),
      fmt(e.resourcesPerSecond, 0),
      fmt(e.heapUsedMb),
    ]),
  ),
);
for (const e of mixed) metrics[`evaluation.mixed.${e.resources}.perSecond`] = e.resourcesPerSecond;

if (previous) {
  print("\nAgainst the previous run (ratio now / before)");
  const shared = Object.keys(metrics).filter((k) => previous[k] !== undefined);
  print(
    textTable(
      ["METRIC", "BEFORE", "NOW", "RATIO"],
      shared.map((k) => [
        k,
        fmt(previous[k] ?? 0),
        fmt(metrics[k] ?? 0),
        fmt((metrics[k] ?? 0) / (previous[k] ?? 1), 2),
      ]),
    ),
  );
}
await mkdir(RESULTS, { recursive: true });
await writeFile(
  LATEST,
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, metrics }, null, 2)}\n`,
);
print(`\nWrote ${LATEST}`);
process.exit(0);
