import type { SecretState } from "../../resources/secret/state";

/**
 * Secrets the account's own rotation settings govern: not one scheduled for deletion, not a
 * replica (rotation happens on the primary, evaluated in its own region), and not one managed by
 * another service that does not rotate it (e.g. an EventBridge connection's secret): the account
 * can't change those, so a finding would only be noise.
 */
export function isGovernedSecret(state: SecretState): boolean {
  if (state.deletedDate || state.replica) return false;
  return !(state.owningService && state.rotationEnabled !== true);
}
