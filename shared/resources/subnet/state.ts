/**
 * What one event (or a Config item) says about one subnet. Settings are optional: a call names only
 * what it changed (`ModifySubnetAttribute` changes one attribute at a time), and a check whose
 * setting is unknown stays undecided (its finding is left as it is).
 */
export interface SubnetState {
  subnetId: string;
  vpcId?: string;
  /** Whether new primary network interfaces get a public IPv4 address; undefined when this source doesn't say. */
  mapPublicIpOnLaunch?: boolean;
  /** A default subnet of the default VPC, where AWS turns auto-assign on itself; undefined when unknown. */
  defaultForAz?: boolean;
  tags?: Record<string, string>;
}
