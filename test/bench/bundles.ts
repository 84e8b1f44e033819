import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { build } from "esbuild";

const run = promisify(execFile);

export interface BundleMeasure {
  entry: string;
  bytes: number;
  /** AWS SDK client packages that end up in the bundle. */
  sdkClients: string[];
  /** Median ms from a fresh Node process to the module (and its handler) being loaded. */
  coldStartMs: number;
}

/** Bundles an entry point the way the stack does (ESM, minified, SDK bundled and tree-shaken). */
async function bundle(entry: string, outdir: string) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node22",
    mainFields: ["module", "main"],
    outdir,
    outExtension: { ".js": ".mjs" },
    metafile: true,
    logLevel: "silent",
    banner: {
      js: "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);",
    },
  });
  const inputs = Object.keys(result.metafile.inputs);
  const sdkClients = [
    ...new Set(
      inputs.map((i) => /@aws-sdk\/(client-[a-z0-9-]+)/.exec(i)?.[1]).filter((c): c is string => !!c),
    ),
  ].sort();
  return { sdkClients };
}

async function coldStart(file: string, runs: number): Promise<number> {
  const script = `const t=performance.now();const m=await import(${JSON.stringify(file)});if(typeof m.handler!=="function")throw new Error("no handler");console.log(performance.now()-t)`;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
      env: { PATH: process.env.PATH, AWS_REGION: "us-east-1", POWERTOOLS_LOG_LEVEL: "SILENT" },
    });
    times.push(Number(stdout.trim()));
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

export async function measureBundles(entries: string[], runs = 7): Promise<BundleMeasure[]> {
  const outdir = await mkdtemp(join(tmpdir(), "vigil-bench-"));
  const measures: BundleMeasure[] = [];
  for (const entry of entries) {
    const name = entry.replace(/^functions\//, "").replace(/\.ts$/, "");
    const dir = join(outdir, name);
    const { sdkClients } = await bundle(entry, dir);
    const file = join(dir, `${name}.mjs`);
    const bytes = (await readFile(file)).byteLength;
    await writeFile(join(dir, "package.json"), '{"type":"module"}');
    measures.push({ entry, bytes, sdkClients, coldStartMs: await coldStart(file, runs) });
  }
  return measures;
}
