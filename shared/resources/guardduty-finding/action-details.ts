import type { ActionDetail, RemoteIpDetail } from "./detail-schema";
import type { FindingAction, RemoteIp } from "./state";
import { compact, cut, firstDistinct, LIMITS } from "./trim";

function remoteOf(details: RemoteIpDetail): RemoteIp | undefined {
  const ip = cut(details?.ipAddressV4, 64) ?? cut(details?.ipAddressV6, 64);
  if (!ip) return undefined;
  const organization = details?.organization;
  const asn = organization?.asn;
  return compact({
    ip,
    organization:
      cut(organization?.org, 200) ?? cut(organization?.asnOrg, 200) ?? cut(organization?.isp, 200),
    asn: asn === null || asn === undefined ? undefined : cut(String(asn), 20),
    country: cut(details?.country?.countryName, 100),
    city: cut(details?.city?.cityName, 100),
  });
}

const portOf = (details: { port?: number | null } | null | undefined) =>
  typeof details?.port === "number" && Number.isInteger(details.port) ? details.port : undefined;

/**
 * What happened and who from, per action kind. Runtime Monitoring findings carry an empty action
 * (their process details are not kept: command lines may hold secrets).
 */
export function findingAction(action: ActionDetail): FindingAction | undefined {
  if (!action) return undefined;
  const actionType = cut(action.actionType, 64);
  const network = action.networkConnectionAction;
  if (network) {
    return compact({
      actionType: actionType ?? "NETWORK_CONNECTION",
      remote: remoteOf(network.remoteIpDetails),
      direction: cut(network.connectionDirection, 32),
      protocol: cut(network.protocol, 32),
      localPort: portOf(network.localPortDetails),
      remotePort: portOf(network.remotePortDetails),
      blocked: network.blocked ?? undefined,
    });
  }
  const api = action.awsApiCallAction;
  if (api) {
    return compact({
      actionType: actionType ?? "AWS_API_CALL",
      remote: remoteOf(api.remoteIpDetails),
      api: cut(api.api, 128),
      serviceName: cut(api.serviceName, 128),
      callerType: cut(api.callerType, 64),
      remoteAccountId: cut(api.remoteAccountDetails?.accountId, 12),
      errorCode: cut(api.errorCode, 128),
      userAgent: cut(api.userAgent, LIMITS.userAgent),
    });
  }
  const k8s = action.kubernetesApiCallAction;
  if (k8s) {
    return compact({
      actionType: actionType ?? "KUBERNETES_API_CALL",
      remote: remoteOf(k8s.remoteIpDetails),
      verb: cut(k8s.verb, 32),
      // The path only: a query string is the caller's to fill, and may carry more than a path should.
      requestUri: cut(k8s.requestUri?.split("?")[0], LIMITS.requestUri),
      sourceIps: firstDistinct(
        (k8s.sourceIPs ?? []).map((ip) => cut(ip, 64)),
        LIMITS.sourceIps,
      ),
      userAgent: cut(k8s.userAgent, LIMITS.userAgent),
      statusCode: typeof k8s.statusCode === "number" ? k8s.statusCode : undefined,
    });
  }
  const probe = action.portProbeAction;
  if (probe) {
    const details = probe.portProbeDetails ?? [];
    return compact({
      actionType: actionType ?? "PORT_PROBE",
      remote: details.map((d) => remoteOf(d.remoteIpDetails)).find((r) => r !== undefined),
      probedPorts: firstDistinct(
        details.map((d) => portOf(d.localPortDetails)),
        LIMITS.probedPorts,
      ),
      blocked: probe.blocked ?? undefined,
    });
  }
  const dns = action.dnsRequestAction;
  if (dns) {
    return compact({
      actionType: actionType ?? "DNS_REQUEST",
      domain: cut(dns.domain, 253),
      protocol: cut(dns.protocol, 32),
      blocked: dns.blocked ?? undefined,
    });
  }
  const rds = action.rdsLoginAttemptAction;
  if (rds)
    return compact({ actionType: actionType ?? "RDS_LOGIN_ATTEMPT", remote: remoteOf(rds.remoteIpDetails) });
  return actionType ? { actionType } : undefined;
}
