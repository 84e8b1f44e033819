import { defineCheck } from "../define";
import {
  activeContainers,
  containerEvidence,
  containerIn,
  taskDefinitionIamActions,
  taskDefinitionTriggers,
} from "./task-definition";

/**
 * Capabilities that break the container's isolation, each a known way out or across: kernel modules
 * (SYS_MODULE), mounts and cgroups (SYS_ADMIN), other processes' memory (SYS_PTRACE), raw devices
 * (SYS_RAWIO), host files by handle (DAC_READ_SEARCH), the network stack (NET_ADMIN), the LSM profile
 * (MAC_ADMIN, MAC_OVERRIDE), the host's clock (SYS_TIME) and reboot (SYS_BOOT); ALL is all of them.
 * Others that are often needed (NET_BIND_SERVICE, IPC_LOCK, SYS_NICE…) are not flagged.
 */
export const DANGEROUS_CAPABILITIES = [
  "ALL",
  "SYS_ADMIN",
  "SYS_MODULE",
  "SYS_PTRACE",
  "SYS_RAWIO",
  "DAC_READ_SEARCH",
  "NET_ADMIN",
  "MAC_ADMIN",
  "MAC_OVERRIDE",
  "SYS_TIME",
  "SYS_BOOT",
];

/** `cap_sys_admin` and `CAP_SYS_ADMIN` are SYS_ADMIN too. */
const normalize = (capability: string) => capability.trim().toUpperCase().replace(/^CAP_/, "");

export default defineCheck({
  id: "VIGIL.ECS.ADDED_CAPABILITIES",
  title: "ECS containers should not add dangerous Linux capabilities",
  severity: "HIGH",
  resourceType: "AWS::ECS::TaskDefinition",
  controls: [],
  description:
    "`linuxParameters.capabilities.add` with SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, ALL and the like gives the container powers that escape or reach across its isolation. Remove them; add only narrow ones such as NET_BIND_SERVICE.",
  triggers: taskDefinitionTriggers,
  iamActions: taskDefinitionIamActions,
  evaluate: (state) =>
    activeContainers(state).flatMap((c) => {
      const dangerous = [...new Set(c.addedCapabilities.map(normalize))].filter((cap) =>
        DANGEROUS_CAPABILITIES.includes(cap),
      );
      if (!dangerous.length) return [];
      return [
        {
          summary: `${containerIn(state, c)} adds dangerous capabilities: ${dangerous.join(", ")}`,
          evidence: { ...containerEvidence(state, c), addedCapabilities: dangerous },
        },
      ];
    }),
});
