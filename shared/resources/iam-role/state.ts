import type { IdentityGrants } from "../iam-identity/state";

/** The role's trust policy (`AssumeRolePolicyDocument`): who may assume it. */
export interface RoleTrust {
  /** JSON text (CloudTrail requests) or URL-encoded JSON text (IAM's API, Config, CloudTrail responses). */
  document: string;
  /** `CreateRole`, `UpdateAssumeRolePolicy`, `Config`. */
  source: string;
}

/** One IAM role as a call or a Config item shows it; each part optional (a call may not state it). */
export interface IamRoleState {
  roleName: string;
  roleArn: string;
  /** When the source states it (`/aws-reserved/sso.amazonaws.com/`, `/aws-service-role/`, …). */
  path?: string;
  /** Its inline and attached policies, as far as the source shows them. */
  grants?: IdentityGrants;
  trust?: RoleTrust;
  tags?: Record<string, string>;
}
