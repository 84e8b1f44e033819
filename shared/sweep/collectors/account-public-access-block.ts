import { errorName } from "../../aws/errors";
import { loadS3Control } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import {
  ACCOUNT_PUBLIC_ACCESS_BLOCK_TYPE,
  accountPublicAccessBlockRef,
} from "../../resources/account-public-access-block/ref";
import { flagsFrom, type PublicAccessBlockFlags } from "../../resources/account-public-access-block/state";
import { defineCollector, type CollectContext } from "../collector";

/**
 * The account's S3 Block Public Access, as S3 Control's GetPublicAccessBlock states it (none:
 * NoSuchPublicAccessBlockConfiguration, i.e. `configuration: null`, as after
 * DeleteAccountPublicAccessBlock). One setting for every Region, so swept once per account. There
 * is no call to date it: `changedAt` is the read's time, so the restore looks up the configuration
 * in force before now and never turns off what is on.
 */
export default defineCollector({
  resourceType: ACCOUNT_PUBLIC_ACCESS_BLOCK_TYPE,
  scope: "global",
  iamActions: ["s3:GetAccountPublicAccessBlock"],
  async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::S3::AccountPublicAccessBlock">> {
    const [s3Control, { GetPublicAccessBlockCommand }] = await Promise.all([
      ctx.clients.s3Control(),
      loadS3Control(),
    ]);
    let configuration: PublicAccessBlockFlags | null;
    try {
      const out = await s3Control.send(new GetPublicAccessBlockCommand({ AccountId: ctx.account }));
      const c = out.PublicAccessBlockConfiguration;
      // Always in the answer; without it nothing can be judged, and failing beats guessing "off".
      if (!c) throw new Error("GetPublicAccessBlock answered without a PublicAccessBlockConfiguration");
      configuration = flagsFrom((name) => c[name] === true);
    } catch (error) {
      if (errorName(error) !== "NoSuchPublicAccessBlockConfiguration") throw error;
      configuration = null;
    }
    const observedAt = ctx.now.toISOString();
    yield {
      resource: accountPublicAccessBlockRef(ctx.account, ctx.region),
      state: { accountId: ctx.account, configuration, changedAt: observedAt },
      complete: true,
      observedAt,
      // An account setting has no tags: only config exemptions apply.
      tagsKnown: true,
    };
  },
});
