import type { RecorderSummary } from "../../resources/account-region/state";
import { defineCheck } from "../define";

/** Config's service-linked role, which Config.1 expects the recorder to use. */
const SERVICE_LINKED_ROLE =
  /^arn:[a-z-]+:iam::\d{12}:role\/aws-service-role\/config\.amazonaws\.com\/AWSServiceRoleForConfig$/;

const own = (r: RecorderSummary) => r.servicePrincipal === undefined;

function describe(r: RecorderSummary) {
  return {
    name: r.name,
    recording: r.recording ?? "unknown",
    ...(r.roleArn ? { roleArn: r.roleArn } : {}),
    ...(r.servicePrincipal ? { servicePrincipal: r.servicePrincipal } : {}),
    ...(r.allSupported !== undefined ? { allSupported: r.allSupported } : {}),
  };
}

/**
 * Decided: a customer managed recorder exists and records, with Config's service-linked role. Left
 * out: whether it records every resource type the account's enabled Security Hub controls need
 * (those controls aren't known here); `allSupported` is reported in the evidence only.
 */
export default defineCheck({
  id: "Config.1",
  title: "AWS Config should be enabled and recording, using the service-linked role",
  severity: "CRITICAL",
  resourceType: "AWS::::AccountRegion",
  controls: ["FSBP Config.1", "CIS 3.3"],
  description:
    "Without a recording AWS Config recorder, resource changes in this Region leave no configuration history and Config rules can't judge them. Vigil doesn't remediate this: turning Config on needs choices (delivery bucket, role, what to record); set up a recorder and delivery channel and start it, using the AWSServiceRoleForConfig service-linked role.",
  // Sweep only: no single call or Config item says that a Region never had a recorder.
  triggers: { cloudTrail: [], config: [] },
  // The sweep's collector makes the reads (its own iamActions); the adapter reads nothing.
  iamActions: [],
  undecided(state) {
    if (state.config === "unknown")
      return "Vigil may not list this Region's AWS Config recorders (AccessDenied)";
    const mine = state.config.recorders.filter(own);
    if (mine.some((r) => r.recording === true)) return undefined;
    if (mine.some((r) => r.recording === undefined))
      return "the Region's recorder has no recording status yet (created during the sweep)";
    // Only another service's recorder records: whether Security Hub counts it isn't documented.
    if (state.config.recorders.some((r) => !own(r) && r.recording === true))
      return "only a service-linked recorder records in this Region; whether it satisfies Config.1 is not known";
    return undefined;
  },
  evaluate(state) {
    if (state.config === "unknown") return [];
    const { recorders } = state.config;
    const evidence = { region: state.region, recorders: recorders.map(describe) };
    const mine = recorders.filter(own);
    const recording = mine.filter((r) => r.recording === true);
    if (!recording.length) {
      if (mine.some((r) => r.recording === undefined)) return [];
      if (recorders.some((r) => !own(r) && r.recording === true)) return [];
      return [
        {
          summary: mine.length
            ? `AWS Config is not recording in ${state.region}: recorder ${mine.map((r) => r.name).join(", ")} is stopped`
            : `AWS Config is not enabled in ${state.region}: no configuration recorder`,
          evidence,
        },
      ];
    }
    const customRole = recording.filter((r) => !r.roleArn || !SERVICE_LINKED_ROLE.test(r.roleArn));
    if (customRole.length < recording.length) return [];
    return [
      {
        summary: `AWS Config records in ${state.region} with role ${customRole.map((r) => r.roleArn ?? "(none)").join(", ")}, not the AWSServiceRoleForConfig service-linked role`,
        evidence,
        // Recording works: the gap is the role's permissions drifting from what Config needs.
        severity: "MEDIUM",
      },
    ];
  },
});
