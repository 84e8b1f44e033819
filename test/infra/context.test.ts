import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App } from "aws-cdk-lib";
import { describe, expect, it } from "vitest";
import { buildVigilApp } from "../../infra/build-app";
import { readVigilContext } from "../../infra/context";
import { ConfigError, parseConfig } from "../../shared/config/load";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const read = (context: Record<string, unknown>) => readVigilContext(new App({ context }).node);
const badConfig = { authorizedPorts: { tcp: ["http"] }, minNotifySeverity: "SEVERE" };

describe("readVigilContext", () => {
  it("defaults everything when no context is given", () => {
    expect(read({})).toEqual({ config: parseConfig({}) });
  });

  it("accepts vigilConfig as an object (cdk.json) or a JSON string (-c)", () => {
    const input = { modes: { "EC2.18": "dry-run" } };
    expect(read({ vigilConfig: input }).config).toEqual(parseConfig(input));
    expect(read({ vigilConfig: JSON.stringify(input) }).config).toEqual(parseConfig(input));
  });

  it("rejects an invalid config with every problem and its path", () => {
    const error = (() => {
      try {
        read({ vigilConfig: badConfig });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toMatch(/^Invalid Vigil CDK context "vigilConfig":/);
    expect(message).toContain("authorizedPorts.tcp");
    expect(message).toContain("minNotifySeverity");
  });

  it("rejects vigilConfig that is not JSON", () => {
    expect(() => read({ vigilConfig: "{modes: 1" })).toThrow(/vigilConfig": not valid JSON/);
  });

  it("rejects a remediationRoleArn: the stack owns its remediation role", () => {
    expect(() =>
      read({ vigilConfig: { remediationRoleArn: "arn:aws:iam::111122223333:role/other" } }),
    ).toThrow(/remediationRoleArn is set by the stack/);
  });

  it("rejects a config too large for a Lambda environment variable", () => {
    const exemptions = Array.from({ length: 60 }, (_, i) => ({
      checks: "*",
      resourceIds: [`sg-${i}`],
      reason: "x".repeat(40),
    }));
    expect(() => read({ vigilConfig: { exemptions } })).toThrow(/bytes as JSON/);
  });

  it("takes an optional alertEmail and rejects one that is not an address", () => {
    expect(read({ alertEmail: "secops@example.com" }).alertEmail).toBe("secops@example.com");
    expect(read({ alertEmail: "" }).alertEmail).toBeUndefined();
    expect(() => read({ alertEmail: "secops" })).toThrow(/alertEmail/);
  });
});

describe("invalid vigilConfig", () => {
  it("fails building the app", () => {
    const app = new App({ context: { vigilConfig: badConfig } });
    expect(() => buildVigilApp(app)).toThrow(ConfigError);
  });

  it("fails `cdk synth` (the app entry point) with the message and no stack trace", () => {
    const result = spawnSync(path.join(REPO_ROOT, "node_modules/.bin/tsx"), ["infra/app.ts"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ vigilConfig: badConfig }) },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Invalid Vigil CDK context "vigilConfig"');
    expect(result.stderr).toContain("authorizedPorts.tcp");
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });
});
