import type { EC2Client } from "@aws-sdk/client-ec2";
import { loadEc2 } from "../aws/sdk";
import type { EbsDefaultEncryptionState } from "../resources/ebs-default-encryption/state";
import { defineRemediation, type RemediationOutcome } from "./define";

export const ENABLE_EBS_DEFAULT_ENCRYPTION_ID = "enable-ebs-default-encryption";

/**
 * Why there is no undo: turning it on changes no existing volume and breaks no workload (every
 * current instance type supports encrypted volumes), so nothing depends on it being off; and an
 * account setting can't carry the exemption tag, so a `vigil undo` that turned it off would be
 * turned back on by the next event. Whoever really wants it off exempts EC2.7 in Vigil's config
 * (`exemptions: [{ checks: ["EC2.7"], accounts: [...], regions: [...], reason }]`), then does it themselves.
 */
const NO_UNDO =
  "not undoable by design: Vigil never turns EBS encryption by default off; " +
  "exempt EC2.7 for this account and Region in Vigil's config first, then turn it off yourself if it is really intended";

/** The client's Region, when it can say: the setting is per Region, so acting elsewhere would be wrong. */
async function clientRegion(ec2: EC2Client): Promise<string | undefined> {
  const region: unknown = ec2.config.region;
  if (typeof region === "function") return String(await (region as () => Promise<string>)());
  return typeof region === "string" ? region : undefined;
}

/**
 * EnableEbsEncryptionByDefault takes no argument but DryRun and answers the setting it left; the
 * default KMS key (ModifyEbsDefaultKmsKeyId) is a separate setting Disable never touched, so there
 * is nothing else to put back. Only when the answer leaves the setting out is it read back.
 */
async function enable(ec2: EC2Client): Promise<{ enabled: boolean | undefined; calls: number }> {
  const { EnableEbsEncryptionByDefaultCommand, GetEbsEncryptionByDefaultCommand } = await loadEc2();
  const out = await ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
  if (out.EbsEncryptionByDefault !== undefined) return { enabled: out.EbsEncryptionByDefault, calls: 1 };
  const read = await ec2.send(new GetEbsEncryptionByDefaultCommand({}));
  return { enabled: read.EbsEncryptionByDefault, calls: 2 };
}

export default defineRemediation<"AWS::EC2::EbsEncryptionByDefault">({
  id: ENABLE_EBS_DEFAULT_ENCRYPTION_ID,
  title: "Turn EBS encryption by default back on for the Region",
  resourceType: "AWS::EC2::EbsEncryptionByDefault",
  iamActions: ["ec2:EnableEbsEncryptionByDefault", "ec2:GetEbsEncryptionByDefault"],
  undoIamActions: [],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const setting: EbsDefaultEncryptionState = state;
    if (!violations.length) return { result: "skipped", action: "nothing to turn on", awsCalls: 0 };
    const action = `EnableEbsEncryptionByDefault in ${setting.region} (account ${setting.account})`;
    if (dryRun) return { result: "planned", action, awsCalls: 0 };
    const ec2 = await clients.ec2();
    const region = await clientRegion(ec2);
    if (region !== undefined && region !== setting.region) {
      return {
        result: "skipped",
        action: `not remediated: the setting is in ${setting.region}, Vigil's client acts in ${region}`,
        awsCalls: 0,
      };
    }
    const { enabled, calls } = await enable(ec2);
    if (enabled !== true) {
      return {
        result: "failed",
        action: `${action} sent, but EC2 does not confirm it is on (${String(enabled)})`,
        awsCalls: calls,
      };
    }
    return {
      result: "succeeded",
      action: `EBS encryption by default is on again in ${setting.region}`,
      detail: `the default KMS key is unchanged; ${NO_UNDO}`,
      awsCalls: calls,
    };
  },
  async undo() {
    throw new Error(`${ENABLE_EBS_DEFAULT_ENCRYPTION_ID}: ${NO_UNDO}`);
  },
});
