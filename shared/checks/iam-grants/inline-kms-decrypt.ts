import { KMS_DECRYPT_ACTIONS } from "../../policy";
import { fullAdminGrants, kmsDecryptGrants } from "../../resources/iam-identity/judge";
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

export const INLINE_KMS_DECRYPT_PREFIX = "VIGIL.IAM.INLINE_KMS_DECRYPT";

/** KMS.2: one violation per inline policy allowing kms:Decrypt or kms:ReEncryptFrom on all keys. */
export function inlineKmsDecryptVerdict(view: IdentityView): Verdict {
  if (view.managedBy) return { violations: [] };
  const { read, unknown } = inlinePolicies(view);
  const violations = read.flatMap(({ policy, document }): Violation[] => {
    // A full-admin statement is VIGIL.IAM.INLINE_ADMIN_*'s finding (and its remediation's): not repeated here.
    const admin = new Set(fullAdminGrants(document).map((g) => g.statement.index));
    const grants = kmsDecryptGrants(document).filter((g) => !admin.has(g.statement.index));
    if (!grants.length) return [];
    const actions = [...new Set(grants.flatMap((g) => g.actions))];
    return [
      {
        summary: `inline policy "${policy.name}" of ${describeIdentity(view)} allows ${actions.join(" and ")} on all KMS keys: ${describeStatements(grants.map((g) => g.statement))}`,
        evidence: {
          identityType: view.kind,
          identityName: view.name,
          policyName: policy.name,
          policySource: policy.source,
          actions,
          statements: grants.map((g) => ({
            ...statementEvidence(g.statement, g.conditional, g.conditions),
            resource: g.resourceVia,
          })),
        },
      },
    ];
  });
  return { violations, ...(unknown ? { unknown } : {}) };
}

/**
 * Security Hub KMS.2 (iam-inline-policy-blocked-kms-actions, blocked actions kms:Decrypt and
 * kms:ReEncryptFrom) for one kind of identity. Ids are per kind because a Vigil check has one resource
 * type; the control is the same. One difference: a statement that is full admin (`*` on `*`) is left to
 * VIGIL.IAM.INLINE_ADMIN_*, which reports and removes it, rather than reported twice. Detect only: the
 * policy usually grants more than KMS, so deleting it is not Vigil's call.
 */
export function inlineKmsDecryptCheck<T extends IdentityType>(spec: IdentitySpec<T>): CheckDefinition<T> {
  return defineCheck<T>({
    id: `${INLINE_KMS_DECRYPT_PREFIX}_${spec.idSuffix}`,
    title: `${spec.plural} should not have IAM inline policies that allow decryption actions on all KMS keys`,
    severity: "MEDIUM",
    resourceType: spec.resourceType,
    controls: ["FSBP KMS.2"],
    description: `An inline policy on the ${spec.kind} allows ${KMS_DECRYPT_ACTIONS.join(" or ")} on every KMS key. Limit it to the keys (or key ARNs in one account and Region) the ${spec.kind} needs.`,
    triggers: inlineTriggers(spec.kind),
    iamActions: readActionsFor(spec.kind),
    ...fromVerdict<T>((state) => inlineKmsDecryptVerdict(spec.view(state))),
  });
}
