import {
  findAdminGrants,
  findKmsDecryptOnAllKeys,
  findServiceWildcards,
  isFullAdmin,
  type PolicyDocument,
  type StatementRef,
} from "../../policy";

/** The controls this area judges a customer managed policy's default version against. */
export type PolicyRuleId = "IAM.1" | "IAM.21" | "KMS.1";

/** One statement a rule flags: the analyser's sentence and the facts for the finding's evidence. */
export interface RuleHit {
  statement: StatementRef;
  reason: string;
  conditional: boolean;
  /** `operator key` of each condition, never the values. */
  conditions: readonly string[];
  /** Deny statements of the document that may carve part of the grant out. */
  limitedBy: readonly StatementRef[];
  detail: Record<string, unknown>;
}

/**
 * Each control's decision, straight from shared/policy:
 * - IAM.1 reports only `isFullAdmin` grants (every action on every resource, nothing excluded), as the
 *   analyser advises; a NotAction/NotResource grant that excludes something is left to IAM.21.
 * - IAM.21: every service-wide wildcard (`ec2:*`, `*`, NotAction).
 * - KMS.1: kms:Decrypt / kms:ReEncryptFrom on all keys.
 * Conditional statements are reported by all three (the Config rules do not weigh conditions); the
 * finding says the grant is conditional and names the condition keys.
 */
export const POLICY_RULES: Record<PolicyRuleId, (document: PolicyDocument) => RuleHit[]> = {
  "IAM.1": (document) =>
    findAdminGrants(document)
      .filter(isFullAdmin)
      .map((g) => ({
        statement: g.statement,
        reason: g.reason,
        conditional: g.conditional,
        conditions: g.conditions,
        limitedBy: g.limitedBy,
        detail: { actionVia: g.actionVia, resourceVia: g.resourceVia },
      })),
  "IAM.21": (document) =>
    findServiceWildcards(document).map((g) => ({
      statement: g.statement,
      reason: g.reason,
      conditional: g.conditional,
      conditions: g.conditions,
      limitedBy: g.limitedBy,
      detail: {
        services: g.services,
        via: g.via,
        ...(g.exceptServices.length ? { exceptServices: g.exceptServices } : {}),
        allResources: g.allResources,
      },
    })),
  "KMS.1": (document) =>
    findKmsDecryptOnAllKeys(document).map((g) => ({
      statement: g.statement,
      reason: g.reason,
      conditional: g.conditional,
      conditions: g.conditions,
      limitedBy: g.limitedBy,
      detail: { actions: g.actions, actionVia: g.actionVia, resourceVia: g.resourceVia },
    })),
};

export const isPolicyRuleId = (id: unknown): id is PolicyRuleId =>
  typeof id === "string" && Object.hasOwn(POLICY_RULES, id);
