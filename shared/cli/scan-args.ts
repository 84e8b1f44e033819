import { parseArgs } from "node:util";
import { SEVERITIES, type Severity } from "../core/severity";

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const SCAN_FORMATS = ["table", "json", "asff", "ocsf", "html"] as const;
export type ScanFormat = (typeof SCAN_FORMATS)[number];

export const SCAN_EXPORTS = ["security-hub"] as const;
export type ScanExport = (typeof SCAN_EXPORTS)[number];

export interface ScanArgs {
  /** Empty: the SDK's default Region (AWS_REGION). */
  regions: string[];
  checkIds: string[];
  format: ScanFormat;
  output?: string;
  failOn?: Severity;
  remediate: boolean;
  account?: string;
  concurrency?: number;
  /** Where the report's findings are sent after the scan, with the same credentials. */
  export?: ScanExport;
  help: boolean;
}

export const SCAN_USAGE = `Usage: npm run vigil -- scan [options]

  --region R...        Regions to sweep (default: AWS_REGION); the first is home for global types
  --checks ID...       only these checks (e.g. EC2.13 S3.1)
  --format F           table (default) | json | asff | ocsf | html
  --output FILE        write the report to FILE instead of stdout
  --fail-on SEVERITY   exit 1 when an OPEN finding is at or above it (${SEVERITIES.join(", ")})
  --remediate          apply the configured remediation modes (default: report only, every mode off)
  --account ID         the account the credentials belong to (default: from the credentials)
  --concurrency N      units swept at once (default 4)
  --export TARGET      security-hub: send the findings to Security Hub after the scan (per account and Region)

--region and --checks take several values: --region eu-west-1 us-east-1, repeated, or comma-separated.
Exit codes: 0 done, 1 --fail-on matched, part of the sweep or of the export failed, 2 usage error.`;

/** Options that take several values: the words after them, until the next option, are theirs. */
const LISTS = new Set(["region", "checks"]);

export function parseScanArgs(argv: string[]): ScanArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const lists: Record<string, string[]> = { region: [], checks: [] };
  let list: string | undefined;
  for (const token of parsed.tokens) {
    if (token.kind === "option") {
      list = LISTS.has(token.name) ? token.name : undefined;
      if (list && token.value !== undefined) lists[list]?.push(token.value);
    } else if (token.kind === "positional") {
      if (!list) throw new UsageError(`unexpected argument "${token.value}"`);
      lists[list]?.push(token.value);
    } else {
      list = undefined; // `--` ends a list
    }
  }
  const split = (values: string[]) =>
    values
      .flatMap((v) => v.split(","))
      .map((v) => v.trim())
      .filter(Boolean);
  const { values } = parsed;
  return {
    regions: [...new Set(split(lists.region ?? []))].map(region),
    checkIds: [...new Set(split(lists.checks ?? []))],
    format: oneOf("--format", values.format ?? "table", SCAN_FORMATS),
    ...(values.output !== undefined ? { output: nonEmpty("--output", values.output) } : {}),
    ...(values["fail-on"] !== undefined
      ? { failOn: oneOf("--fail-on", values["fail-on"].toUpperCase(), SEVERITIES) }
      : {}),
    remediate: values.remediate === true,
    ...(values.account !== undefined ? { account: account(values.account) } : {}),
    ...(values.concurrency !== undefined
      ? { concurrency: positive("--concurrency", values.concurrency) }
      : {}),
    ...(values.export !== undefined ? { export: oneOf("--export", values.export, SCAN_EXPORTS) } : {}),
    help: values.help === true,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    tokens: true,
    options: {
      region: { type: "string", multiple: true },
      checks: { type: "string", multiple: true },
      format: { type: "string" },
      output: { type: "string" },
      "fail-on": { type: "string" },
      remediate: { type: "boolean" },
      account: { type: "string" },
      concurrency: { type: "string" },
      export: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value))
    throw new UsageError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
  return value as T;
}

function nonEmpty(flag: string, value: string): string {
  if (!value.trim()) throw new UsageError(`${flag} needs a value`);
  return value;
}

function region(value: string): string {
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(value))
    throw new UsageError(`--region: "${value}" is no AWS Region name`);
  return value;
}

function account(value: string): string {
  if (!/^\d{12}$/.test(value))
    throw new UsageError(`--account must be a 12-digit account id (got "${value}")`);
  return value;
}

function positive(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new UsageError(`${flag} must be an integer from 1 to 64`);
  return n;
}
