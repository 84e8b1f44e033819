import type { Ec2State } from "./ec2";
import { el } from "./query";

/**
 * EBS encryption by default in memory, in the EC2 query protocol: Enable, Disable and Get, each
 * answering `ebsEncryptionByDefault` as EC2 does. One setting (this double serves one Region);
 * off at first, as in a new AWS account. The default KMS key is not modelled: no call here changes it.
 */

interface EbsEncryptionSetting {
  enabled: boolean;
}

const settings = new WeakMap<Ec2State, EbsEncryptionSetting>();

function settingOf(ec2: Ec2State): EbsEncryptionSetting {
  let setting = settings.get(ec2);
  if (!setting) {
    setting = { enabled: false };
    settings.set(ec2, setting);
  }
  return setting;
}

/** Whether EBS encryption by default is on, for tests to assert on (and seed through the SDK). */
export function ebsEncryptionByDefault(ec2: Ec2State): boolean {
  return settingOf(ec2).enabled;
}

export function installEbsEncryptionByDefault(ec2: Ec2State): void {
  const setting = settingOf(ec2);
  const answer = () => el("ebsEncryptionByDefault", setting.enabled);
  ec2.extend({
    EnableEbsEncryptionByDefault: () => {
      setting.enabled = true;
      return answer();
    },
    DisableEbsEncryptionByDefault: () => {
      setting.enabled = false;
      return answer();
    },
    // EC2 also says how: `sse-ebs` (KMS-managed EBS encryption) unless the account uses another type.
    GetEbsEncryptionByDefault: () => answer() + el("sseType", "sse-ebs"),
  });
}
