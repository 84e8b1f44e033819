import type { Node } from "constructs";
import { ConfigError, parseConfig } from "../shared/config/load";
import type { VigilConfig } from "../shared/config/schema";

export interface VigilContext {
  config: VigilConfig;
  alertEmail?: string;
}

// Lambda allows 4 KB for all environment variables together; leave room for the ARNs beside it.
const MAX_CONFIG_JSON_BYTES = 3072;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads `vigilConfig` (an object from cdk.json, or a JSON string from `-c vigilConfig=...`) and
 * `alertEmail`, and validates them, so a bad value fails synth instead of the deployed functions.
 */
export function readVigilContext(node: Node): VigilContext {
  const config = parseConfig(configInput(node.tryGetContext("vigilConfig")), 'CDK context "vigilConfig"');
  if (config.remediationRoleArn) {
    throw new ConfigError(
      'Invalid Vigil CDK context "vigilConfig": remediationRoleArn is set by the stack (its own remediation role); remove it',
    );
  }
  const bytes = Buffer.byteLength(JSON.stringify(config));
  if (bytes > MAX_CONFIG_JSON_BYTES) {
    throw new ConfigError(
      `Invalid Vigil CDK context "vigilConfig": ${bytes} bytes as JSON, more than the ${MAX_CONFIG_JSON_BYTES} that fit in a Lambda environment variable`,
    );
  }
  const alertEmail: unknown = node.tryGetContext("alertEmail");
  if (alertEmail === undefined || alertEmail === "") return { config };
  if (typeof alertEmail !== "string" || !EMAIL.test(alertEmail)) {
    throw new ConfigError(
      `Invalid CDK context "alertEmail": expected an email address, got ${JSON.stringify(alertEmail)}`,
    );
  }
  return { config, alertEmail };
}

function configInput(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(
      `Invalid Vigil CDK context "vigilConfig": not valid JSON (${(error as Error).message})`,
    );
  }
}
