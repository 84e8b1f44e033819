import {
  ESCALATION_METHODS,
  findAdminGrants,
  findEscalationPaths,
  findKmsDecryptOnAllKeys,
  isFullAdmin,
  parsePolicyDocument,
  wildcardMatches,
  type AdminGrant,
  type EscalationMethod,
  type EscalationPath,
  type KmsDecryptGrant,
  type PolicyDocument,
} from "../../policy";

/**
 * The pure judgements on an identity's policies, shared by the checks (what they report) and the
 * adapters (whether an event alone already shows a violation, or the rest must be read live).
 */

/** A policy document from JSON or URL-encoded JSON text; undefined when it can't be read as a policy. */
export function readDocument(text: string | undefined): PolicyDocument | undefined {
  if (text === undefined) return undefined;
  const parsed = parsePolicyDocument(text);
  return parsed.ok ? parsed.document : undefined;
}

/** Statements granting every action on every resource (IAM.1's rule, applied to one policy). */
export function fullAdminGrants(document: PolicyDocument): AdminGrant[] {
  return findAdminGrants(document).filter(isFullAdmin);
}

/** Statements allowing kms:Decrypt / kms:ReEncryptFrom on every key (KMS.2's rule, applied to one policy). */
export function kmsDecryptGrants(document: PolicyDocument): KmsDecryptGrant[] {
  return findKmsDecryptOnAllKeys(document);
}

/**
 * The escalation methods Vigil reports: those where the identity can grant itself (or anyone) more IAM
 * permissions directly, i.e. write policies, new policy versions, credentials, group membership or a trust
 * policy. Left out, because they are the everyday permissions of deployment and CI principals and whether
 * they escalate depends on roles Vigil doesn't look at: passing roles to new compute
 * (`iam:PassRole` + `ec2:RunInstances`, Lambda, Glue, CloudFormation, Data Pipeline), editing existing
 * Lambda code or Glue endpoints, and `sts:AssumeRole` on every role (trust policies decide that).
 */
export const SELF_GRANT_METHODS: readonly EscalationMethod[] = ESCALATION_METHODS.filter((method) =>
  method.requires.every(({ action }) => action.startsWith("iam:") || action === "sts:AssumeRole"),
).filter((method) => method.id !== "AssumeAnyRole");

/** The self-grant escalation paths the documents open together (Denies in any of them count). */
export function selfGrantPaths(documents: readonly PolicyDocument[], account?: string): EscalationPath[] {
  if (!documents.length) return [];
  return findEscalationPaths(documents, {
    methods: SELF_GRANT_METHODS,
    ...(account !== undefined ? { account } : {}),
  });
}

/** True when this one inline document already fails a check (admin, decryption on all keys, escalation). */
export function inlineDocumentReported(text: string, account?: string): boolean {
  const document = readDocument(text);
  if (!document) return false;
  return (
    fullAdminGrants(document).length > 0 ||
    kmsDecryptGrants(document).length > 0 ||
    selfGrantPaths([document], account).length > 0
  );
}

/** AWS's AdministratorAccess in any partition: admin by definition, whatever the configuration adds. */
export const BUILT_IN_ADMIN_POLICIES = ["arn:*:iam::aws:policy/AdministratorAccess"];

/** The first admin pattern (config `iam.adminManagedPolicies`) an attached policy's ARN matches. */
export function adminPatternFor(arn: string, patterns: readonly string[]): string | undefined {
  return patterns.find((pattern) => wildcardMatches(pattern, arn, "arn"));
}

/** AWS managed policies live in account `aws` (`arn:aws:iam::aws:policy/…`). */
export function isAwsManaged(arn: string): boolean {
  return arn.split(":")[4] === "aws";
}
