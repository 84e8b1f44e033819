import { loadIam } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { accountReadActions } from "../../resources/account/adapter";
import { ACCOUNT_TYPE, accountRef } from "../../resources/account/ref";
import { defineCollector, type CollectContext } from "../collector";

/**
 * The account's root user access keys (IAM.4), as the event path's refresh reads them:
 * GetAccountSummary's `AccountAccessKeysPresent`, live and counting inactive keys too (the
 * credential report's root row shows a date only for an active key, so its "no active key" is
 * not "no key"; the summary decides both ways). Root activity is event-only: left out, so that
 * check stays undecided here.
 */
export default defineCollector({
  resourceType: ACCOUNT_TYPE,
  scope: "global",
  iamActions: accountReadActions,
  async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::::Account">> {
    const [iam, { GetAccountSummaryCommand }] = await Promise.all([ctx.clients.iam(), loadIam()]);
    const out = await iam.send(new GetAccountSummaryCommand({}));
    const present = out.SummaryMap?.AccountAccessKeysPresent;
    // Always in the answer; without it nothing can be judged, and failing beats guessing "none".
    if (present === undefined) throw new Error("GetAccountSummary answered without AccountAccessKeysPresent");
    yield {
      resource: accountRef(ctx.account, ctx.partition),
      state: {
        accountId: ctx.account,
        rootAccessKeys: { present: present > 0, source: "GetAccountSummary" },
      },
      complete: true,
      observedAt: ctx.now.toISOString(),
      // The account carries no tags: only config exemptions apply.
      tagsKnown: true,
    };
  },
});
