import { conditionSummary } from "./conditions";
import { actionVia, isConditional, refOf, resourceMatches, statementDenies } from "./match";
import type { ProbeScope, ResourceType } from "./probes";
import { patternCoversType, probesFor } from "./probes";
import type { PolicyDocument, PolicyStatement, StatementRef } from "./types";

/** One statement granting one action on every resource of a type (within a scope). */
export interface Grant {
  readonly statement: StatementRef;
  /** The action asked about, e.g. `iam:PassRole`. */
  readonly action: string;
  /** The `Action` pattern that grants it (`iam:*`), or `NotAction`. */
  readonly actionVia: string;
  /** The `Resource` pattern that covers every resource of the type (`*`), or `NotResource`. */
  readonly resourceVia: string;
  /** True when the statement has a Condition: the grant holds only for some requests. */
  readonly conditional: boolean;
  /** `operator key` of each condition (values never). */
  readonly conditions: readonly string[];
  /** Deny statements that take the grant away for some requests (conditional) or some of the resources. */
  readonly limitedBy: readonly StatementRef[];
}

/** Options shared by the decisions that look at resources. */
export interface GrantOptions {
  /**
   * The account owning the policy. When given, "every role" means every role of THIS account (a pattern naming
   * another account does not count); when absent, any account a pattern names counts.
   */
  readonly account?: string;
}

/** The probes this statement grants on, and which Resource pattern did it; undefined when not every resource. */
function coveredProbes(
  statement: PolicyStatement,
  type: ResourceType,
  scope: ProbeScope,
  options: GrantOptions,
): { via: string; probes: readonly string[] } | undefined {
  if (!statement.resource) return undefined; // identity statements always have one; don't guess
  const { not, values } = statement.resource;
  if (not) {
    // Without the policy's account, an account named in the NotResource list may be the policy's own:
    // the grant must then hold for those accounts too (`NotResource: arn:aws:iam::111122223333:role/*`
    // leaves only other accounts' roles, which cannot be passed or attached, so it is no grant).
    const named = values.flatMap((pattern) => pattern.split(":")[4]?.match(/^\d{12}$/)?.[0] ?? []);
    const accounts = options.account !== undefined ? [options.account] : [undefined, ...named];
    const probes = accounts.flatMap((account) => probesFor(type, undefined, scope, account));
    const excluded = probes.some((probe) => values.some((pattern) => resourceMatches(pattern, probe)));
    return excluded ? undefined : { via: "NotResource", probes };
  }
  const via = values.find((pattern) => patternCoversType(pattern, type, scope, options.account));
  return via === undefined ? undefined : { via, probes: probesFor(type, via, scope, options.account) };
}

/**
 * Every Allow statement (across `documents`) that grants `action` on every resource of `type` within `scope`,
 * minus those an unconditional Deny (in any of the documents: an explicit deny anywhere wins) takes away on
 * those same resources. Conditional or partial Denies are listed in `limitedBy`, never assumed to apply.
 */
export function grantsOnEvery(
  documents: readonly PolicyDocument[],
  action: string,
  type: ResourceType,
  scope: ProbeScope,
  options: GrantOptions = {},
): Grant[] {
  const denies = documents.flatMap((document, d) =>
    document.statements.filter((s) => s.effect === "Deny").map((statement) => ({ statement, d })),
  );
  const several = documents.length > 1;
  return documents.flatMap((document, d) =>
    document.statements.flatMap((statement): Grant[] => {
      if (statement.effect !== "Allow") return [];
      const via = actionVia(statement, action);
      const covered = via === undefined ? undefined : coveredProbes(statement, type, scope, options);
      if (via === undefined || covered === undefined) return [];
      const applying = denies.filter(({ statement: deny }) =>
        covered.probes.some((probe) => statementDenies(deny, action, probe)),
      );
      const fullyDenied = applying.some(
        ({ statement: deny }) =>
          !isConditional(deny) && covered.probes.every((probe) => statementDenies(deny, action, probe)),
      );
      if (fullyDenied) return [];
      return [
        {
          statement: refOf(statement, several ? d : undefined),
          action,
          actionVia: via,
          resourceVia: covered.via,
          conditional: isConditional(statement),
          conditions: conditionSummary(statement.conditions),
          limitedBy: applying.map(({ statement: deny, d: dd }) => refOf(deny, several ? dd : undefined)),
        },
      ];
    }),
  );
}
