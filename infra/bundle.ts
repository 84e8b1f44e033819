import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Runtime } from "aws-cdk-lib/aws-lambda";
import { buildSync, type BuildOptions } from "esbuild";
import { CONFIG_FILE_NAME } from "../shared/config/load";
import type { VigilConfig } from "../shared/config/schema";

// ESM bundles have no `require`; some bundled CommonJS code still calls it for Node built-ins.
// The alias keeps the banner's import from clashing with a bundled `createRequire` import. esbuild
// puts the banner at the top of every output file, chunks included: each is a module of its own.
export const ESM_REQUIRE_SHIM =
  "import { createRequire as topLevelCreateRequire } from 'module'; const require = topLevelCreateRequire(import.meta.url);";

/** The handler file in a bundle, and the function's handler setting for it. */
export const BUNDLE_ENTRY_FILE = "index.mjs";
export const BUNDLE_HANDLER = "index.handler";
/** Where the chunks loaded on first use go, next to the handler file. */
export const BUNDLE_CHUNK_DIR = "chunks";

/** esbuild's target for a Lambda Node.js runtime: `nodejs24.x` is `node24`. */
export function nodeTarget(runtime: Runtime): string {
  const target = runtime.name.replace(/^nodejs(\d+)\.x$/, "node$1");
  if (target === runtime.name) throw new Error(`not a Node.js runtime: ${runtime.name}`);
  return target;
}

/**
 * How a Lambda handler is bundled; the stack and `npm run bench` both build with exactly this.
 * ESM, minified, with source maps, and the AWS SDK bundled too: tree-shaken and pinned by our
 * lockfile, not the runtime's copy. Code splitting turns every module that is only imported
 * dynamically (the SDK clients, through shared/aws/sdk.ts) into a chunk the handler loads on first
 * use, so an init loads only what every event needs. Output: `index.mjs` and `chunks/*.mjs`.
 */
export function lambdaBuildOptions(entry: string, outdir: string, runtime: Runtime): BuildOptions {
  return {
    entryPoints: [entry],
    outdir,
    entryNames: "index",
    chunkNames: `${BUNDLE_CHUNK_DIR}/[name]-[hash]`,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: nodeTarget(runtime),
    mainFields: ["module", "main"],
    minify: true,
    sourcemap: true,
    banner: { js: ESM_REQUIRE_SHIM },
  };
}

/**
 * Builds a handler's bundle with Vigil's validated configuration beside it as `vigil.config.json`,
 * which `configFromEnv` reads in Lambda (`LAMBDA_TASK_ROOT`). The configuration ships with the code,
 * not in an environment variable (4 KB for all of them): it can be as large as routing and per-OU
 * rules need, a change is a new asset (the hash is the output's) and so a deploy, and every function
 * of one deploy reads the same file.
 */
export function bundleFunction(entry: string, outdir: string, runtime: Runtime, config: VigilConfig): void {
  buildSync(lambdaBuildOptions(entry, outdir, runtime));
  writeFileSync(path.join(outdir, CONFIG_FILE_NAME), `${JSON.stringify(config, null, 2)}\n`);
}
