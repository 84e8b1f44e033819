import type { CheckTriggers } from "../define";

/**
 * What changes a customer managed policy's effective document: its creation (v1), a new default version
 * (CreatePolicyVersion with setAsDefault, SetDefaultPolicyVersion), its deletion (resolves), and
 * Config's items, which also catch changes made before Vigil watched and usage-count changes.
 */
export const policyTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: "iam.amazonaws.com",
      eventNames: ["CreatePolicy", "CreatePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicy"],
    },
  ],
  config: ["AWS::IAM::Policy"],
};

export const REVERT_POLICY_DEFAULT = { id: "revert-policy-default-version", defaultMode: "dry-run" } as const;
