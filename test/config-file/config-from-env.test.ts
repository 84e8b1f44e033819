import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ConfigError,
  configFromEnv,
  configSource,
  parseConfig,
  readConfigFile,
} from "../../shared/config/load";

const MODES = { modes: { "EC2.18": "off" } };

describe("configFromEnv: where the configuration comes from", () => {
  let dir: string;
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
    return file;
  };
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "vigil-config-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("VIGIL_CONFIG wins over every file (tests, one-off CLI runs)", () => {
    write("vigil.config.json", { modes: { "EC2.19": "off" } });
    const config = configFromEnv({ VIGIL_CONFIG: JSON.stringify(MODES), LAMBDA_TASK_ROOT: dir }, dir);
    expect(config.modes).toEqual({ "EC2.18": "off" });
  });

  it("in Lambda reads vigil.config.json from the bundle (LAMBDA_TASK_ROOT)", () => {
    write("vigil.config.json", MODES);
    expect(configFromEnv({ LAMBDA_TASK_ROOT: dir }, "/").modes).toEqual({ "EC2.18": "off" });
  });

  it("in Lambda a bundle without the file fails init, never falls back to the defaults", () => {
    expect(() => configFromEnv({ LAMBDA_TASK_ROOT: dir }, "/")).toThrow(
      /Vigil configuration file .*vigil\.config\.json cannot be read/,
    );
  });

  it("VIGIL_CONFIG_FILE names a file (relative to the working directory); it must exist", () => {
    write("team.json", MODES);
    expect(configFromEnv({ VIGIL_CONFIG_FILE: "team.json" }, dir).modes).toEqual({ "EC2.18": "off" });
    expect(() => configFromEnv({ VIGIL_CONFIG_FILE: "missing.json" }, dir)).toThrow(
      /missing\.json cannot be read/,
    );
  });

  it("the CLI reads ./vigil.config.json when there is one, else the defaults", () => {
    expect(configSource({}, dir)).toEqual({ kind: "defaults" });
    expect(configFromEnv({}, dir)).toEqual(parseConfig({}));
    write("vigil.config.json", { $schema: "./vigil.config.schema.json", ...MODES });
    expect(configSource({}, dir)).toEqual({ kind: "file", file: path.join(dir, "vigil.config.json") });
    expect(configFromEnv({}, dir).modes).toEqual({ "EC2.18": "off" });
  });

  it("REMEDIATION_ROLE_ARN fills the loop-guard role when the file doesn't name one", () => {
    write("vigil.config.json", MODES);
    const role = "arn:aws:iam::111122223333:role/vigil-remediation-us-east-1";
    expect(configFromEnv({ LAMBDA_TASK_ROOT: dir, REMEDIATION_ROLE_ARN: role }, "/")).toMatchObject({
      remediationRoleArn: role,
      modes: { "EC2.18": "off" },
    });
  });

  it("a bad file: the error names the file and every bad path", () => {
    const file = write("vigil.config.json", {
      authorizedPorts: { tcp: ["http"] },
      minNotifySeverity: "SEVERE",
    });
    const error = (() => {
      try {
        configFromEnv({}, dir);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("expected a ConfigError");
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^Invalid Vigil configuration file vigil\.config\.json:/);
    expect(error.message).toContain("→ at authorizedPorts.tcp[0]");
    expect(error.message).toContain("→ at minNotifySeverity");
    write("vigil.config.json", "{ modes: }");
    expect(() => readConfigFile(file, "vigil.config.json")).toThrow(
      /^Invalid Vigil configuration file vigil\.config\.json: not valid JSON/,
    );
  });
});
