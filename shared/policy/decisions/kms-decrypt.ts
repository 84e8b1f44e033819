import { asDocuments, describeStatement } from "../evidence";
import type { Grant } from "../grants";
import { grantsOnEvery } from "../grants";
import { EVERYWHERE } from "../probes";
import { KMS_KEY } from "../resource-types";
import type { PolicyDocument, StatementRef } from "../types";

/**
 * Decryption on all KMS keys (Security Hub KMS.1 and KMS.2; Config rules iam-customer-policy-blocked-kms-actions
 * and iam-inline-policy-blocked-kms-actions, `blockedActionsPatterns: kms:ReEncryptFrom, kms:Decrypt`).
 * KMS.1 applies it to customer managed policies (their default version), KMS.2 to the inline policies of
 * users, roles and groups; the decision is the same, the check chooses the documents.
 *
 * "All keys" means keys of every account in every region: a `Resource` pattern covering
 * `arn:<partition>:kms:<any region>:<any account>:key/<any id>` (`*`, `arn:aws:kms:*:*:key/*`,
 * `arn:aws:kms:*:*:*`), or a `NotResource` that excludes no arbitrary key. Security Hub's remediation advice
 * ("allow kms:Decrypt only on keys in a particular Region for your account") is what passes:
 * `arn:aws:kms:us-east-1:111122223333:key/*` and `arn:aws:kms:*:111122223333:key/*` are not reported. Alias
 * ARNs do not authorise key use, so `alias/*` never counts. Actions are reached through any wildcard
 * (`kms:*`, `kms:Decrypt*`, `kms:ReEncrypt*`, `*`, NotAction). The Config rule documents that it does not
 * evaluate conditions: conditional statements are reported with `conditional: true`. An unconditional Deny
 * of the action on all keys cancels the grant.
 */
export interface KmsDecryptGrant {
  readonly statement: StatementRef;
  /** The blocked actions this statement grants on all keys. */
  readonly actions: readonly string[];
  /** The Action pattern (or `NotAction`) per action, same order. */
  readonly actionVia: readonly string[];
  /** The Resource pattern covering all keys, or `NotResource`. */
  readonly resourceVia: string;
  readonly conditional: boolean;
  readonly conditions: readonly string[];
  readonly limitedBy: readonly StatementRef[];
  readonly reason: string;
}

/** The actions KMS.1/KMS.2 block (Security Hub's fixed parameter). */
export const KMS_DECRYPT_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:ReEncryptFrom"];

const keyOf = (ref: StatementRef) => `${ref.document ?? ""}/${ref.index}`;

/** Statements allowing the blocked actions on all KMS keys, one entry per statement. */
export function findKmsDecryptOnAllKeys(
  documents: PolicyDocument | readonly PolicyDocument[],
  options: { readonly actions?: readonly string[] } = {},
): KmsDecryptGrant[] {
  const list = asDocuments(documents);
  const byStatement = new Map<string, Grant[]>();
  for (const action of options.actions ?? KMS_DECRYPT_ACTIONS) {
    for (const grant of grantsOnEvery(list, action, KMS_KEY, EVERYWHERE)) {
      const key = keyOf(grant.statement);
      byStatement.set(key, [...(byStatement.get(key) ?? []), grant]);
    }
  }
  return [...byStatement.values()].flatMap((grants): KmsDecryptGrant[] => {
    const [first] = grants;
    if (!first) return [];
    const actions = grants.map((grant) => grant.action);
    return [
      {
        statement: first.statement,
        actions,
        actionVia: grants.map((grant) => grant.actionVia),
        resourceVia: first.resourceVia,
        conditional: first.conditional,
        conditions: first.conditions,
        limitedBy: [...new Map(grants.flatMap((g) => g.limitedBy).map((ref) => [keyOf(ref), ref])).values()],
        reason: `${describeStatement(first.statement)} allows ${actions.join(" and ")} on all KMS keys (${first.resourceVia})`,
      },
    ];
  });
}
