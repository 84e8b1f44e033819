/**
 * What one event (or a live read) says about one EKS cluster. Every setting is optional: a
 * CloudTrail call names only what it changed, and a check whose setting is unknown stays
 * undecided (its finding is left as it is).
 */
export interface EksClusterState {
  clusterName: string;
  clusterArn: string;
  /** The cluster's Region: the remediation acts on a cluster of this name in this Region only. */
  region: string;
  /** Kubernetes minor version, e.g. `1.32` (CreateCluster, UpdateClusterVersion, Config, DescribeCluster). */
  version?: string;
  /** API server endpoint access, as far as the source states it (UpdateClusterConfig may name one field). */
  endpoint?: EndpointAccess;
  /**
   * Envelope encryption of Kubernetes secrets: the KMS key ARN, or null when the cluster has none.
   * Undefined when the source doesn't say.
   */
  secretsKeyArn?: string | null;
  /**
   * Control-plane log types the source says are on (true) or off (false), by type (`api`, `audit`,
   * `authenticator`, `controllerManager`, `scheduler`). An UpdateClusterConfig names only the
   * types it changed; the others are absent (unknown).
   */
  logTypes?: Record<string, boolean>;
  /** The `vpc-cni` managed add-on, for add-on calls (cluster calls and Config items don't show add-ons). */
  vpcCni?: VpcCniState;
  /** Live reads the source calls for (see `Observation.needsRefresh`). */
  pending?: { cluster?: true; vpcCni?: true };
  tags?: Record<string, string>;
}

export interface EndpointAccess {
  /** Whether the Kubernetes API server endpoint is reachable from the internet. */
  publicAccess?: boolean;
  privateAccess?: boolean;
  /** The sources allowed to reach the public endpoint (EKS's default is 0.0.0.0/0). */
  publicAccessCidrs?: string[];
}

export interface VpcCniState {
  /** False after DeleteAddon (or when DescribeAddon finds none): EKS no longer shows its configuration. */
  managed: boolean;
  /** `enableNetworkPolicy` in the add-on's configuration values; undefined when it can't be read. */
  networkPolicy?: boolean;
  /** Why `networkPolicy` is unknown (hidden by CloudTrail, a value Vigil can't parse), never the text itself. */
  unreadable?: string;
}
