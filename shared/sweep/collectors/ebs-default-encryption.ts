import { loadEc2 } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import {
  EBS_DEFAULT_ENCRYPTION_TYPE,
  ebsDefaultEncryptionRef,
} from "../../resources/ebs-default-encryption/ref";
import { defineCollector, type CollectContext } from "../collector";

/**
 * EBS encryption by default: one setting per account and Region, so one observation per unit, in
 * the state the Enable/Disable calls give. A Region that has never been touched answers `false`.
 */
export default defineCollector({
  resourceType: EBS_DEFAULT_ENCRYPTION_TYPE,
  scope: "regional",
  iamActions: ["ec2:GetEbsEncryptionByDefault"],
  async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::EC2::EbsEncryptionByDefault">> {
    const [ec2, { GetEbsEncryptionByDefaultCommand }] = await Promise.all([ctx.clients.ec2(), loadEc2()]);
    const out = await ec2.send(new GetEbsEncryptionByDefaultCommand({}));
    // Always in the answer; without it nothing can be judged, and failing beats guessing "off".
    if (typeof out.EbsEncryptionByDefault !== "boolean")
      throw new Error("GetEbsEncryptionByDefault answered without EbsEncryptionByDefault");
    yield {
      resource: ebsDefaultEncryptionRef(ctx.account, ctx.region),
      state: { account: ctx.account, region: ctx.region, enabled: out.EbsEncryptionByDefault },
      complete: true,
      observedAt: ctx.now.toISOString(),
      // An account setting has no tags: only config exemptions apply.
      tagsKnown: true,
    };
  },
});
