import { z } from "zod";
import { checks } from "../checks/catalog";
import { vigilConfigSchema, type VigilConfig } from "./schema";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates a configuration object; the error lists every problem with its path. */
export function parseConfig(input: unknown, origin = "configuration"): VigilConfig {
  const known = new Set(checks.map((check) => check.id));
  // A typo in a check id would silently leave that check on its default mode or unexempted.
  const schema = vigilConfigSchema.superRefine((config, ctx) => {
    for (const id of Object.keys(config.modes)) {
      if (!known.has(id))
        ctx.addIssue({ code: "custom", path: ["modes", id], message: `unknown check id "${id}"` });
    }
    config.exemptions.forEach((exemption, i) => {
      if (exemption.checks === "*") return;
      for (const id of exemption.checks.filter((c) => !known.has(c))) {
        ctx.addIssue({
          code: "custom",
          path: ["exemptions", i, "checks"],
          message: `unknown check id "${id}"`,
        });
      }
    });
  });
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new ConfigError(`Invalid Vigil ${origin}:\n${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/**
 * Reads the configuration from the environment: `VIGIL_CONFIG` holds JSON (the stack sets it from
 * CDK context); `REMEDIATION_ROLE_ARN` fills the loop-guard role when the JSON doesn't.
 */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  let raw: unknown = {};
  if (env.VIGIL_CONFIG) {
    try {
      raw = JSON.parse(env.VIGIL_CONFIG);
    } catch (error) {
      throw new ConfigError(`VIGIL_CONFIG is not valid JSON: ${(error as Error).message}`);
    }
  }
  const config = parseConfig(raw, "configuration (VIGIL_CONFIG)");
  if (!config.remediationRoleArn && env.REMEDIATION_ROLE_ARN) {
    return parseConfig(
      { ...(raw as object), remediationRoleArn: env.REMEDIATION_ROLE_ARN },
      "REMEDIATION_ROLE_ARN",
    );
  }
  return config;
}
