import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildVigilApp } from "../../infra/build-app";
import { DEFAULT_CONFIG_FILE, readVigilContext } from "../../infra/context";
import { ConfigError, readConfigFile } from "../../shared/config/load";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (context: Record<string, unknown>) => readVigilContext(new App({ context }).node);
const badConfig = { authorizedPorts: { tcp: ["http"] }, minNotifySeverity: "SEVERE" };

let dir: string;
const file = (name: string, content: unknown) => {
  const target = path.join(dir, name);
  writeFileSync(target, typeof content === "string" ? content : JSON.stringify(content));
  return target;
};
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "vigil-context-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (caught) {
    expect(caught).toBeInstanceOf(ConfigError);
    return caught as ConfigError;
  }
  throw new Error("expected a ConfigError");
};

describe("readVigilContext", () => {
  it("reads vigil.config.json at the repository root by default", () => {
    expect(DEFAULT_CONFIG_FILE).toBe(path.join(REPO_ROOT, "vigil.config.json"));
    expect(read({})).toEqual({
      config: readConfigFile(DEFAULT_CONFIG_FILE),
      configFile: DEFAULT_CONFIG_FILE,
    });
  });

  it("reads the file named by -c vigilConfigFile=<path>", () => {
    const configFile = file("team.json", { modes: { "EC2.18": "dry-run" } });
    const context = read({ vigilConfigFile: configFile });
    expect(context.configFile).toBe(configFile);
    expect(context.config.modes).toEqual({ "EC2.18": "dry-run" });
  });

  it("rejects an invalid file, naming the file and every bad path", () => {
    const configFile = file("bad.json", badConfig);
    const message = errorOf(() => read({ vigilConfigFile: configFile })).message;
    expect(message).toMatch(/^Invalid Vigil configuration file .*bad\.json:/);
    expect(message).toContain("authorizedPorts.tcp");
    expect(message).toContain("minNotifySeverity");
  });

  it("rejects a file that is not JSON, or is missing", () => {
    expect(() => read({ vigilConfigFile: file("broken.json", "{modes: 1") })).toThrow(
      /broken\.json: not valid JSON/,
    );
    expect(() => read({ vigilConfigFile: path.join(dir, "nowhere.json") })).toThrow(
      /nowhere\.json cannot be read/,
    );
  });

  it("refuses the old vigilConfig context: the file is the one source of truth", () => {
    const message = errorOf(() => read({ vigilConfig: { modes: { "EC2.18": "dry-run" } } })).message;
    expect(message).toMatch(
      /CDK context "vigilConfig" is no longer read: move its settings into vigil\.config\.json/,
    );
  });

  it("rejects a remediationRoleArn: the stack owns its remediation role", () => {
    const configFile = file("role.json", { remediationRoleArn: "arn:aws:iam::111122223333:role/other" });
    expect(() => read({ vigilConfigFile: configFile })).toThrow(/remediationRoleArn is set by the stack/);
  });

  it("accepts a configuration larger than a Lambda environment variable could hold (it ships in the bundle)", () => {
    const exemptions = Array.from({ length: 60 }, (_, i) => ({
      checks: "*",
      resourceIds: [`sg-${i}`],
      reason: "x".repeat(40),
    }));
    const configFile = file("large.json", { exemptions });
    expect(read({ vigilConfigFile: configFile }).config.exemptions).toHaveLength(60);
  });

  it("takes an optional alertEmail and rejects one that is not an address", () => {
    expect(read({ alertEmail: "secops@example.com" }).alertEmail).toBe("secops@example.com");
    expect(read({ alertEmail: "" }).alertEmail).toBeUndefined();
    expect(() => read({ alertEmail: "secops" })).toThrow(/alertEmail/);
  });
});

describe("an invalid configuration file", () => {
  it("fails building the app", () => {
    const app = new App({ context: { vigilConfigFile: file("app.json", badConfig) } });
    expect(() => buildVigilApp(app)).toThrow(ConfigError);
  });

  it("fails `cdk synth` (the app entry point) with the file, the paths and no stack trace", () => {
    const configFile = file("synth.json", badConfig);
    const result = spawnSync(path.join(REPO_ROOT, "node_modules/.bin/tsx"), ["infra/app.ts"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ vigilConfigFile: configFile }) },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `Invalid Vigil configuration file ${path.relative(REPO_ROOT, configFile)}`,
    );
    expect(result.stderr).toContain("authorizedPorts.tcp");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
