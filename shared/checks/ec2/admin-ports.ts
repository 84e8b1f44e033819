import type { SecurityGroupState } from "../../resources/security-group/state";
import type { Violation } from "../define";
import { exposedPorts, ingressViolation, worldOpenRules } from "./world-open-ingress";

const SERVICE_NAMES: Record<number, string> = { 22: "SSH", 3389: "RDP" };

/** World-open rules reaching remote administration ports, shared by EC2.13/14/53/54. */
export function adminPortViolations(
  state: SecurityGroupState,
  options: { ports: readonly number[]; protocols: readonly ("tcp" | "udp")[]; family?: 4 | 6 },
): Violation[] {
  return worldOpenRules(state, options.family).flatMap((open) => {
    const ports = exposedPorts(open.rule, options.ports, options.protocols);
    if (!ports.length) return [];
    const names = ports.map((port) => SERVICE_NAMES[port] ?? String(port)).join(", ");
    return [ingressViolation(open, state.groupId, `${names} open to the internet`, ports)];
  });
}
