import type { CheckDefinition } from "../define";
import eks1 from "./eks-1-public-endpoint";
import eks2 from "./eks-2-supported-version";
import eks3 from "./eks-3-secrets-encryption";
import eks8 from "./eks-8-audit-logging";
import networkPolicyDisabled from "./network-policy-disabled";

/** EKS cluster posture checks. Adding one = one file in this folder + one line here. */
export const eksClusterChecks: readonly CheckDefinition[] = [eks1, eks2, eks3, eks8, networkPolicyDisabled];
