import { accountReadActions } from "../../resources/account/adapter";
import { defineCheck } from "../define";
import { rootActivityTriggers } from "./triggers";

/**
 * Alert only. One finding per account: the first root activity opens it and alerts; later ones are
 * added to it (evidence names the latest, the event list grows) without a new alert until someone
 * resolves it. Console sign-ins arrive as "AWS Console Sign In via CloudTrail", which the CloudTrail
 * rule must include (infra/event-patterns.ts) for ConsoleLogin to reach Vigil.
 */
export default defineCheck({
  id: "VIGIL.IAM.ROOT_ACTIVITY",
  title: "The root user should not be used for everyday work",
  severity: "HIGH",
  resourceType: "AWS::::Account",
  // CIS 1.7 ("eliminate use of the root user") has no Security Hub control; CloudWatch.1 checks an alarm, not the use.
  controls: [],
  description:
    "The root user signed in to the console or made an IAM call. Root can't be limited by IAM policies; confirm who used it and why, and keep it for the few tasks only root can do. A sign-in without MFA is critical.",
  triggers: rootActivityTriggers,
  iamActions: accountReadActions,
  undecided: (state) => (state.rootActivity === undefined ? "this event is not root activity" : undefined),
  evaluate: (state) => {
    const a = state.rootActivity;
    if (!a) return [];
    const signIn = a.eventName === "ConsoleLogin";
    const withoutMfa = signIn && a.mfaUsed === false;
    const what = signIn ? "signed in to the console" : `called ${a.eventName}`;
    return [
      {
        summary: `the root user ${what}${withoutMfa ? " without MFA" : ""}${a.sourceIp ? ` from ${a.sourceIp}` : ""}`,
        evidence: { accountId: state.accountId, ...a },
        ...(withoutMfa ? { severity: "CRITICAL" as const } : {}),
      },
    ];
  },
});
