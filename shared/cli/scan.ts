import { writeFile } from "node:fs/promises";
import { sweepReadClients, sweepRemediationClients } from "../aws/clients";
import { checks as catalog } from "../checks/catalog";
import type { VigilConfig } from "../config/schema";
import { runtimeFromEnv } from "../pipeline/environment";
import type { VigilRuntime } from "../pipeline/runtime";
import { collectors } from "../sweep/collectors";
import type { ScanReport } from "../sweep/report";
import { planUnits, runSweep } from "../sweep/sweep";
import { accountFromCredentials } from "./scan-account";
import { exportScanReport } from "./scan-export";
import { parseScanArgs, SCAN_USAGE, UsageError, type ScanArgs, type ScanFormat } from "./scan-args";
import { stderrLogger } from "./scan-logger";
import { scanProgress } from "./scan-progress";
import { failsOn, scanSummary } from "./scan-summary";

export interface ScanIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

type Formatter = (report: ScanReport) => string;

/** Each format loaded only when asked for (undefined: a format not written yet). */
const FORMATS: Record<ScanFormat, (() => Promise<Formatter>) | undefined> = {
  table: async () => scanSummary,
  json: async () => (report) => JSON.stringify(report, null, 2),
  asff: async () => {
    const { formatAsff } = await import("../outputs/asff");
    return (report) => formatAsff(report);
  },
  ocsf: async () => (await import("../outputs/ocsf")).formatOcsf,
  html: async () => {
    const { formatHtml } = await import("../outputs/html");
    return (report) => formatHtml(report);
  },
};

/**
 * `vigil scan`: sweeps the account's resources in the given Regions through the event path's
 * checks, records findings (and closes those of resources gone), prints the report. Report only
 * unless `--remediate`: every remediation mode is forced to `off` and no write clients exist.
 * Returns the exit code: 0, 1 (`--fail-on` matched or units failed), 2 (usage).
 */
export async function scanCommand(
  argv: string[],
  config: VigilConfig,
  io: ScanIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  try {
    return await scan(argv, config, io);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`vigil scan: ${error.message}\n\n${SCAN_USAGE}\n`);
    return 2;
  }
}

async function scan(argv: string[], config: VigilConfig, io: ScanIo): Promise<number> {
  const args = parseScanArgs(argv);
  if (args.help) {
    io.stdout.write(`${SCAN_USAGE}\n`);
    return 0;
  }
  const loadFormatter = FORMATS[args.format];
  if (!loadFormatter) throw new UsageError(`--format ${args.format} is not available yet`);
  const formatter = await loadFormatter();
  const resourceTypes = typesToSweep(args, io);
  const regions = args.regions.length ? args.regions : [io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? ""];
  if (!regions[0]) throw new UsageError("no Region: pass --region or set AWS_REGION");

  const logger = stderrLogger(io.stderr, io.env.POWERTOOLS_LOG_LEVEL);
  // Report only unless asked: every mode `off`, whatever VIGIL_CONFIG or the checks' defaults say.
  const effective: VigilConfig = args.remediate ? config : { ...config, modeOverride: "off" };
  const owned = await runtimeFromEnv(effective, {
    env: io.env,
    ...(args.remediate ? {} : { mode: "off" }),
    out: io.stderr,
    logger,
  });
  try {
    const base: VigilRuntime = { ...owned.runtime, config: effective, logger };
    const runtimes = new Map<string, VigilRuntime>();
    const runtimeFor = (region: string) => {
      let rt = runtimes.get(region);
      if (!rt) {
        rt = regionalRuntime(base, region, args.remediate, io.env);
        runtimes.set(region, rt);
      }
      return rt;
    };
    const home = runtimeFor(regions[0]);
    const account = args.account ?? (home.readClients && (await accountFromCredentials(home.readClients)));
    if (!account)
      throw new UsageError(
        "cannot tell which account the credentials belong to: pass --account <12-digit id> or set AWS_ACCOUNT_ID",
      );
    const units = planUnits({ account, regions, collectors, ...(resourceTypes ? { resourceTypes } : {}) });
    if (!units.length)
      throw new UsageError("nothing to sweep: no collector lists the resource types of --checks yet");

    io.stderr.write(
      `Vigil scan: account ${account}, ${regions.join(", ")}, ${units.length} units; store ${owned.description.store}; ` +
        `${args.remediate ? "remediation as configured" : "report only (remediation off)"}\n`,
    );
    const progress = scanProgress(io.stderr);
    const report = await runSweep({
      units,
      collectors,
      runtimeFor,
      ...(args.checkIds.length ? { checkIds: args.checkIds } : {}),
      ...(args.concurrency ? { concurrency: args.concurrency } : {}),
      onUnitDone: progress.unitDone,
    });
    progress.finish();

    const text = formatter(report);
    if (args.output) {
      await writeFile(args.output, text.endsWith("\n") ? text : `${text}\n`);
      io.stderr.write(`report written to ${args.output}\n`);
    } else {
      io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    }
    const failedUnits = report.units.filter((u) => u.outcome === "failed").length;
    if (failedUnits) io.stderr.write(`vigil scan: ${failedUnits} of ${report.units.length} units failed\n`);
    const tripped = failsOn(report, args.failOn);
    if (tripped) io.stderr.write(`vigil scan: open findings at or above ${args.failOn}\n`);
    const exported = args.export
      ? await exportScanReport(args.export, report, { homeRegion: regions[0], stderr: io.stderr, logger })
      : true;
    return tripped || failedUnits || !exported ? 1 : 0;
  } finally {
    await owned.close();
  }
}

/** The resource types `--checks` needs (undefined: all), after checking the ids exist. */
function typesToSweep(args: ScanArgs, io: ScanIo): string[] | undefined {
  if (!args.checkIds.length) return undefined;
  const unknown = args.checkIds.filter((id) => !catalog.some((c) => c.id === id));
  if (unknown.length)
    throw new UsageError(`unknown check id(s): ${unknown.join(", ")} (see \`vigil checks\`)`);
  const types = [...new Set(catalog.filter((c) => args.checkIds.includes(c.id)).map((c) => c.resourceType))];
  const swept = new Set(collectors.map((c) => c.resourceType));
  for (const type of types.filter((t) => !swept.has(t))) {
    const ids = catalog
      .filter((c) => c.resourceType === type && args.checkIds.includes(c.id))
      .map((c) => c.id);
    io.stderr.write(`vigil scan: not swept (no collector for ${type} yet): ${ids.join(", ")}\n`);
  }
  return types;
}

/**
 * The runtime for one Region: the shared store, notifiers and config, with clients addressing
 * the Region. Remediation clients exist only with `--remediate` (with the remediation role when
 * VIGIL_ASSUME_REMEDIATION_ROLE=true, as the Lambda functions run).
 */
function regionalRuntime(
  base: VigilRuntime,
  region: string,
  remediate: boolean,
  env: NodeJS.ProcessEnv,
): VigilRuntime {
  const reads = sweepReadClients(region);
  const role = env.VIGIL_ASSUME_REMEDIATION_ROLE === "true" ? base.config.remediationRoleArn : undefined;
  return {
    ...base,
    readClients: reads,
    remediationClients: remediate
      ? { ...sweepRemediationClients(role, region, reads), logger: base.logger }
      : undefined,
    configService: reads.configService,
  };
}
