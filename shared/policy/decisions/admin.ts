import { conditionSummary } from "../conditions";
import { describeStatement } from "../evidence";
import { isConditional, refOf, statementCoversAction, statementCoversResource } from "../match";
import {
  ALL_ACTION_PROBES,
  ANY_RESOURCE,
  EVERYWHERE,
  actionPatternCoversAll,
  patternCoversType,
  probesFor,
} from "../probes";
import type { PolicyDocument, PolicyStatement, StatementRef } from "../types";
import { hasWildcard } from "../wildcard";

/**
 * Full administrative access (Security Hub IAM.1, Config rule iam-policy-no-statements-with-admin-access):
 * an Allow statement granting every action on every resource.
 *
 * - Actions: `Action` with a pattern covering every action (`*`, `*:*`, `*?`…), or `NotAction` whose list
 *   excludes nothing an action could be. "Nothing meaningful" is decided on syntax only, because we do not ship
 *   AWS's action catalogue: an empty list, or literals that cannot name an action (no `service:` prefix, or
 *   more than one colon). A made-up but well-formed action (`foo:Bar`) cannot be told from a real one, so such
 *   a statement is reported as `actions: "all-except-listed"` with its exclusions, never silently dropped;
 *   IAM.1 reports `isFullAdmin` grants, IAM.21 (service wildcards) covers the rest.
 * - Resources: a `Resource` pattern covering every ARN (`*`, `arn:*`, `arn:aws:*:*:*:*`), or `NotResource`
 *   (then `resources: "all-except-listed"` unless the list is empty; a NotResource of `*` grants nothing).
 * - Conditions: the rule's documentation judges `Effect`/`Action`/`Resource` only, and its sibling rule for KMS
 *   actions documents that it "does not evaluate the conditions", so a conditional statement is still
 *   reported, with `conditional: true` and the condition operators and keys (the check may soften it).
 * - Deny: an unconditional Deny of every action on every resource in the same document cancels the grant.
 *   Any other Deny statement is listed in `limitedBy` (it carves something out; the statement is still admin
 *   as written, as the Config rule judges statements).
 */
export interface AdminGrant {
  readonly statement: StatementRef;
  readonly actions: "all" | "all-except-listed";
  /** The `Action` pattern (`*`), or `NotAction`. */
  readonly actionVia: string;
  /** For `all-except-listed`: the NotAction patterns that may name real actions. */
  readonly excludedActions: readonly string[];
  readonly resources: "all" | "all-except-listed";
  /** The `Resource` pattern (`*`), or `NotResource`. */
  readonly resourceVia: string;
  /** For `all-except-listed`: the NotResource patterns. */
  readonly excludedResources: readonly string[];
  readonly conditional: boolean;
  /** `operator key` of each condition (values never). */
  readonly conditions: readonly string[];
  /** Deny statements in the document (they may carve out part of the grant). */
  readonly limitedBy: readonly StatementRef[];
  /** One sentence for the finding. */
  readonly reason: string;
}

/** A NotAction literal that no IAM action can equal: empty, no `service:` prefix, or more than one colon. */
function namesNoAction(pattern: string): boolean {
  return !hasWildcard(pattern) && !/^[^:]+:[^:]+$/.test(pattern);
}

type Scope = { scope: "all" | "all-except-listed"; via: string; excluded: string[] };

function actionScope(statement: PolicyStatement): Scope | undefined {
  const { not, values } = statement.action;
  if (!not) {
    const via = values.find(actionPatternCoversAll);
    return via === undefined ? undefined : { scope: "all", via, excluded: [] };
  }
  const excluded = values.filter((pattern) => !namesNoAction(pattern));
  if (excluded.some(actionPatternCoversAll)) return undefined;
  return { scope: excluded.length === 0 ? "all" : "all-except-listed", via: "NotAction", excluded };
}

function resourceScope(statement: PolicyStatement): Scope | undefined {
  if (!statement.resource) return undefined;
  const { not, values } = statement.resource;
  if (!not) {
    const via = values.find((pattern) => patternCoversType(pattern, ANY_RESOURCE, EVERYWHERE));
    return via === undefined ? undefined : { scope: "all", via, excluded: [] };
  }
  if (values.length === 0) return { scope: "all", via: "NotResource", excluded: [] };
  const probes = probesFor(ANY_RESOURCE, undefined, EVERYWHERE);
  const excludesEverything = probes.every((probe) => !statementCoversResource(statement, probe));
  return excludesEverything
    ? undefined
    : { scope: "all-except-listed", via: "NotResource", excluded: [...values] };
}

/** True when an unconditional Deny takes away every action on every resource. */
function deniesEverything(statement: PolicyStatement): boolean {
  if (statement.effect !== "Deny" || isConditional(statement)) return false;
  const resources = probesFor(ANY_RESOURCE, undefined, EVERYWHERE);
  return (
    ALL_ACTION_PROBES.every((action) => statementCoversAction(statement, action)) &&
    resources.every((resource) => statementCoversResource(statement, resource))
  );
}

function reasonFor(ref: StatementRef, actions: Scope, resources: Scope, conditional: boolean): string {
  const what =
    actions.scope === "all" ? "every action" : `every action except ${actions.excluded.join(", ")}`;
  const where =
    resources.scope === "all" ? "every resource" : `every resource except ${resources.excluded.join(", ")}`;
  return `${describeStatement(ref)} allows ${what} on ${where}${conditional ? " (when its conditions hold)" : ""}`;
}

/** Every Allow statement granting all actions on all resources; see {@link AdminGrant} for the rules. */
export function findAdminGrants(document: PolicyDocument): AdminGrant[] {
  const denies = document.statements.filter((statement) => statement.effect === "Deny");
  if (denies.some(deniesEverything)) return [];
  return document.statements.flatMap((statement): AdminGrant[] => {
    if (statement.effect !== "Allow") return [];
    const actions = actionScope(statement);
    const resources = actions && resourceScope(statement);
    if (!actions || !resources) return [];
    const ref = refOf(statement);
    const conditional = isConditional(statement);
    return [
      {
        statement: ref,
        actions: actions.scope,
        actionVia: actions.via,
        excludedActions: actions.excluded,
        resources: resources.scope,
        resourceVia: resources.via,
        excludedResources: resources.excluded,
        conditional,
        conditions: conditionSummary(statement.conditions),
        limitedBy: denies.map((deny) => refOf(deny)),
        reason: reasonFor(ref, actions, resources, conditional),
      },
    ];
  });
}

/** True for the IAM.1 case: every action on every resource, nothing excluded. */
export function isFullAdmin(grant: AdminGrant): boolean {
  return grant.actions === "all" && grant.resources === "all";
}
