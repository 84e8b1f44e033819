import { parseArgs } from "node:util";
import { checks } from "../checks/catalog";
import { configFromEnv } from "../config/load";
import type { VigilConfig } from "../config/schema";
import { FINDING_STATUSES, type FindingStatus } from "../findings/model";
import { runtimeFromEnv, type RuntimeOptions } from "../pipeline/environment";
import { catalogJson, catalogMarkdown } from "./catalog-view";
import { findingJson, findingsTable, sortFindings } from "./findings-view";
import { parseMode, replay } from "./replay";
import { scanCommand } from "./scan";
import { undo } from "./undo";
import { redriveCommand } from "./redrive";
import { approveCommand } from "./approve";

const USAGE = `Usage: npm run vigil -- <command>

  replay <files or folders...> [--mode auto|dry-run|off]   send EventBridge events through the Lambda path
  scan [--region R...] [--checks ID...] [--format table|json] [--fail-on SEVERITY] [--remediate]
                                                           sweep the account's resources (scan --help)
  findings [--json] [--status OPEN|REMEDIATED|RESOLVED|SUPPRESSED]
  undo <finding-id>                                        restore what a remediation removed
  redrive [--queue <name|url|arn>] [--dry-run] [--max N]   replay the dead-letter queues after a fix (redrive --help)
  approve <finding-id> [--as <name>]                       run a dry-run finding's planned remediation
  checks [--json | --markdown]                             print the catalog
  start                                                    replay events/ locally (no AWS) and list findings

Environment: AWS_REGION, AWS_ENDPOINT_URL, FINDINGS_TABLE, ALERT_TOPIC_ARN, SLACK_WEBHOOK_SECRET_ARN,
REMEDIATION_ROLE_ARN, VIGIL_CONFIG (JSON). With none set, the store is embedded under .vigil/,
alerts print here and remediation is dry-run.`;

const print = (line: string) => process.stdout.write(`${line}\n`);

async function withRuntime<T>(
  config: VigilConfig,
  options: RuntimeOptions,
  run: (owned: Awaited<ReturnType<typeof runtimeFromEnv>>) => Promise<T>,
): Promise<T> {
  const owned = await runtimeFromEnv(config, options);
  try {
    return await run(owned);
  } finally {
    await owned.close();
  }
}

function parseStatus(value: string | undefined): FindingStatus | undefined {
  if (value === undefined) return undefined;
  const status = value.toUpperCase();
  if (!(FINDING_STATUSES as readonly string[]).includes(status))
    throw new Error(`--status must be one of ${FINDING_STATUSES.join(", ")}`);
  return status as FindingStatus;
}

export async function main(argv: string[]): Promise<number> {
  // `scan` has options of its own (lists of Regions and checks): it parses its whole command line.
  if (argv[0] === "scan") return scanCommand(argv.slice(1), configFromEnv());
  // `redrive` has options of its own and needs no configuration: it works on the deployed queues and functions.
  if (argv[0] === "redrive") return redriveCommand(argv.slice(1), print);
  // `approve` has an option of its own (`--as`) and its own exit codes (2 for usage).
  if (argv[0] === "approve") return approveCommand(argv.slice(1), configFromEnv());
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      mode: { type: "string" },
      json: { type: "boolean", default: false },
      markdown: { type: "boolean", default: false },
      status: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command, ...args] = positionals;
  // Every command validates the configuration first: a bad VIGIL_CONFIG is reported before anything runs.
  const config = configFromEnv();
  if (!command || values.help) {
    print(USAGE);
    return command || values.help ? 0 : 2;
  }
  switch (command) {
    case "checks": {
      if (values.json) print(JSON.stringify(catalogJson(checks, config), null, 2));
      else print(catalogMarkdown(checks));
      return 0;
    }
    case "replay":
    case "start": {
      const paths = command === "start" ? ["events"] : args;
      if (!paths.length) throw new Error("replay needs files or folders of EventBridge events");
      const options: RuntimeOptions = { mode: parseMode(values.mode), offline: command === "start" };
      return withRuntime(config, options, async ({ runtime, description }) => {
        print(
          `Vigil: store ${description.store}; alerts ${description.notifiers.join(", ") || "none"}; remediation ${description.mode}${description.aws ? "" : " (no AWS settings: local only)"}`,
        );
        const summary = await replay(paths, runtime, print);
        if (command === "start") print(`\n${findingsTable(sortFindings(await runtime.store.list()))}`);
        return summary.failed ? 1 : 0;
      });
    }
    case "findings": {
      const status = parseStatus(values.status);
      return withRuntime(config, {}, async ({ runtime }) => {
        const found = sortFindings(await runtime.store.list(status ? { status } : undefined));
        print(values.json ? JSON.stringify(found.map(findingJson), null, 2) : findingsTable(found));
        return 0;
      });
    }
    case "undo": {
      const [id] = args;
      if (!id) throw new Error("undo needs a finding id (see `npm run vigil -- findings`)");
      return withRuntime(config, {}, async ({ runtime }) => {
        print(await undo(id, runtime));
        return 0;
      });
    }
    default:
      print(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // Exit once stdout is flushed: on a pipe, writes are asynchronous and process.exit would cut them
  // (`vigil checks --json | jq` lost everything after 64 KB).
  const exit = (code: number) => process.stdout.write("", () => process.exit(code));
  main(process.argv.slice(2)).then(exit, (error: unknown) => {
    process.stderr.write(`vigil: ${(error as Error).message}\n`);
    exit(1);
  });
}
