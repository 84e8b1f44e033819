import type { CheckDefinition } from "../define";
import iam1 from "./iam-1-admin";
import iam21 from "./iam-21-service-wildcards";
import kms1 from "./kms-1-decrypt-all-keys";

/**
 * Customer managed IAM policies: their default version's document. Adding one = one file + one line
 * here (and its decision in rules.ts).
 */
export const iamPolicyChecks: readonly CheckDefinition[] = [iam1, kms1, iam21];
