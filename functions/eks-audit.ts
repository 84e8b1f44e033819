import { eksAuditHandler } from "../shared/eks-audit/handler";

/** The EKS control plane's audit log (CloudWatch Logs subscription): workloads and namespaces. */
export const handler = eksAuditHandler("eks-audit");
