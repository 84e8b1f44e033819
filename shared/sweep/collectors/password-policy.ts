import { loadIam } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { isNoSuchEntity } from "../../resources/iam-user/live";
import { policyFromApi } from "../../resources/password-policy/policy";
import { PASSWORD_POLICY_TYPE, passwordPolicyRef } from "../../resources/password-policy/ref";
import type { PasswordPolicy } from "../../resources/password-policy/state";
import { defineCollector, type CollectContext } from "../collector";

/** Where each partition logs IAM's calls (CloudTrail event history of global services). */
const IAM_EVENT_REGION: Record<string, string> = {
  aws: "us-east-1",
  "aws-cn": "cn-north-1",
  "aws-us-gov": "us-gov-west-1",
};

/**
 * The account password policy as GetAccountPasswordPolicy states it (none: NoSuchEntity, i.e.
 * `policy: null`, as after DeleteAccountPasswordPolicy). There is no call to date it: `changedAt`
 * is the read's time, so the restore looks up the policy in force before now (the latest one set)
 * and never goes below the live policy anyway.
 */
export default defineCollector({
  resourceType: PASSWORD_POLICY_TYPE,
  scope: "global",
  iamActions: ["iam:GetAccountPasswordPolicy"],
  async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::IAM::AccountPasswordPolicy">> {
    const [iam, { GetAccountPasswordPolicyCommand }] = await Promise.all([ctx.clients.iam(), loadIam()]);
    let policy: PasswordPolicy | null;
    try {
      const out = await iam.send(new GetAccountPasswordPolicyCommand({}));
      if (!out.PasswordPolicy) throw new Error("GetAccountPasswordPolicy answered without a PasswordPolicy");
      policy = policyFromApi(out.PasswordPolicy);
    } catch (error) {
      if (!isNoSuchEntity(error)) throw error;
      policy = null;
    }
    const observedAt = ctx.now.toISOString();
    yield {
      resource: passwordPolicyRef(ctx.account, ctx.partition),
      state: {
        accountId: ctx.account,
        policy,
        changedAt: observedAt,
        changeRegion: IAM_EVENT_REGION[ctx.partition] ?? ctx.region,
      },
      complete: true,
      observedAt,
      // The policy carries no tags: only config exemptions apply.
      tagsKnown: true,
    };
  },
});
