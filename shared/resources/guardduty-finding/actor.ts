import type { Actor } from "../../core/actor";
import type { GuardDutyFindingState } from "./state";
import { compact } from "./trim";

/**
 * Who acted, in Vigil's Actor shape, where the finding says: the caller of an AWS or Kubernetes API
 * call, or the remote host of an inbound connection, port probe or database login. An outbound
 * connection or a DNS query has no outside actor (the resource itself acted): undefined.
 */
export function guardDutyActor(state: GuardDutyFindingState): Actor | undefined {
  const action = state.action;
  if (!action) return undefined;
  const sourceIp = action.remote?.ip ?? action.sourceIps?.[0];
  switch (action.actionType) {
    case "AWS_API_CALL": {
      const key = state.resource.accessKey;
      return compact({
        type: key?.userType ?? action.callerType ?? "Unknown",
        userName: key?.userName,
        principalId: key?.principalId,
        accessKeyId: key?.accessKeyId,
        accountId: action.remoteAccountId,
        sourceIp,
        userAgent: action.userAgent,
      });
    }
    case "KUBERNETES_API_CALL":
      return compact({
        type: "KubernetesUser",
        userName: state.resource.eks?.user?.username,
        sourceIp,
        userAgent: action.userAgent,
      });
    case "NETWORK_CONNECTION":
      return action.direction === "INBOUND" && sourceIp ? { type: "RemoteHost", sourceIp } : undefined;
    case "PORT_PROBE":
    case "RDS_LOGIN_ATTEMPT":
      return sourceIp ? { type: "RemoteHost", sourceIp } : undefined;
    default:
      return undefined;
  }
}
