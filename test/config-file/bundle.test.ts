import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUNDLE_ENTRY_FILE, bundleFunction } from "../../infra/bundle";
import { LAMBDA_RUNTIME } from "../../infra/detection-function";
import { parseConfig } from "../../shared/config/load";

const ENTRY = fileURLToPath(new URL("fixtures/config-handler.ts", import.meta.url));
const config = parseConfig({
  modes: { "EC2.18": "off" },
  accounts: [{ organizationalUnits: ["ou-ab12-sbox0001"], modeOverride: "dry-run", reason: "sandboxes" }],
});

/** Loads the bundle in a fresh Node.js process the way Lambda does: cwd and LAMBDA_TASK_ROOT are the bundle. */
function invoke(outdir: string) {
  const script = `import(${JSON.stringify(pathToFileURL(path.join(outdir, BUNDLE_ENTRY_FILE)).href)}).then((m) => m.handler()).then((r) => console.log(JSON.stringify(r)))`;
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, LAMBDA_TASK_ROOT: outdir };
  return spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    cwd: outdir,
    env,
    encoding: "utf8",
  });
}

describe("bundleFunction: the configuration ships inside each function's bundle", () => {
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), "vigil-bundle-config-"));
    bundleFunction(ENTRY, outdir, LAMBDA_RUNTIME, config);
  }, 120_000);
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it("writes the validated, defaulted configuration as vigil.config.json beside the handler", () => {
    expect(existsSync(path.join(outdir, BUNDLE_ENTRY_FILE))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(outdir, "vigil.config.json"), "utf8"))).toEqual(config);
  });

  it("the bundled handler reads it at init, with no VIGIL_CONFIG in the environment", () => {
    const result = invoke(outdir);
    expect(result.stderr).not.toMatch(/Error/);
    expect(JSON.parse(result.stdout)).toEqual({ modes: config.modes, accounts: config.accounts });
  });

  it("without the file the handler's init fails instead of running on the defaults", () => {
    rmSync(path.join(outdir, "vigil.config.json"));
    const result = invoke(outdir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/vigil\.config\.json cannot be read/);
  });
});
