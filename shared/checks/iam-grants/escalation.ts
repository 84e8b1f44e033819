import type { StatementRef } from "../../policy";
import { fullAdminGrants, selfGrantPaths } from "../../resources/iam-identity/judge";
import { defineCheck, type CheckDefinition } from "../define";
import { fromVerdict, type Verdict } from "./decide";
import {
  describeIdentity,
  inlineTriggers,
  readActionsFor,
  type IdentitySpec,
  type IdentityType,
  type IdentityView,
} from "./identities";
import { inlinePolicies } from "./inline";

export const ESCALATION_PREFIX = "VIGIL.IAM.ESCALATION";

/** The account an identity ARN names (its own account: `role/*` there is every role). */
const accountOf = (arn: string) => arn.split(":")[4] || undefined;

/**
 * The self-grant escalation paths the identity's inline policies open together (see SELF_GRANT_METHODS).
 * Nothing when an inline policy is already full admin: VIGIL.IAM.INLINE_ADMIN_* reports that, and every
 * path would only repeat it.
 */
export function escalationVerdict(view: IdentityView): Verdict {
  if (view.managedBy) return { violations: [] };
  const { read, unknown } = inlinePolicies(view);
  const extra = unknown ? { unknown } : {};
  if (read.some(({ document }) => fullAdminGrants(document).length > 0)) return { violations: [], ...extra };
  const paths = selfGrantPaths(
    read.map((r) => r.document),
    accountOf(view.arn),
  );
  if (!paths.length) return { violations: [], ...extra };
  const where = (ref: StatementRef) =>
    `inline policy "${read[ref.document ?? 0]?.policy.name ?? "?"}" statement ${ref.index}${ref.sid ? ` (Sid "${ref.sid}")` : ""}`;
  const titles = paths.map((p) => p.title);
  const shown = titles.slice(0, 3).join("; ") + (titles.length > 3 ? `; and ${titles.length - 3} more` : "");
  return {
    violations: [
      {
        summary: `${describeIdentity(view)} can give itself more permissions through its inline policies: ${shown}`,
        evidence: {
          identityType: view.kind,
          identityName: view.name,
          methods: paths.map((p) => ({
            method: p.method,
            via: p.grants.map((g) => `${g.action} via ${where(g.statement)}`),
            ...(p.conditional ? { conditional: true } : {}),
          })),
        },
      },
    ],
    ...extra,
  };
}

/**
 * Privilege escalation through inline policies (Rhino Security Labs' methods, as shared/policy encodes
 * them), limited to direct IAM self-grants: writing or attaching policies, new policy versions, other
 * users' credentials, group membership, rewriting a trust policy. MEDIUM: not admin yet, one call away.
 * Not reported: the PassRole-to-compute and Lambda/Glue methods (everyday permissions of deployment roles,
 * and whether they escalate depends on roles Vigil doesn't see), and identities whose inline policy is
 * already full admin (the INLINE_ADMIN check says it). Detect only.
 */
export function escalationCheck<T extends IdentityType>(spec: IdentitySpec<T>): CheckDefinition<T> {
  return defineCheck<T>({
    id: `${ESCALATION_PREFIX}_${spec.idSuffix}`,
    title: `${spec.plural} should not have inline policies that let them grant themselves more permissions`,
    severity: "MEDIUM",
    resourceType: spec.resourceType,
    controls: [],
    description: `The ${spec.kind}'s inline policies allow IAM calls (e.g. iam:Put*Policy, iam:Attach*Policy, iam:CreatePolicyVersion on every resource) that let it raise its own permissions. Scope those actions to the resources it manages, or use a permissions boundary.`,
    triggers: inlineTriggers(spec.kind),
    iamActions: readActionsFor(spec.kind),
    ...fromVerdict<T>((state) => escalationVerdict(spec.view(state))),
  });
}
