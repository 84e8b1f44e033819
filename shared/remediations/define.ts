import type { RemediationResult, UndoPayload } from "../findings/model";
import type { ResourceStates, ResourceType } from "../resources/states";
import type { Violation } from "../checks/define";
import type { ReadClients } from "../resources/adapter";

/**
 * AWS clients a remediation may use, with the remediation role's credentials. Awaited like
 * `ReadClients`: loaded and created on first use.
 */
export interface RemediationClients extends ReadClients {
  /** Where remediations report fallbacks they took. */
  logger?: { warn(message: string, attributes: Record<string, unknown>): void };
}

export interface RemediationInput<T extends ResourceType> {
  state: ResourceStates[T];
  /** The violations to fix (already filtered to non-exempt ones whose mode is `auto`/`dry-run`). */
  violations: Violation[];
  dryRun: boolean;
}

export interface RemediationOutcome {
  result: RemediationResult;
  /** What was (or would be) done, for humans. */
  action: string;
  detail?: string;
  undo?: UndoPayload;
  /** Number of AWS calls made, for the benchmark and the exposure-window budget. */
  awsCalls: number;
}

export interface RemediationDefinition<T extends ResourceType = ResourceType> {
  id: string;
  title: string;
  resourceType: T;
  /** Write (and supporting read) actions the remediation role needs. */
  iamActions: string[];
  /** Actions `vigil undo` needs (run with the operator's own credentials). */
  undoIamActions: string[];
  /** Disruptive remediations default to dry-run and are flagged in alerts. */
  disruptive: boolean;
  /**
   * False when undo can't exempt the resource (account-level settings carry no tags): the finding
   * goes back to OPEN instead of SUPPRESSED, since only a config exemption keeps Vigil from acting again.
   */
  undoExemptsByTag?: boolean;
  apply(input: RemediationInput<T>, clients: RemediationClients): Promise<RemediationOutcome>;
  undo(payload: UndoPayload, clients: RemediationClients): Promise<string>;
}

export function defineRemediation<T extends ResourceType>(
  remediation: RemediationDefinition<T>,
): RemediationDefinition<T> {
  return remediation;
}
