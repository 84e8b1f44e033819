import type { ResourceStates } from "../../resources/states";
import type { CheckContext, Violation } from "../define";

/** A check's verdict on a state: what it finds, and why finding nothing would not prove the state clean. */
export interface Verdict {
  violations: Violation[];
  /** Set when the state shows only part of what the check judges (an event naming one policy). */
  unknown?: string;
}

/**
 * `evaluate` and `undecided` from one verdict: a partial view that already shows a violation opens the
 * finding; a partial view that shows none is undecided (its finding is left as it is, never resolved).
 */
export function fromVerdict<T extends keyof ResourceStates>(
  verdict: (state: ResourceStates[T], context: CheckContext) => Verdict,
): {
  evaluate(state: ResourceStates[T], context: CheckContext): Violation[];
  undecided(state: ResourceStates[T], context: CheckContext): string | undefined;
} {
  return {
    evaluate: (state, context) => verdict(state, context).violations,
    undecided: (state, context) => {
      const result = verdict(state, context);
      return result.violations.length ? undefined : result.unknown;
    },
  };
}
