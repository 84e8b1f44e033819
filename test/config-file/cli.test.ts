import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** `vigil checks --json` run in `cwd`; stdout goes to a file (the catalog is larger than a pipe's buffer). */
function checksIn(cwd: string, env: NodeJS.ProcessEnv = {}) {
  const out = path.join(cwd, "out.json");
  const fd = openSync(out, "w");
  const { VIGIL_CONFIG: _unset, ...inherited } = process.env;
  const result = spawnSync(
    path.join(ROOT, "node_modules/.bin/tsx"),
    [path.join(ROOT, "shared/cli/main.ts"), "checks", "--json"],
    {
      cwd,
      env: { ...inherited, POWERTOOLS_LOG_LEVEL: "CRITICAL", ...env },
      stdio: ["ignore", fd, "pipe"],
      encoding: "utf8",
    },
  );
  closeSync(fd);
  return {
    ...result,
    modeOf: (id: string) =>
      (JSON.parse(readFileSync(out, "utf8")) as { id: string; remediation?: { mode: string } }[]).find(
        (c) => c.id === id,
      )?.remediation?.mode,
  };
}

describe("the CLI reads ./vigil.config.json when VIGIL_CONFIG is unset", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-cli-config-"));
    writeFileSync(path.join(dir, "vigil.config.json"), JSON.stringify({ modes: { "EC2.18": "off" } }));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("takes the modes from the file in the working directory", () => {
    const result = checksIn(dir);
    expect(result.status).toBe(0);
    expect(result.modeOf("EC2.18")).toBe("off");
  });

  it("VIGIL_CONFIG still wins", () => {
    const result = checksIn(dir, { VIGIL_CONFIG: JSON.stringify({ modes: { "EC2.18": "auto" } }) });
    expect(result.modeOf("EC2.18")).toBe("auto");
  });

  it("a bad file stops the CLI with the file and the path", () => {
    writeFileSync(path.join(dir, "vigil.config.json"), JSON.stringify({ modes: { "EC2.18": "sometimes" } }));
    const result = checksIn(dir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(
      /Invalid Vigil configuration file vigil\.config\.json:[\s\S]*→ at modes\["EC2\.18"\]/,
    );
  });
});
