import type { IdentityGrants } from "../iam-identity/state";

/** One IAM group as a call or a Config item shows it. Groups carry no tags: only config exemptions apply. */
export interface IamGroupState {
  groupName: string;
  groupArn: string;
  /** Its inline and attached policies (every member gets them), as far as the source shows them. */
  grants?: IdentityGrants;
  tags?: Record<string, string>;
}
