import type { Actor } from "../core/actor";
import type { KubernetesRequester } from "../resources/eks-workload/state";
import type { AuditEvent } from "./audit-event";

function firstOf(extra: Record<string, string[]> | undefined, key: string): string | undefined {
  return extra?.[key]?.find((value) => value !== "");
}

function userType(username: string): string {
  if (username.startsWith("system:serviceaccount:")) return "Kubernetes service account";
  if (username.startsWith("system:node:")) return "Kubernetes node";
  return "Kubernetes user";
}

/**
 * Who sent the request, in Vigil's Actor terms: EKS adds the IAM identity behind the Kubernetes
 * user in `user.extra` (the session ARN names the person, `canonicalArn` the role or user).
 */
export function actorFromAudit(event: AuditEvent): Actor {
  const { user } = event;
  const username = user.username ?? "unknown";
  const canonicalArn = firstOf(user.extra, "canonicalArn");
  const accountId = canonicalArn?.split(":")[4];
  const actor: Actor = {
    type: userType(username),
    userName: username,
    arn: firstOf(user.extra, "arn"),
    principalId: firstOf(user.extra, "principalId") ?? user.uid,
    accountId: accountId && /^\d{12}$/.test(accountId) ? accountId : undefined,
    sessionIssuerArn: canonicalArn,
    accessKeyId: firstOf(user.extra, "accessKeyId"),
    sourceIp: event.sourceIPs?.[0],
    userAgent: event.userAgent,
  };
  return Object.fromEntries(Object.entries(actor).filter(([, v]) => v !== undefined)) as Actor;
}

/** The Kubernetes side of the same request, kept in the finding's evidence (groups are what RBAC saw). */
export function requesterFromAudit(event: AuditEvent): KubernetesRequester {
  return {
    username: event.user.username ?? "unknown",
    groups: event.user.groups ?? [],
    sourceIPs: event.sourceIPs ?? [],
    ...(event.userAgent ? { userAgent: event.userAgent } : {}),
    verb: event.verb,
    ...(event.impersonatedUser?.username ? { impersonatedUser: event.impersonatedUser.username } : {}),
  };
}
