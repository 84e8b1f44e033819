import { conditionSummary } from "../conditions";
import { describeStatement } from "../evidence";
import { isConditional, refOf, statementCoversAction, statementCoversResource } from "../match";
import {
  ANY_RESOURCE,
  EVERYWHERE,
  patternCoversType,
  probesFor,
  serviceActionProbes,
  serviceGlobCoversAll,
  servicesCoveredBy,
} from "../probes";
import type { PolicyDocument, PolicyStatement, StatementRef } from "../types";
import { hasWildcard } from "../wildcard";

/**
 * Service-wide wildcards (Security Hub IAM.21, Config rule iam-policy-no-statements-with-full-access): an
 * Allow statement granting every action of a service. The rule flags unrestricted wildcards (`ec2:*`) and not
 * prefixed ones (`ec2:Describe*`).
 *
 * - `Action`: each pattern that matches every action of some service: `ec2:*` (service `ec2`), `*` or `*:*`
 *   (service `*`, i.e. all), `e*:*` (every service matching `e*`), `s3*` (a trailing star reaches past the colon).
 * - `NotAction`: every service none of whose actions is excluded is fully granted, so the statement is reported
 *   once as service `*` with `exceptServices` (the service prefixes the exclusions touch). An exclusion whose
 *   service part is a wildcard (`*:Get*`) touches every service: nothing is fully granted, nothing reported.
 * - Resources are not part of the rule; `allResources` tells whether the statement also covers every resource.
 * - Conditions are reported (`conditional`), not evaluated. A grant is dropped only when an unconditional Deny
 *   in the document denies the whole service on every resource; other Denies are listed in `limitedBy`.
 */
export interface ServiceWildcardGrant {
  readonly statement: StatementRef;
  /** Lower-cased service prefix pattern whose every action is granted: `ec2`, `*`, `e*`. */
  readonly services: string;
  /** The `Action` pattern, or `NotAction`. */
  readonly via: string;
  /** For NotAction: service prefix patterns excluded in part or whole. */
  readonly exceptServices: readonly string[];
  readonly allResources: boolean;
  readonly conditional: boolean;
  /** `operator key` of each condition (values never). */
  readonly conditions: readonly string[];
  readonly limitedBy: readonly StatementRef[];
  readonly reason: string;
}

/** The service part of a NotAction exclusion that can name an action; undefined for literals that can't. */
function excludedService(pattern: string): string | undefined {
  const colon = pattern.indexOf(":");
  if (colon >= 0) return pattern.slice(0, colon).toLowerCase();
  // No colon: only a wildcard (`s3*`, `*`) can reach an action; a bare word names none.
  return hasWildcard(pattern) ? pattern.toLowerCase() : undefined;
}

function coveredServices(statement: PolicyStatement): { services: string; via: string; except: string[] }[] {
  const { not, values } = statement.action;
  if (!not) {
    const found = values.flatMap((via) => {
      const services = servicesCoveredBy(via);
      return services === undefined ? [] : [{ services, via, except: [] }];
    });
    return found.filter((grant, i) => found.findIndex((other) => other.services === grant.services) === i);
  }
  const except = [...new Set(values.flatMap((pattern) => excludedService(pattern) ?? []))];
  return except.some(serviceGlobCoversAll) ? [] : [{ services: "*", via: "NotAction", except }];
}

function deniesWholeService(deny: PolicyStatement, services: string): boolean {
  if (deny.effect !== "Deny" || isConditional(deny)) return false;
  const resources = probesFor(ANY_RESOURCE, undefined, EVERYWHERE);
  return (
    serviceActionProbes(services).every((action) => statementCoversAction(deny, action)) &&
    resources.every((resource) => statementCoversResource(deny, resource))
  );
}

function allResources(statement: PolicyStatement): boolean {
  if (!statement.resource) return false;
  const { not, values } = statement.resource;
  return not
    ? values.length === 0
    : values.some((pattern) => patternCoversType(pattern, ANY_RESOURCE, EVERYWHERE));
}

function reasonFor(ref: StatementRef, services: string, via: string, except: readonly string[]): string {
  if (via === "NotAction") {
    const but = except.length > 0 ? ` except ${except.join(", ")}` : "";
    return `${describeStatement(ref)} allows every action of every service${but} (NotAction)`;
  }
  const which = services === "*" ? "every service" : `service ${services}`;
  return `${describeStatement(ref)} allows every action of ${which} (${via})`;
}

/** Every service-wide wildcard grant in the document; see {@link ServiceWildcardGrant}. */
export function findServiceWildcards(document: PolicyDocument): ServiceWildcardGrant[] {
  const denies = document.statements.filter((statement) => statement.effect === "Deny");
  return document.statements.flatMap((statement) => {
    if (statement.effect !== "Allow") return [];
    const ref = refOf(statement);
    return coveredServices(statement)
      .filter(({ services }) => !denies.some((deny) => deniesWholeService(deny, services)))
      .map(({ services, via, except }): ServiceWildcardGrant => ({
        statement: ref,
        services,
        via,
        exceptServices: except,
        allResources: allResources(statement),
        conditional: isConditional(statement),
        conditions: conditionSummary(statement.conditions),
        limitedBy: denies.map((deny) => refOf(deny)),
        reason: reasonFor(ref, services, via, except),
      }));
  });
}
