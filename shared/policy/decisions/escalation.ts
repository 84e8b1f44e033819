import { asDocuments, describeStatement } from "../evidence";
import type { Grant, GrantOptions } from "../grants";
import { grantsOnEvery } from "../grants";
import { ANY_ACCOUNT_LITERAL } from "../probes";
import type { PolicyDocument } from "../types";
import type { EscalationMethod } from "./escalation-methods";
import { ESCALATION_METHODS } from "./escalation-methods";

/**
 * Privilege-escalation paths ({@link ESCALATION_METHODS}) open to whoever holds the given policies. Pass all
 * the policies of one principal to find combinations split across them (Deny statements in any of them count).
 *
 * A method is reported when every action it requires is granted on every resource of the required type
 * (the policy's own account counts), through any wildcard (`iam:*`, `iam:Put*`, `*`, NotAction), minus
 * unconditional Denies covering the same resources. Conditions are reported, not evaluated. Not covered:
 * permissions boundaries, SCPs and resource policies (which may forbid what these policies allow), and
 * whether a more privileged role or policy actually exists to abuse.
 */
export interface EscalationPath {
  readonly method: string;
  readonly title: string;
  /** One grant per required action (the first statement found for it). */
  readonly grants: readonly Grant[];
  /** True when any of the grants depends on a condition. */
  readonly conditional: boolean;
  readonly reason: string;
}

function reasonFor(method: EscalationMethod, grants: readonly Grant[]): string {
  const via = grants.map((grant) => `${grant.action} via ${describeStatement(grant.statement)}`).join("; ");
  return `can ${method.title} (${method.id}): ${via}`;
}

/** The escalation methods the policies allow; see {@link EscalationPath}. */
export function findEscalationPaths(
  documents: PolicyDocument | readonly PolicyDocument[],
  options: GrantOptions & { readonly methods?: readonly EscalationMethod[] } = {},
): EscalationPath[] {
  const list = asDocuments(documents);
  const cache = new Map<string, Grant | undefined>();
  const grantFor = (action: string, resource: EscalationMethod["requires"][number]["resource"]) => {
    const key = `${action}|${resource.template}`;
    if (!cache.has(key)) {
      const grants = grantsOnEvery(list, action, resource, ANY_ACCOUNT_LITERAL, options);
      cache.set(key, grants.find((grant) => !grant.conditional) ?? grants[0]);
    }
    return cache.get(key);
  };
  return (options.methods ?? ESCALATION_METHODS).flatMap((method): EscalationPath[] => {
    const grants = method.requires.map(({ action, resource }) => grantFor(action, resource));
    if (grants.some((grant) => grant === undefined)) return [];
    const found = grants.filter((grant): grant is Grant => grant !== undefined);
    return [
      {
        method: method.id,
        title: method.title,
        grants: found,
        conditional: found.some((grant) => grant.conditional),
        reason: reasonFor(method, found),
      },
    ];
  });
}
