import type { FindingAction, GuardDutyFindingState, RemoteIp } from "../../resources/guardduty-finding/state";
import { guardDutySeverityLabel } from "./severity";

/** Sentences for the finding's summary (the alert's "Problem" line): what, on what, who from where, how often. */

function remoteText(remote: RemoteIp | undefined): string | undefined {
  if (!remote) return undefined;
  const where = [remote.organization, remote.asn ? `AS${remote.asn}` : undefined, remote.city, remote.country]
    .filter(Boolean)
    .join(", ");
  return where ? `${remote.ip} (${where})` : remote.ip;
}

const withImages = (images: readonly string[]) =>
  images.length ? ` (image${images.length > 1 ? "s" : ""} ${images.join(", ")})` : "";

/** The affected resource in a few words, e.g. `instance i-0c5e… (legacy-reporting-01)`. */
export function resourceText(state: GuardDutyFindingState): string {
  const r = state.resource;
  const instance = r.instance
    ? `instance ${r.instance.instanceId}${r.instance.name ? ` (${r.instance.name})` : ""}`
    : undefined;
  if (r.eks) {
    const parts = [
      r.eks.clusterName ? `EKS cluster ${r.eks.clusterName}` : "EKS cluster",
      r.eks.namespace ? `namespace ${r.eks.namespace}` : undefined,
      r.eks.workloadName ? `${r.eks.workloadType ?? "workload"} ${r.eks.workloadName}` : undefined,
    ].filter(Boolean);
    return `${parts.join(", ")}${withImages(r.eks.images)}`;
  }
  if (r.ecs) {
    const parts = [
      r.ecs.clusterName ? `ECS cluster ${r.ecs.clusterName}` : "ECS cluster",
      r.ecs.taskArn ? `task ${r.ecs.taskArn}` : undefined,
    ].filter(Boolean);
    return `${parts.join(", ")}${withImages(r.ecs.images)}`;
  }
  if (r.container) {
    const container = `container${r.container.name ? ` ${r.container.name}` : ""}${withImages(r.container.image ? [r.container.image] : [])}`;
    return instance ? `${container} on ${instance}` : container;
  }
  if (instance) return instance;
  if (r.accessKey) {
    const who = [r.accessKey.userType, r.accessKey.userName].filter(Boolean).join(" ");
    return `access key ${r.accessKey.accessKeyId ?? "(unknown)"}${who ? ` of ${who}` : ""}`;
  }
  if (r.s3Buckets?.length) return `S3 bucket${r.s3Buckets.length > 1 ? "s" : ""} ${r.s3Buckets.join(", ")}`;
  return r.resourceType;
}

/** Who did what from where, e.g. `inbound TCP from 203.0.113.66 (Example Hosting, Netherlands) to port 22`. */
export function actionText(state: GuardDutyFindingState): string | undefined {
  const a: FindingAction | undefined = state.action;
  if (!a) return undefined;
  const from = remoteText(a.remote) ?? a.sourceIps?.join(", ");
  const agent = a.userAgent ? `, user agent ${a.userAgent}` : "";
  switch (a.actionType) {
    case "NETWORK_CONNECTION": {
      const protocol = a.protocol ? `${a.protocol} ` : "";
      const blocked = a.blocked ? " (blocked)" : "";
      if (a.direction === "INBOUND")
        return `inbound ${protocol}connection from ${from ?? "an unknown address"}${a.localPort !== undefined ? ` to port ${a.localPort}` : ""}${blocked}`;
      return `${(a.direction ?? "").toLowerCase() || "network"} ${protocol}connection to ${from ?? "an unknown address"}${a.remotePort !== undefined ? ` port ${a.remotePort}` : ""}${blocked}`;
    }
    case "AWS_API_CALL": {
      const api = [a.serviceName, a.api].filter(Boolean).join(" ");
      const caller = a.callerType ? ` (${a.callerType})` : "";
      const account = a.remoteAccountId ? ` from account ${a.remoteAccountId}` : "";
      const error = a.errorCode ? `, failed with ${a.errorCode}` : "";
      return `API call ${api || "(unknown)"}${from ? ` from ${from}` : ""}${account}${caller}${agent}${error}`;
    }
    case "KUBERNETES_API_CALL": {
      const user = state.resource.eks?.user?.username;
      const request = [a.verb, a.requestUri].filter(Boolean).join(" ");
      const status = a.statusCode !== undefined ? ` (HTTP ${a.statusCode})` : "";
      return `Kubernetes API ${request || "call"}${status}${user ? ` by ${user}` : ""}${from ? ` from ${from}` : ""}${agent}`;
    }
    case "PORT_PROBE":
      return `port${(a.probedPorts?.length ?? 0) > 1 ? "s" : ""} ${a.probedPorts?.join(", ") || "(unknown)"} probed${from ? ` from ${from}` : ""}`;
    case "DNS_REQUEST":
      return `DNS query for ${a.domain ?? "(unknown)"}${a.blocked ? " (blocked)" : ""}`;
    case "RDS_LOGIN_ATTEMPT":
      return `database login${from ? ` from ${from}` : ""}`;
    default:
      return from ? `${a.actionType} from ${from}` : undefined;
  }
}

function seenText(state: GuardDutyFindingState): string {
  const times = state.count === 1 ? "once" : `${state.count} times`;
  const first = state.eventFirstSeen?.replace(/\.\d+Z$/, "Z");
  const last = state.eventLastSeen?.replace(/\.\d+Z$/, "Z");
  if (!first && !last) return `seen ${times}`;
  if (!first || first === last) return `seen ${times}, at ${last ?? first}`;
  return `seen ${times}, ${first} to ${last ?? "now"}`;
}

/** The whole summary; `[SAMPLE]` first for GuardDuty's made-up sample findings. */
export function findingSummary(state: GuardDutyFindingState): string {
  const severity = `severity ${state.severity.toFixed(1)}, ${guardDutySeverityLabel(state.severity)}`;
  const action = actionText(state);
  return [
    `${state.sample ? "[SAMPLE] " : ""}GuardDuty ${state.type} (${severity}) on ${resourceText(state)}: ${state.title.replace(/\.$/, "")}`,
    ...(action ? [action] : []),
    seenText(state),
  ].join("; ");
}
