/**
 * One GuardDuty finding as its latest "GuardDuty Finding" event shows it, trimmed to what a
 * responder needs: what happened (type, severity, title), to what (the affected resource), by whom
 * and from where (the action), how often (count, first/last seen), and whether GuardDuty still
 * considers it live (archived) or made it up (sample). Every list and string is bounded.
 */
export interface GuardDutyFindingState {
  /** GuardDuty's finding id: the Vigil resource id, so a republished finding updates the same Vigil finding. */
  findingId: string;
  findingArn: string;
  detectorId?: string;
  /** The account the finding is about (a delegated administrator also receives its members' findings). */
  accountId: string;
  /** The account whose event bus delivered it: the one Vigil's remediation role can act in. */
  receivedInAccount: string;
  region: string;
  /** e.g. `UnauthorizedAccess:EC2/SSHBruteForce`. */
  type: string;
  /** GuardDuty's own scale, 1.0 to 10.0 (older findings and samples may go lower). */
  severity: number;
  title: string;
  description: string;
  createdAt?: string;
  updatedAt: string;
  /** `service.count`: how many times GuardDuty has seen this activity (grows as it republishes). */
  count: number;
  eventFirstSeen?: string;
  eventLastSeen?: string;
  /** `service.archived`: archived findings are no longer live. */
  archived: boolean;
  /** `service.additionalInfo.sample`: made by CreateSampleFindings, not by real activity. */
  sample: boolean;
  /** `service.resourceRole`: TARGET (the resource was acted on) or ACTOR (it did the acting). */
  resourceRole?: string;
  /** `service.featureName`, e.g. `FlowLogs`, `EksAuditLogs`, `RuntimeMonitoring`. */
  featureName?: string;
  resource: AffectedResource;
  action?: FindingAction;
  /** GuardDuty findings carry no tags of their own; exemptions come from the configuration. */
  tags?: Record<string, string>;
}

/** The resource GuardDuty names; only the parts of its many detail shapes a responder acts on. */
export interface AffectedResource {
  /** `resource.resourceType` as GuardDuty writes it: Instance, AccessKey, EKSCluster, S3Bucket, ECSCluster, Container, ... */
  resourceType: string;
  instance?: InstanceDetails;
  accessKey?: AccessKeyDetails;
  eks?: EksDetails;
  ecs?: EcsDetails;
  /** `containerDetails` (Runtime Monitoring on a host or task). */
  container?: ContainerRef;
  s3Buckets?: string[];
}

export interface InstanceDetails {
  instanceId: string;
  instanceType?: string;
  instanceState?: string;
  /** The `Name` tag, when it has one. */
  name?: string;
  /** Network interfaces as GuardDuty saw them, primary first when it says which. */
  networkInterfaces: NetworkInterfaceDetails[];
  /** The instance's tags as GuardDuty reported them (bounded). */
  tags: Record<string, string>;
}

export interface NetworkInterfaceDetails {
  networkInterfaceId: string;
  securityGroupIds: string[];
  vpcId?: string;
  subnetId?: string;
  privateIp?: string;
  publicIp?: string;
}

export interface AccessKeyDetails {
  accessKeyId?: string;
  principalId?: string;
  userName?: string;
  /** IAMUser, Role, AssumedRole, Root, Federated, ... */
  userType?: string;
}

export interface EksDetails {
  clusterName?: string;
  clusterArn?: string;
  namespace?: string;
  /** The workload's name and kind (`pods`, `deployments`, ...). */
  workloadName?: string;
  workloadType?: string;
  /** Container images in the workload (bounded). */
  images: string[];
  /** Containers running privileged. */
  privilegedContainers: string[];
  user?: { username?: string; groups: string[] };
}

export interface EcsDetails {
  clusterName?: string;
  clusterArn?: string;
  taskArn?: string;
  taskDefinitionArn?: string;
  images: string[];
}

export interface ContainerRef {
  name?: string;
  image?: string;
}

/** The remote party in a network or API action. */
export interface RemoteIp {
  ip: string;
  organization?: string;
  asn?: string;
  country?: string;
  city?: string;
}

/** What happened, per GuardDuty's `service.action` (one kind per finding). */
export interface FindingAction {
  /** NETWORK_CONNECTION, AWS_API_CALL, KUBERNETES_API_CALL, PORT_PROBE, DNS_REQUEST, RDS_LOGIN_ATTEMPT, ... */
  actionType: string;
  remote?: RemoteIp;
  /** NETWORK_CONNECTION: INBOUND (the remote connected to the resource) or OUTBOUND. */
  direction?: string;
  protocol?: string;
  localPort?: number;
  remotePort?: number;
  blocked?: boolean;
  /** AWS_API_CALL. */
  api?: string;
  serviceName?: string;
  /** e.g. `Remote IP`, `Remote Account`, `AWS Service`. */
  callerType?: string;
  remoteAccountId?: string;
  errorCode?: string;
  /** AWS_API_CALL and KUBERNETES_API_CALL. */
  userAgent?: string;
  /** KUBERNETES_API_CALL. */
  verb?: string;
  requestUri?: string;
  sourceIps?: string[];
  statusCode?: number;
  /** DNS_REQUEST. */
  domain?: string;
  /** PORT_PROBE: the local ports probed (bounded). */
  probedPorts?: number[];
}
