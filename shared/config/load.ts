import { z } from "zod";
import { vigilConfigSchema, type VigilConfig } from "./schema";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Validates a configuration object; the error lists every problem with its path. */
export function parseConfig(input: unknown, origin = "configuration"): VigilConfig {
  const result = vigilConfigSchema.safeParse(input ?? {});
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
