import type { CheckDefinition } from "../define";
import envSecrets from "./env-secrets";

/** Lambda function checks. Adding one = one file in this folder + one line here. */
export const lambdaChecks: readonly CheckDefinition[] = [envSecrets];
