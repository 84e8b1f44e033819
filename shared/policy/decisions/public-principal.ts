import { conditionSummary, isOutsiderDenyCondition, isRestrictingCondition } from "../conditions";
import { describeStatement } from "../evidence";
import { actionMatches, refOf, statementCoversAction, statementCoversResource } from "../match";
import { ALL_ACTION_PROBES, ANY_RESOURCE, EVERYWHERE, probesFor } from "../probes";
import { isEveryone } from "../principals";
import type { PatternElement, PolicyDocument, PolicyStatement, StatementRef } from "../types";

/**
 * Public grants in resource-based policies (S3 bucket, KMS key, SNS/SQS, Lambda, trust policies): an Allow
 * statement whose principal is everyone (`"*"`, `{"AWS": "*"}`, or `NotPrincipal`, which means everyone but
 * the listed principals) and that no condition restricts to a known network, organisation, account or caller.
 * Which conditions restrict, and the ForAnyValue/ForAllValues/IfExists subtleties, are in conditions.ts
 * ({@link isRestrictingCondition}). A public Allow is also closed by a Deny that names everyone, covers all of
 * the Allow's actions and resources, and whose every condition holds for outsiders
 * (`StringNotEquals aws:PrincipalOrgID o-…`; {@link isOutsiderDenyCondition}).
 *
 * Not covered: what the actions expose (the check decides whether `s3:GetObject` or `sqs:*` matters),
 * Block Public Access and other account-level settings, principals with partial wildcards (AWS rejects them),
 * and several values that together span the world (`0.0.0.0/1` + `128.0.0.0/1` counts as restricting).
 */
export interface PublicGrant {
  readonly statement: StatementRef;
  /** How everyone was named. */
  readonly principal: "*" | "AWS:*" | "NotPrincipal";
  /** The statement's Action/NotAction, as written. */
  readonly actions: PatternElement;
  /** The statement's Resource/NotResource, as written (absent in trust policies). */
  readonly resources?: PatternElement;
  readonly conditional: boolean;
  /** `operator key` of the statement's conditions, none of which restricts (values never). */
  readonly conditions: readonly string[];
  readonly reason: string;
}

function everyoneNamedAs(statement: PolicyStatement): PublicGrant["principal"] | undefined {
  const principal = statement.principal;
  if (!principal) return undefined;
  if (principal.not) return isEveryone(principal.value) ? undefined : "NotPrincipal";
  if (principal.value.everyone) return "*";
  return isEveryone(principal.value) ? "AWS:*" : undefined;
}

/** Concrete instances of a pattern: its wildcards replaced by nothing, one odd character, and a longer run. */
function instancesOf(pattern: string, dialect: "action" | "arn"): string[] {
  const fillers = ["", "\u0001", dialect === "arn" ? "\u0002/\u0003" : "\u0002\u0003"];
  return fillers.map((filler) => pattern.replace(/\*/g, filler).replace(/\?/g, "\u0001"));
}

/** True when `deny` applies to everything `allow` grants (actions and resources), conditions aside. */
function denyCovers(deny: PolicyStatement, allow: PolicyStatement): boolean {
  const actions = allow.action.not
    ? ALL_ACTION_PROBES
    : allow.action.values.flatMap((pattern) => instancesOf(pattern, "action"));
  const resources =
    !allow.resource || allow.resource.not
      ? probesFor(ANY_RESOURCE, undefined, EVERYWHERE)
      : allow.resource.values.flatMap((pattern) => instancesOf(pattern, "arn"));
  const resourcesCovered =
    !deny.resource || resources.every((resource) => statementCoversResource(deny, resource));
  return actions.every((action) => statementCoversAction(deny, action)) && resourcesCovered;
}

/** A Deny naming everyone whose conditions all hold for outsiders, covering the Allow. */
function closedBy(deny: PolicyStatement, allow: PolicyStatement): boolean {
  return (
    deny.effect === "Deny" &&
    deny.principal !== undefined &&
    !deny.principal.not &&
    isEveryone(deny.principal.value) &&
    deny.conditions.length > 0 &&
    deny.conditions.every(isOutsiderDenyCondition) &&
    denyCovers(deny, allow)
  );
}

/** An unconditional Deny of everything to everyone makes the policy grant nothing. */
function deniesAll(deny: PolicyStatement): boolean {
  return (
    deny.effect === "Deny" &&
    deny.conditions.length === 0 &&
    deny.principal !== undefined &&
    !deny.principal.not &&
    isEveryone(deny.principal.value) &&
    ALL_ACTION_PROBES.every((action) => statementCoversAction(deny, action)) &&
    probesFor(ANY_RESOURCE, undefined, EVERYWHERE).every((resource) =>
      statementCoversResource(deny, resource),
    )
  );
}

/** Every public Allow statement; see {@link PublicGrant}. */
export function findPublicGrants(document: PolicyDocument): PublicGrant[] {
  const denies = document.statements.filter((statement) => statement.effect === "Deny");
  if (denies.some(deniesAll)) return [];
  return document.statements.flatMap((statement): PublicGrant[] => {
    if (statement.effect !== "Allow") return [];
    const principal = everyoneNamedAs(statement);
    if (!principal || statement.conditions.some(isRestrictingCondition)) return [];
    if (denies.some((deny) => closedBy(deny, statement))) return [];
    const ref = refOf(statement);
    const actions = `${statement.action.not ? "every action except " : ""}${statement.action.values.join(", ")}`;
    return [
      {
        statement: ref,
        principal,
        actions: statement.action,
        ...(statement.resource ? { resources: statement.resource } : {}),
        conditional: statement.conditions.length > 0,
        conditions: conditionSummary(statement.conditions),
        reason: `${describeStatement(ref)} allows ${actions} to everyone (Principal ${principal})`,
      },
    ];
  });
}

/** True when an action pattern of a public grant can match `action` (for checks that care about some actions). */
export function publicGrantCovers(grant: PublicGrant, action: string): boolean {
  const matched = grant.actions.values.some((pattern) => actionMatches(pattern, action));
  return grant.actions.not ? !matched : matched;
}
