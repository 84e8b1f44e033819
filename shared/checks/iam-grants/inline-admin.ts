import { fullAdminGrants } from "../../resources/iam-identity/judge";
import { defineCheck, type CheckDefinition, type Violation } from "../define";
import { fromVerdict, type Verdict } from "./decide";
import {
  describeIdentity,
  inlineTriggers,
  readActionsFor,
  type IdentitySpec,
  type IdentityType,
  type IdentityView,
} from "./identities";
import { describeStatements, inlinePolicies, statementEvidence } from "./inline";

export const INLINE_ADMIN_PREFIX = "VIGIL.IAM.INLINE_ADMIN";

/** One violation per inline policy with a statement allowing every action on every resource. */
export function inlineAdminVerdict(view: IdentityView): Verdict {
  if (view.managedBy) return { violations: [] };
  const { read, unknown } = inlinePolicies(view);
  const violations = read.flatMap(({ policy, document }): Violation[] => {
    const grants = fullAdminGrants(document);
    if (!grants.length) return [];
    const conditional = grants.every((g) => g.conditional);
    return [
      {
        summary: `inline policy "${policy.name}" of ${describeIdentity(view)} allows every action on every resource${conditional ? " when its conditions hold" : ""}: ${describeStatements(grants.map((g) => g.statement))}`,
        evidence: {
          identityType: view.kind,
          identityName: view.name,
          policyName: policy.name,
          policySource: policy.source,
          statements: grants.map((g) => statementEvidence(g.statement, g.conditional, g.conditions)),
        },
      },
    ];
  });
  return { violations, ...(unknown ? { unknown } : {}) };
}

/**
 * Inline full-admin policies (`"Action": "*"`, `"Resource": "*"`, or NotAction excluding nothing) on a
 * user, role or group. HIGH, as IAM.1 rates the same grant in a customer managed policy: the inline form
 * is no less powerful and harder to see (it appears in no policy list). Conditional statements still count
 * (as the Config rule judges them) and say so. Roles provisioned by IAM Identity Center are not judged.
 * Remediation (dry-run by default, disruptive): delete exactly that inline policy, after reading it live and
 * checking it is still the document Vigil judged; `vigil undo` puts the same document back.
 */
export function inlineAdminCheck<T extends IdentityType>(spec: IdentitySpec<T>): CheckDefinition<T> {
  return defineCheck<T>({
    id: `${INLINE_ADMIN_PREFIX}_${spec.idSuffix}`,
    title: `${spec.plural} should not have inline policies that allow full "*" administrative privileges`,
    severity: "HIGH",
    resourceType: spec.resourceType,
    controls: [],
    description: `An inline policy on the ${spec.kind} allows every action on every resource. Grant what the ${spec.kind} needs through reviewed managed policies; Vigil can delete the inline policy (dry-run by default).`,
    triggers: inlineTriggers(spec.kind),
    iamActions: readActionsFor(spec.kind),
    remediation: { id: `delete-inline-admin-policy-${spec.kind}`, defaultMode: "dry-run" },
    ...fromVerdict<T>((state) => inlineAdminVerdict(spec.view(state))),
  });
}
