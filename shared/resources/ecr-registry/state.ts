import type { RegistryScanning } from "../ecr-repository/state";

/**
 * An account's private ECR registry in one region, as far as image scanning goes. Registry-wide
 * scanning rules decide, for every repository at once, whether its images are scanned.
 */
export interface EcrRegistryState {
  registryId: string;
  scanning: RegistryScanning;
  /**
   * Every repository with its own scan-on-push flag, read live when the rules don't scan every
   * repository; undefined when not needed or not read.
   */
  repositories?: { name: string; scanOnPush: boolean }[];
  /** Registries have no tags; kept for the common state shape. */
  tags?: Record<string, string>;
}
