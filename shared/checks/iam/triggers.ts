import type { CheckTriggers } from "../define";

const IAM = "iam.amazonaws.com";

/**
 * Root activity Vigil listens for: the console sign-in (its own EventBridge detail-type, see the
 * check) and the IAM calls a root user makes to hand out or change credentials. Rules match event
 * names, not principals, so the list stays to these; other principals' calls yield no observation.
 */
export const ROOT_WATCHED_IAM_CALLS = [
  "CreateUser",
  "DeleteUser",
  "CreateAccessKey",
  "UpdateAccessKey",
  "DeleteAccessKey",
  "CreateLoginProfile",
  "UpdateLoginProfile",
  "DeleteLoginProfile",
  "CreateVirtualMFADevice",
  "EnableMFADevice",
  "DeactivateMFADevice",
  "DeleteVirtualMFADevice",
  "AttachUserPolicy",
  "PutUserPolicy",
  "UpdateAccountPasswordPolicy",
  "DeleteAccountPasswordPolicy",
];

export const rootActivityTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: "signin.amazonaws.com", eventNames: ["ConsoleLogin"] },
    { eventSource: IAM, eventNames: ROOT_WATCHED_IAM_CALLS },
  ],
  config: [],
};

/** IAM.4: the root user creating a key (opens) or deleting one (confirmed live, may resolve). */
export const rootAccessKeyTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: IAM, eventNames: ["CreateAccessKey", "DeleteAccessKey"] }],
  config: [],
};

/** IAM.5: a password given (opens if no MFA), an MFA device or the password removed, the user deleted. */
export const consoleMfaTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: IAM,
      eventNames: [
        "CreateLoginProfile",
        "DeleteLoginProfile",
        "EnableMFADevice",
        "DeactivateMFADevice",
        "DeleteUser",
      ],
    },
  ],
  config: [],
};

/** IAM.7 / IAM.15 / IAM.16: the call carries the whole new policy (or removes it). */
export const passwordPolicyTriggers: CheckTriggers = {
  cloudTrail: [
    { eventSource: IAM, eventNames: ["UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy"] },
  ],
  config: [],
};

/**
 * IAM.3 / IAM.8 / IAM.22 are periodic: ages grow without events, so the sweep evaluates them from
 * the credential report (shared/iam-credentials). A deleted user resolves them at once.
 */
export const credentialTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: IAM, eventNames: ["DeleteUser"] }],
  config: [],
};
