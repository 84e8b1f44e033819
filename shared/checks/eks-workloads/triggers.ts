import type { CheckTriggers } from "../define";

/**
 * No EventBridge trigger: these checks are fed by the EKS audit log through a CloudWatch Logs
 * subscription (infra/eks-audit.ts), so no rule and no read permission derive from them.
 */
export const EKS_AUDIT_TRIGGERS: CheckTriggers = { cloudTrail: [], config: [] };
