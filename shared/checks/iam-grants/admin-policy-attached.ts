import type { VigilConfig } from "../../config/schema";
import {
  adminPatternFor,
  fullAdminGrants,
  isAwsManaged,
  readDocument,
} from "../../resources/iam-identity/judge";
import type { AttachedPolicy } from "../../resources/iam-identity/state";
import { defineCheck, type CheckDefinition, type Violation } from "../define";
import { fromVerdict, type Verdict } from "./decide";
import {
  attachedTriggers,
  describeIdentity,
  readActionsFor,
  type IdentitySpec,
  type IdentityType,
  type IdentityView,
} from "./identities";
import { describeStatements, statementEvidence } from "./inline";

export const ADMIN_POLICY_ATTACHED_PREFIX = "VIGIL.IAM.ADMIN_POLICY_ATTACHED";

type Judgement = { admin: true; violation: Violation } | { admin: false } | { admin: "unknown" };

function judge(view: IdentityView, policy: AttachedPolicy, patterns: readonly string[]): Judgement {
  const base = {
    identityType: view.kind,
    identityName: view.name,
    policyArn: policy.arn,
    policyName: policy.name,
  };
  const pattern = adminPatternFor(policy.arn, patterns);
  if (pattern)
    return {
      admin: true,
      violation: {
        summary: `${describeIdentity(view)} has ${policy.name} attached (${policy.arn}), an administrator policy`,
        evidence: { ...base, judgedBy: "iam.adminManagedPolicies", pattern },
      },
    };
  // AWS managed policies are what AWS publishes: the configured list says which of them are admin.
  if (isAwsManaged(policy.arn)) return { admin: false };
  const version = policy.defaultVersion;
  const document = readDocument(version?.document);
  if (!version || !document) return { admin: "unknown" };
  const grants = fullAdminGrants(document);
  if (!grants.length) return { admin: false };
  return {
    admin: true,
    violation: {
      summary: `${describeIdentity(view)} has customer managed policy ${policy.name} attached, whose default version ${version.versionId} allows every action on every resource: ${describeStatements(grants.map((g) => g.statement))}`,
      evidence: {
        ...base,
        judgedBy: "document",
        versionId: version.versionId,
        statements: grants.map((g) => statementEvidence(g.statement, g.conditional, g.conditions)),
      },
    },
  };
}

/** One violation per attached policy that is admin (configured ARN pattern, or a full-admin default version). */
export function adminPolicyAttachedVerdict(view: IdentityView, config: VigilConfig): Verdict {
  if (view.managedBy) return { violations: [] };
  const attached = view.grants?.attached;
  if (!attached)
    return { violations: [], unknown: `this event does not show the ${view.kind}'s attached policies` };
  const judged = attached.policies.map((policy) => ({
    policy,
    ...judge(view, policy, config.iam.adminManagedPolicies),
  }));
  const violations = judged.flatMap((j) => (j.admin === true ? [j.violation] : []));
  const unread = judged.filter((j) => j.admin === "unknown").map((j) => j.policy.name);
  if (!attached.complete) {
    const seen = [...attached.policies.map((p) => p.arn), ...(attached.removed ?? [])];
    return {
      violations,
      unknown: `this event names only managed policy ${seen.join(", ")} of the ${view.kind}`,
    };
  }
  if (unread.length)
    return {
      violations,
      unknown: `the default version of customer managed policy ${unread.join(", ")} was not read`,
    };
  return { violations };
}

/**
 * An administrator managed policy attached to a user, role or group: AWS's AdministratorAccess (and the
 * other ARN patterns of config `iam.adminManagedPolicies`), or a customer managed policy whose default
 * version allows every action on every resource (read live: GetPolicy + GetPolicyVersion). HIGH. Roles
 * provisioned by IAM Identity Center are not judged (their policies come from permission sets).
 * Remediation (dry-run by default, disruptive): detach exactly that policy; `vigil undo` re-attaches it.
 */
export function adminPolicyAttachedCheck<T extends IdentityType>(spec: IdentitySpec<T>): CheckDefinition<T> {
  return defineCheck<T>({
    id: `${ADMIN_POLICY_ATTACHED_PREFIX}_${spec.idSuffix}`,
    title: `${spec.plural} should not have administrator managed policies (AdministratorAccess) attached`,
    severity: "HIGH",
    resourceType: spec.resourceType,
    controls: [],
    description: `A managed policy granting every action on every resource is attached to the ${spec.kind}. Attach policies scoped to what it needs; Vigil can detach the policy (dry-run by default).`,
    triggers: attachedTriggers(spec.kind),
    iamActions: readActionsFor(spec.kind),
    remediation: { id: `detach-admin-policy-${spec.kind}`, defaultMode: "dry-run" },
    ...fromVerdict<T>((state, context) => adminPolicyAttachedVerdict(spec.view(state), context.config)),
  });
}
