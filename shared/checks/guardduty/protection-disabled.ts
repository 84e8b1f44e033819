import type { Severity } from "../../core/severity";
import { defineCheck } from "../define";
import { detectorReadActions, RESTORE_DETECTOR, updateTriggers } from "./triggers";

/** The Security Hub control each protection plan answers to, and its severity there (controls.md §1.6). */
const PLANS: Record<string, { control: string; severity: Severity }> = {
  S3_DATA_EVENTS: { control: "GuardDuty.10", severity: "HIGH" },
  EKS_AUDIT_LOGS: { control: "GuardDuty.5", severity: "HIGH" },
  EBS_MALWARE_PROTECTION: { control: "GuardDuty.8", severity: "HIGH" },
  RDS_LOGIN_EVENTS: { control: "GuardDuty.9", severity: "HIGH" },
  LAMBDA_NETWORK_LOGS: { control: "GuardDuty.6", severity: "HIGH" },
  RUNTIME_MONITORING: { control: "GuardDuty.11", severity: "HIGH" },
  EKS_RUNTIME_MONITORING: { control: "GuardDuty.7", severity: "MEDIUM" },
};

export default defineCheck({
  id: "VIGIL.GUARDDUTY.PROTECTION_DISABLED",
  title: "GuardDuty protection plans should not be turned off",
  severity: "HIGH",
  resourceType: "AWS::GuardDuty::Detector",
  controls: [
    "GuardDuty.5",
    "GuardDuty.6",
    "GuardDuty.7",
    "GuardDuty.8",
    "GuardDuty.9",
    "GuardDuty.10",
    "GuardDuty.11",
  ].map((id) => `FSBP ${id}`),
  description:
    "An UpdateDetector call turned GuardDuty protection plans off (S3, EKS audit logs, malware scanning, runtime monitoring...), blinding it to those threats. Vigil turns exactly those plans back on (UpdateDetector Features), with the agent management the same call turned off.",
  tampering: true,
  triggers: updateTriggers,
  iamActions: detectorReadActions,
  remediation: RESTORE_DETECTOR,
  // Only a call that turns a plan off is judged: one that turns a plan on says nothing about the
  // others, so it can't resolve the finding (the remediation's confirmation does).
  undecided: (state) =>
    state.protections?.some((p) => !p.enabled) ? undefined : "this call turned no protection plan off",
  evaluate: (state) =>
    (state.protections ?? [])
      .filter((p) => !p.enabled)
      .map((p) => {
        const plan = PLANS[p.feature];
        return {
          summary: `GuardDuty ${p.feature} was turned off on detector ${state.detectorId}`,
          evidence: {
            detectorId: state.detectorId,
            setting: "protection",
            feature: p.feature,
            // What the restore turns back on with the plan: the agent management the same call turned off.
            ...(p.agentsOff?.length ? { agentsOff: p.agentsOff } : {}),
            ...(plan ? { control: plan.control } : {}),
          },
          ...(plan ? { severity: plan.severity } : {}),
        };
      }),
});
