import type { CheckDefinition } from "../define";
import noNetworkPolicy from "./no-network-policy";
import pssBaseline from "./pss-baseline";
import pssRestricted from "./pss-restricted";

/** EKS workloads and namespaces, judged from the clusters' audit logs. One file per check + one line here. */
export const eksWorkloadChecks: readonly CheckDefinition[] = [pssBaseline, pssRestricted, noNetworkPolicy];
