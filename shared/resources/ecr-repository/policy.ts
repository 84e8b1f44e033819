import { readPolicyStatements } from "../resource-policy";
import type { PolicyStatement, RepositoryPolicy } from "./state";

/**
 * A repository policy from its JSON text (CloudTrail `policyText`, `GetRepositoryPolicy`) or the
 * object Config puts in `RepositoryPolicyText`. Undefined when it can't be read (CloudTrail may hide
 * it as `HIDDEN_DUE_TO_SECURITY_REASONS`): the caller then reads the live policy instead.
 */
export function parseRepositoryPolicy(text: unknown): RepositoryPolicy | undefined {
  if (text === undefined || text === null || text === "") return { kind: "none" };
  const statements = readPolicyStatements(text);
  if (!statements) return undefined;
  // Repository policies name no resources (the repository is implied): the checks don't look at them.
  return {
    kind: "document",
    statements: statements.map(
      ({ resources: _resources, notResource: _notResource, ...rest }): PolicyStatement => rest,
    ),
  };
}
