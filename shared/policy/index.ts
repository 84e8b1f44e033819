/**
 * IAM policy analysis: one parser and a set of pure decisions shared by every check that reads a policy
 * (IAM.1, IAM.21, inline admin policies, KMS.1/KMS.2, S3 public bucket policies, role trust policies).
 *
 * Typical use: `const parsed = parsePolicyDocument(input); if (parsed.ok) findAdminGrants(parsed.document)`.
 * Every decision returns evidence (statement index and Sid, the pattern that matched, condition operators and
 * keys but never condition values) and a one-sentence `reason`.
 */
export type {
  ConditionEntry,
  Effect,
  PatternElement,
  PolicyDocument,
  PolicyEncoding,
  PolicyParseError,
  PolicyParseResult,
  PolicyStatement,
  Principal,
  PrincipalElement,
  PrincipalType,
  StatementRef,
} from "./types";
export { parsePolicyDocument } from "./parse";
export { hasWildcard, wildcardMatches } from "./wildcard";
export type { WildcardDialect } from "./wildcard";
export {
  actionMatches,
  evaluateAccess,
  isConditional,
  resourceMatches,
  statementAllows,
  statementCoversAction,
  statementCoversResource,
  statementDenies,
} from "./match";
export type { AccessVerdict } from "./match";
export { conditionSummary, isOutsiderDenyCondition, isRestrictingCondition } from "./conditions";
export { accountOfPrincipal, isEveryone } from "./principals";
export { describeStatement } from "./evidence";
export { grantsOnEvery } from "./grants";
export type { Grant, GrantOptions } from "./grants";
export {
  ANY_ACCOUNT_LITERAL,
  ANY_RESOURCE,
  EVERYWHERE,
  actionPatternCoversAll,
  actionPatternCoversService,
  patternCoversType,
  servicesCoveredBy,
} from "./probes";
export type { ProbeScope, ResourceType, SlotScope } from "./probes";
export * as resourceTypes from "./resource-types";
export { findAdminGrants, isFullAdmin } from "./decisions/admin";
export type { AdminGrant } from "./decisions/admin";
export { findServiceWildcards } from "./decisions/service-wildcard";
export type { ServiceWildcardGrant } from "./decisions/service-wildcard";
export { ESCALATION_METHODS } from "./decisions/escalation-methods";
export type { EscalationMethod } from "./decisions/escalation-methods";
export { findEscalationPaths } from "./decisions/escalation";
export type { EscalationPath } from "./decisions/escalation";
export { KMS_DECRYPT_ACTIONS, findKmsDecryptOnAllKeys } from "./decisions/kms-decrypt";
export type { KmsDecryptGrant } from "./decisions/kms-decrypt";
export { findPublicGrants, publicGrantCovers } from "./decisions/public-principal";
export type { PublicGrant } from "./decisions/public-principal";
export { findRiskyTrust } from "./decisions/trust";
export type { TrustIssue, TrustOptions } from "./decisions/trust";
