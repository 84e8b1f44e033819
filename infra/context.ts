import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Node } from "constructs";
import { CONFIG_FILE_NAME, ConfigError, readConfigFile } from "../shared/config/load";
import type { VigilConfig } from "../shared/config/schema";

export interface VigilContext {
  config: VigilConfig;
  /** The file the configuration came from (absolute). */
  configFile: string;
  alertEmail?: string;
}

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
/** `vigil.config.json` at the repository root, whatever directory `cdk` runs in. */
export const DEFAULT_CONFIG_FILE = path.join(REPO_ROOT, CONFIG_FILE_NAME);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads the configuration file (`vigil.config.json` at the repository root, or the path in
 * `-c vigilConfigFile=<path>`, relative to the working directory) and `alertEmail`, and validates
 * them, so a bad value fails synth with the file and every bad path instead of the deployed functions.
 * The file is the one source of truth: the old `vigilConfig` context is refused, not merged.
 */
export function readVigilContext(node: Node): VigilContext {
  if (node.tryGetContext("vigilConfig") !== undefined) {
    throw new ConfigError(
      `CDK context "vigilConfig" is no longer read: move its settings into ${CONFIG_FILE_NAME} at the repository root (or a file named with -c vigilConfigFile=<path>) and remove it from cdk.json / the command line`,
    );
  }
  const configFile = configFilePath(node.tryGetContext("vigilConfigFile"));
  const config = readConfigFile(configFile, path.relative(process.cwd(), configFile) || configFile);
  if (config.remediationRoleArn) {
    throw new ConfigError(
      `Invalid Vigil configuration file ${configFile}: remediationRoleArn is set by the stack (its own remediation role); remove it`,
    );
  }
  const alertEmail: unknown = node.tryGetContext("alertEmail");
  if (alertEmail === undefined || alertEmail === "") return { config, configFile };
  if (typeof alertEmail !== "string" || !EMAIL.test(alertEmail)) {
    throw new ConfigError(
      `Invalid CDK context "alertEmail": expected an email address, got ${JSON.stringify(alertEmail)}`,
    );
  }
  return { config, configFile, alertEmail };
}

function configFilePath(raw: unknown): string {
  if (raw === undefined || raw === "") return DEFAULT_CONFIG_FILE;
  if (typeof raw !== "string") {
    throw new ConfigError(
      `Invalid CDK context "vigilConfigFile": expected a file path, got ${JSON.stringify(raw)}`,
    );
  }
  return path.resolve(process.cwd(), raw);
}
