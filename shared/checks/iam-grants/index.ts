import type { CheckDefinition } from "../define";
import { adminPolicyAttachedCheck } from "./admin-policy-attached";
import { escalationCheck } from "./escalation";
import iam2 from "./iam-2-user-policies";
import { GROUPS, ROLES, USERS } from "./identities";
import { inlineAdminCheck } from "./inline-admin";
import { inlineKmsDecryptCheck } from "./inline-kms-decrypt";
import riskyTrust from "./risky-trust";

/**
 * Grants to IAM identities and role trust. A Vigil check has one resource type, so each control that
 * spans users, roles and groups (inline admin, attached admin, KMS.2, escalation) is one check per kind,
 * its id suffixed `_USER`, `_ROLE` or `_GROUP`. Adding one = one file + one line here.
 */
export const iamGrantChecks: readonly CheckDefinition[] = [
  riskyTrust,
  inlineAdminCheck(USERS),
  inlineAdminCheck(ROLES),
  inlineAdminCheck(GROUPS),
  adminPolicyAttachedCheck(USERS),
  adminPolicyAttachedCheck(ROLES),
  adminPolicyAttachedCheck(GROUPS),
  inlineKmsDecryptCheck(USERS),
  inlineKmsDecryptCheck(ROLES),
  inlineKmsDecryptCheck(GROUPS),
  escalationCheck(USERS),
  escalationCheck(ROLES),
  escalationCheck(GROUPS),
  iam2,
];
