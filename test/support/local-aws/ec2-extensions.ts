import type { Ec2State } from "./ec2";
import { installNetworkAcls } from "./ec2-network-acl";
import { installInstances } from "./ec2-instances";
import { installEbsEncryptionByDefault } from "./ec2-ebs-encryption";
import { installQuarantine } from "./ec2-quarantine";
import { installVolumes } from "./ec2-volumes";
import { installVpcs } from "./ec2-vpcs";
import { installPagination } from "./ec2-pagination";

/**
 * EC2 actions beyond security groups, one module per resource kind. Each installs its actions on
 * the server's `Ec2State` (`ec2.extend({...})`) and keeps its own state (e.g. in a WeakMap keyed
 * by the `Ec2State`, with an accessor for tests). Adding one = one module + one line here.
 */
export const ec2Extensions: ReadonlyArray<(ec2: Ec2State) => void> = [
  installNetworkAcls,
  installInstances,
  installEbsEncryptionByDefault,
  // After installInstances: it wraps that module's RunInstances and DescribeInstances.
  installQuarantine,
  installVolumes,
  installVpcs,
  // Last: it wraps the Describe actions of the modules above to answer in pages.
  installPagination,
];
