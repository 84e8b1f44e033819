/**
 * A namespace's NetworkPolicies as far as Vigil has seen them in the audit log. Vigil cannot list
 * a cluster's objects: it only knows a namespace's policies when it saw the namespace created and
 * every policy change since (`tracked`); otherwise the count is unknown and nothing is judged.
 */
export interface EksNamespaceState {
  cluster: string;
  namespace: string;
  /** Names of the NetworkPolicies seen created and not seen deleted, sorted. */
  networkPolicies: string[];
  /** Vigil saw the namespace created, so `networkPolicies` is the whole list. */
  tracked: boolean;
  /** Always absent: Kubernetes labels are not AWS tags (exempt namespaces in Vigil's config). */
  tags?: Record<string, string>;
}
