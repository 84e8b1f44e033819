import type { CheckDefinition } from "../define";
import iam3 from "./iam-3-access-key-rotation";
import iam4 from "./iam-4-root-access-key";
import iam5 from "./iam-5-console-mfa";
import iam7 from "./iam-7-password-policy";
import iam8 from "./iam-8-unused-credentials";
import iam15 from "./iam-15-password-length";
import iam16 from "./iam-16-password-reuse";
import iam22 from "./iam-22-unused-credentials-45";
import rootActivity from "./root-activity";

/**
 * IAM and account security: root use, console MFA, the password policy, and credential ages (the
 * last three periodic, from the credential report). Adding one = one file + one line here.
 */
export const iamChecks: readonly CheckDefinition[] = [
  iam4,
  rootActivity,
  iam5,
  iam7,
  iam15,
  iam16,
  iam3,
  iam8,
  iam22,
];
