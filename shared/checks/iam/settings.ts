import type { VigilConfig } from "../../config/schema";
import type { IamSettings } from "../../config/iam";

export type { IamSettings } from "../../config/iam";

/** The IAM thresholds of a config (its `iam` section, defaults filled in). */
export function iamSettings(config: VigilConfig): IamSettings {
  return config.iam;
}
