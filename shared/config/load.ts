import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { checks } from "../checks/catalog";
import { vigilConfigSchema, type VigilConfig } from "./schema";

/** The configuration file at the repository root; the stack ships it, validated, in every function's bundle. */
export const CONFIG_FILE_NAME = "vigil.config.json";
/** The key editors read the JSON Schema from; not a setting. */
const SCHEMA_KEY = "$schema";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates a configuration object; the error lists every problem with its path. */
export function parseConfig(input: unknown, origin = "configuration"): VigilConfig {
  const known = new Set(checks.map((check) => check.id));
  const unknownIds = (ctx: z.RefinementCtx, ids: readonly string[], at: (id: string) => PropertyKey[]) => {
    for (const id of ids.filter((i) => !known.has(i)))
      ctx.addIssue({ code: "custom", path: at(id), message: `unknown check id "${id}"` });
  };
  // A typo in a check id would silently leave that check on its default mode or unexempted.
  const schema = vigilConfigSchema.superRefine((config, ctx) => {
    unknownIds(ctx, Object.keys(config.modes), (id) => ["modes", id]);
    config.exemptions.forEach((exemption, i) => {
      if (exemption.checks !== "*") unknownIds(ctx, exemption.checks, () => ["exemptions", i, "checks"]);
    });
    config.accounts.forEach((entry, i) => {
      unknownIds(ctx, Object.keys(entry.modes ?? {}), (id) => ["accounts", i, "modes", id]);
    });
  });
  const result = schema.safeParse(withoutSchemaKey(input ?? {}));
  if (!result.success) {
    throw new ConfigError(`Invalid Vigil ${origin}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/** Drops `$schema` (editor support) from a config object. */
function withoutSchemaKey(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input) || !(SCHEMA_KEY in input)) return input;
  const { [SCHEMA_KEY]: _schema, ...rest } = input as Record<string, unknown>;
  return rest;
}

/** Reads and validates a configuration file (plain JSON); errors name the file. */
export function readConfigFile(file: string, label = file): VigilConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(`Vigil configuration file ${label} cannot be read: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      `Invalid Vigil configuration file ${label}: not valid JSON (${(error as Error).message})`,
    );
  }
  return parseConfig(raw, `configuration file ${label}`);
}

/** Where the configuration comes from (see `configFromEnv`). */
export function configSource(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): { kind: "env" } | { kind: "file"; file: string } | { kind: "defaults" } {
  if (env.VIGIL_CONFIG) return { kind: "env" };
  if (env.VIGIL_CONFIG_FILE) return { kind: "file", file: path.resolve(cwd, env.VIGIL_CONFIG_FILE) };
  // In Lambda the file ships in the bundle (infra/bundle.ts): a missing one is an error, never the defaults.
  if (env.LAMBDA_TASK_ROOT) return { kind: "file", file: path.join(env.LAMBDA_TASK_ROOT, CONFIG_FILE_NAME) };
  const local = path.join(cwd, CONFIG_FILE_NAME);
  return existsSync(local) ? { kind: "file", file: local } : { kind: "defaults" };
}

/**
 * Reads the configuration: `VIGIL_CONFIG` (JSON) wins (tests, one-off CLI runs); else the file
 * `VIGIL_CONFIG_FILE`; else in Lambda the bundle's `vigil.config.json`; else `./vigil.config.json`
 * when there is one (the CLI in the repository); else the defaults. `REMEDIATION_ROLE_ARN` fills
 * the loop-guard role when the configuration doesn't.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): VigilConfig {
  const source = configSource(env, cwd);
  let config: VigilConfig;
  if (source.kind === "env") {
    let raw: unknown;
    try {
      raw = JSON.parse(env.VIGIL_CONFIG ?? "{}");
    } catch (error) {
      throw new ConfigError(`VIGIL_CONFIG is not valid JSON: ${(error as Error).message}`);
    }
    config = parseConfig(raw, "configuration (VIGIL_CONFIG)");
  } else if (source.kind === "file") {
    config = readConfigFile(source.file, path.relative(cwd, source.file) || source.file);
  } else {
    config = parseConfig({});
  }
  if (!config.remediationRoleArn && env.REMEDIATION_ROLE_ARN) {
    return parseConfig({ ...config, remediationRoleArn: env.REMEDIATION_ROLE_ARN }, "REMEDIATION_ROLE_ARN");
  }
  return config;
}
