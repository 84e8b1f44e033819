/**
 * The instance metadata service settings that decide EC2.8, as AWS reports them. Either may be
 * unknown (a call that named only one of them); `imdsv1Exposure` says what can be judged.
 */
export interface MetadataOptions {
  /** `optional` (IMDSv1 allowed) or `required` (IMDSv2 only). */
  httpTokens?: string;
  /** `enabled` or `disabled` (no metadata service at all). */
  httpEndpoint?: string;
}

/** Why the instance has (or will get) a public IPv4 address. */
export type PublicIpv4 =
  /** The instance's own view (live read, Config item, the launch answer) shows the address. */
  | { source: "instance"; address: string }
  /** The launch request asked for one (`associatePublicIpAddress: true` on the primary interface). */
  | { source: "launch-request" }
  /** Still being launched, in a subnet that gives every new primary interface one (`MapPublicIpOnLaunch`). */
  | { source: "subnet-auto-assign"; subnetId: string };

/**
 * Whether the subnet's auto-assign setting decides the public IPv4 address of a launch: only for a
 * new primary interface the request made no choice for. `template` = a launch template may have
 * chosen, which the event doesn't show.
 */
export type LaunchAutoAssign = "subnet" | "template" | "not-applicable";

/**
 * What one event (or a live read, or a Config item) says about one instance. Settings are optional:
 * a call names only what it changed, and a check whose setting is unknown stays undecided (its
 * finding is left as it is). Every check of this type must declare `undecided` for that reason.
 */
export interface Ec2InstanceState {
  instanceId: string;
  subnetId?: string;
  vpcId?: string;
  /** Undefined when this source doesn't say (e.g. a launch that left them to the AMI or account default). */
  metadataOptions?: MetadataOptions;
  /** A public IPv4 address, null when the instance has none, undefined when this source doesn't say. */
  publicIpv4?: PublicIpv4 | null;
  /** For launches whose public IPv4 address is not known yet: what decides it (read by the refresh). */
  launchAutoAssign?: LaunchAutoAssign;
  tags?: Record<string, string>;
}
