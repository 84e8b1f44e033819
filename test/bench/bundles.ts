import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { build, type Metafile } from "esbuild";
import { BUNDLE_ENTRY_FILE, lambdaBuildOptions } from "../../infra/bundle";
import { LAMBDA_RUNTIME } from "../../infra/detection-function";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "..", "..");

/**
 * What a first use loads on top of init, in the order a function meets them: the findings store
 * (every processed event), EC2 (a security-group violation: tag read, revoke), ECR and ECS (a
 * container event: image manifest, scan results, task definitions), then the alert notifiers.
 * Each is the chunks of modules the code only imports dynamically.
 */
const FIRST_USES = {
  store: ["shared/aws/dynamodb-api.ts", "shared/findings/dynamo-store.ts"],
  ec2: ["shared/aws/ec2-api.ts"],
  containers: ["shared/aws/ecr-api.ts", "shared/aws/ecs-api.ts"],
  alert: [
    "shared/aws/sns-api.ts",
    "shared/notifiers/sns.ts",
    "shared/aws/secrets-manager-api.ts",
    "shared/notifiers/slack.ts",
    "shared/notifiers/secret-value.ts",
  ],
} as const;
type FirstUse = keyof typeof FIRST_USES;

export interface BundleMeasure {
  entry: string;
  /** The handler file and the chunks it imports statically: what Lambda loads at init. */
  initBytes: number;
  /** Every output file (chunks loaded on first use included), source maps excluded. */
  totalBytes: number;
  files: number;
  /** AWS SDK clients (and `credential-providers`) loaded at init. */
  initSdk: string[];
  /** AWS SDK clients (and `credential-providers`) only in chunks loaded on first use. */
  lazySdk: string[];
  /** Median ms from a fresh Node process to the handler module (and its static imports) loaded. */
  coldStartMs: number;
  /** Median ms each first use adds after init, in FIRST_USES order (module loading only, no calls). */
  firstUseMs: Record<FirstUse, number>;
}

/** `client-ec2` for an input of `@aws-sdk/client-ec2`; likewise `credential-providers`. */
function sdkPackage(input: string): string | undefined {
  return /@aws-sdk\/(client-[a-z0-9-]+|credential-providers)\//.exec(input)?.[1];
}

/** The output files a set of outputs load statically, themselves included. */
function staticClosure(metafile: Metafile, roots: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of metafile.outputs[file]?.imports ?? []) {
      if (imported.kind === "import-statement" && !imported.external) visit(imported.path);
    }
  };
  roots.forEach(visit);
  return seen;
}

function sdkIn(metafile: Metafile, files: Iterable<string>): string[] {
  const found = new Set<string>();
  for (const file of files) {
    for (const input of Object.keys(metafile.outputs[file]?.inputs ?? {})) {
      const name = sdkPackage(input);
      if (name) found.add(name);
    }
  }
  return [...found].sort();
}

/**
 * Loads the handler file in a fresh process, then each first use's chunks in order; prints the
 * milliseconds of each step as JSON.
 */
const PROBE = `
const [main, groups] = JSON.parse(process.argv[1]);
let t = performance.now();
const m = await import(main);
if (typeof m.handler !== "function") throw new Error("no handler");
const times = [performance.now() - t];
for (const files of groups) {
  t = performance.now();
  await Promise.all(files.map((file) => import(file)));
  times.push(performance.now() - t);
}
console.log(JSON.stringify(times));
`;

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function probe(main: string, groups: string[][], runs: number): Promise<number[]> {
  const samples: number[][] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(
      process.execPath,
      ["--input-type=module", "-e", PROBE, JSON.stringify([main, groups])],
      { env: { PATH: process.env.PATH, AWS_REGION: "us-east-1", POWERTOOLS_LOG_LEVEL: "SILENT" } },
    );
    samples.push(JSON.parse(stdout) as number[]);
  }
  return (samples[0] ?? []).map((_, step) => median(samples.map((sample) => sample[step] ?? Number.NaN)));
}

/** Bundles each entry exactly as the stack does (infra/bundle.ts) and measures size and load time. */
export async function measureBundles(entries: string[], runs = 7): Promise<BundleMeasure[]> {
  const outroot = await mkdtemp(join(tmpdir(), "vigil-bench-"));
  const measures: BundleMeasure[] = [];
  try {
    for (const entry of entries) {
      const outdir = join(outroot, entry.replace(/^functions\//, "").replace(/\.ts$/, ""));
      const { metafile } = await build({
        ...lambdaBuildOptions(join(ROOT, entry), outdir, LAMBDA_RUNTIME),
        absWorkingDir: ROOT,
        metafile: true,
        logLevel: "silent",
      });
      // Metafile paths are relative to the working directory.
      const out = (file: string) => relative(ROOT, join(outdir, file));
      const code = Object.keys(metafile.outputs).filter((file) => !file.endsWith(".map"));
      const init = staticClosure(metafile, [out(BUNDLE_ENTRY_FILE)]);
      const lazy = code.filter((file) => !init.has(file));
      const bytes = (files: Iterable<string>) =>
        [...files].reduce((sum, file) => sum + (metafile.outputs[file]?.bytes ?? 0), 0);

      const uses = Object.keys(FIRST_USES) as FirstUse[];
      const groups = uses.map((use) =>
        code
          .filter((file) =>
            (FIRST_USES[use] as readonly string[]).includes(metafile.outputs[file]?.entryPoint ?? ""),
          )
          .map((file) => join(ROOT, file)),
      );
      const [coldStartMs = Number.NaN, ...firstUse] = await probe(
        join(outdir, BUNDLE_ENTRY_FILE),
        groups,
        runs,
      );
      measures.push({
        entry,
        initBytes: bytes(init),
        totalBytes: bytes(code),
        files: code.length,
        initSdk: sdkIn(metafile, init),
        lazySdk: sdkIn(metafile, lazy).filter((name) => !sdkIn(metafile, init).includes(name)),
        coldStartMs,
        firstUseMs: Object.fromEntries(uses.map((use, i) => [use, firstUse[i] ?? Number.NaN])) as Record<
          FirstUse,
          number
        >,
      });
    }
  } finally {
    await rm(outroot, { recursive: true, force: true });
  }
  return measures;
}
