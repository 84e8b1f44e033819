import { accountReadActions } from "../../resources/account/adapter";
import { defineCheck } from "../define";
import { rootAccessKeyTriggers } from "./triggers";

/** Alert only: a root key can't be deleted by anyone but the root user itself. */
export default defineCheck({
  id: "IAM.4",
  title: "IAM root user access key should not exist",
  severity: "CRITICAL",
  resourceType: "AWS::::Account",
  controls: ["FSBP IAM.4", "CIS 1.4"],
  description:
    "The root user has an access key: a long-lived credential with unrestricted power that no policy can limit. Sign in as root, delete the key (Security credentials page), and find out who created it and why.",
  triggers: rootAccessKeyTriggers,
  iamActions: accountReadActions,
  undecided: (state) =>
    state.rootAccessKeys === undefined
      ? "this event does not say whether the root user has access keys"
      : undefined,
  evaluate: (state) =>
    state.rootAccessKeys?.present
      ? [
          {
            summary: state.rootAccessKeys.accessKeyId
              ? `the root user created access key ${state.rootAccessKeys.accessKeyId}`
              : `the root user has an access key (per ${state.rootAccessKeys.source})`,
            evidence: { accountId: state.accountId, ...state.rootAccessKeys },
          },
        ]
      : [],
});
