import { z } from "zod";
import { elements, field, inner, UNREADABLE } from "../lenient";
import { label } from "../spec";
import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

/**
 * Baseline: the namespaced sysctls known to be safe. The table's list, plus net.ipv4.tcp_rmem and
 * net.ipv4.tcp_wmem that the PodSecurity admission allows since Kubernetes 1.32. Names compare exactly,
 * as the admission compares them (a `/`-separated name is not in the set).
 */
export const SAFE_SYSCTLS: ReadonlySet<string> = new Set([
  "kernel.shm_rmid_forced",
  "net.ipv4.ip_local_port_range",
  "net.ipv4.ip_unprivileged_port_start",
  "net.ipv4.tcp_syncookies",
  "net.ipv4.ping_group_range",
  "net.ipv4.ip_local_reserved_ports",
  "net.ipv4.tcp_keepalive_time",
  "net.ipv4.tcp_fin_timeout",
  "net.ipv4.tcp_keepalive_intvl",
  "net.ipv4.tcp_keepalive_probes",
  "net.ipv4.tcp_rmem",
  "net.ipv4.tcp_wmem",
]);

const sysctlSchema = z.looseObject({ name: field(z.string()) });

/** Baseline: pod-level sysctls outside the safe set (only the name is reported, never the value). */
export const sysctls: PssCheck = (view) =>
  elements(
    inner(view.spec.securityContext, (c) => c.sysctls),
    sysctlSchema,
  ).flatMap((sysctl, index) => {
    if (sysctl === undefined || sysctl === UNREADABLE) return [];
    const name = sysctl.name;
    if (typeof name !== "string" || SAFE_SYSCTLS.has(name)) return [];
    return [
      violation(
        PSS_CONTROLS.sysctls,
        "baseline",
        `spec.securityContext.sysctls[${label(name, index)}]`,
        name,
        `remove the sysctl ${name} (baseline allows only the safe set)`,
      ),
    ];
  });
