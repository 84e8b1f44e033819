import type { CredentialFacts } from "../../iam-credentials/report";
import type { IdentityGrants } from "../iam-identity/state";

/** Console access (IAM.5): each part optional, since an event may state only one of them. */
export interface ConsoleAccess {
  /** The user has a console password (a login profile). */
  passwordEnabled?: boolean;
  /** The user has at least one MFA device enabled. */
  mfaActive?: boolean;
  /** Where this comes from, e.g. `CreateLoginProfile + ListMFADevices`, `credential report`. */
  source: string;
}

/** The user's row of an IAM credential report (IAM.3, IAM.8, IAM.22). */
export interface UserCredentials {
  facts: CredentialFacts;
  /** When IAM generated the report. */
  reportGeneratedAt: string;
  /** The instant ages are counted to (the evaluation's "now"). */
  asOf: string;
}

/** One IAM user as an event, a live read, a Config item or a credential report shows it. */
export interface IamUserState {
  userName: string;
  userArn: string;
  console?: ConsoleAccess;
  credentials?: UserCredentials;
  /** Its inline and attached policies (IAM.2, admin grants, KMS.2), as far as the source shows them. */
  grants?: IdentityGrants;
  tags?: Record<string, string>;
}
