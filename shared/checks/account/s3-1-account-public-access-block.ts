import { flagsOff } from "../../resources/account-public-access-block/state";
import { defineCheck } from "../define";
import { accountPublicAccessBlockTriggers } from "./triggers";

export default defineCheck({
  id: "S3.1",
  title: "S3 general purpose buckets should have block public access settings enabled",
  severity: "MEDIUM",
  resourceType: "AWS::S3::AccountPublicAccessBlock",
  controls: ["FSBP S3.1", "CIS 2.1.4"],
  description:
    "An account-level S3 Block Public Access setting was turned off or the configuration deleted, so any bucket in the account can be made public. Vigil turns back on the settings that were on before the change (per AWS Config history; all four when unknown).",
  triggers: accountPublicAccessBlockTriggers,
  // The call states the whole configuration; the remediation does its own reads.
  iamActions: [],
  remediation: { id: "restore-account-public-access-block", defaultMode: "auto" },
  evaluate: (state) => {
    const off = flagsOff(state.configuration);
    if (!off.length) return [];
    const summary =
      state.configuration === null
        ? `the account's S3 Block Public Access configuration was deleted: nothing is blocked`
        : `S3 Block Public Access is off for the account: ${off.join(", ")}`;
    return [
      {
        summary,
        evidence: { accountId: state.accountId, configuration: state.configuration ?? "deleted", off },
      },
    ];
  },
});
