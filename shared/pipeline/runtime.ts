import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { AccountClients } from "../aws/account-clients";
import type { CheckDefinition } from "../checks/define";
import type { VigilConfig } from "../config/schema";
import type { FindingsStore } from "../findings/store";
import type { VigilLogger } from "../log";
import type { Notifier } from "../notifiers/alert";
import type { RemediationClients, RemediationDefinition } from "../remediations/define";
import type { ReadClients, ResourceAdapter } from "../resources/adapter";

/** Everything the pipeline touches, injected: handlers, the CLI and tests each build their own. */
export interface VigilRuntime {
  config: VigilConfig;
  checks: readonly CheckDefinition[];
  remediations: readonly RemediationDefinition[];
  adapters: readonly ResourceAdapter[];
  store: FindingsStore;
  notifiers: readonly Notifier[];
  /** Read-only AWS access; undefined offline (local default with no AWS settings). */
  readClients: ReadClients | undefined;
  /** AWS access with the remediation role; undefined offline. */
  remediationClients: RemediationClients | undefined;
  /**
   * Clients for resources in other accounts (organisation mode) and Regions (forwarded events);
   * undefined: every resource is reached with the two above. Used only while its `home` is this
   * runtime's `readClients` (see shared/pipeline/resource-clients.ts).
   */
  accountClients?: AccountClients;
  /** For oversized Config items, loaded on first use (awaited); undefined offline. */
  configService: (() => ConfigServiceClient | Promise<ConfigServiceClient>) | undefined;
  logger: VigilLogger;
  now: () => Date;
}
