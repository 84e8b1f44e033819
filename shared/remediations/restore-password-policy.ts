import type { IAMClient } from "@aws-sdk/client-iam";
import { z } from "zod";
import { errorName } from "../aws/errors";
import { loadIam } from "../aws/sdk";
import type { Violation } from "../checks/define";
import { isNoSuchEntity } from "../resources/iam-user/live";
import { policyBefore } from "../resources/password-policy/history";
import {
  BLANK_POLICY,
  describePolicy,
  describeRequirement,
  passwordPolicySchema,
  policyFromApi,
  raisedTo,
  samePolicy,
  strongest,
  type Requirement,
} from "../resources/password-policy/policy";
import type { PasswordPolicy } from "../resources/password-policy/state";
import {
  defineRemediation,
  type RemediationClients,
  type RemediationInput,
  type RemediationOutcome,
} from "./define";

export const RESTORE_PASSWORD_POLICY_ID = "restore-password-policy";

const CHECKS = ["IAM.7", "IAM.15", "IAM.16"];

/** An account setting can't carry the exemption tag: only Vigil's config keeps it from acting again. */
const keepYours = (accountId: string) =>
  `to keep your own policy, first exempt ${CHECKS.join(", ")} for account ${accountId} in Vigil's config ` +
  `(exemptions: [{ checks: [...], accounts: ["${accountId}"], reason: "..." }]), then run vigil undo`;

const requirementSchema = z.union([
  z.object({
    setting: z.enum([
      "RequireUppercaseCharacters",
      "RequireLowercaseCharacters",
      "RequireNumbers",
      "RequireSymbols",
    ]),
    required: z.literal(true),
  }),
  z.object({
    setting: z.enum(["MinimumPasswordLength", "PasswordReusePrevention"]),
    required: z.number().int(),
  }),
  z.object({ setting: z.literal("MaxPasswordAge"), required: z.number().int() }),
]);
/** The checks' evidence: `weak` lists each requirement missed (with its `actual` value, ignored here). */
const evidenceSchema = z.looseObject({ weak: z.array(z.unknown()) });

/** The requirements the violations' evidence lists (`weak`), each once. */
function requirementsOf(violations: Violation[]): Requirement[] {
  const out = new Map<string, Requirement>();
  for (const v of violations) {
    const parsed = evidenceSchema.safeParse(v.evidence);
    for (const item of parsed.success ? parsed.data.weak : []) {
      const r = requirementSchema.safeParse(item);
      if (r.success) out.set(describeRequirement(r.data), r.data);
    }
  }
  return [...out.values()];
}

const undoParamsSchema = z.looseObject({
  accountId: z.string().regex(/^\d{12}$/),
  /** The policy Vigil found when it acted (null: none), which undo puts back. */
  before: passwordPolicySchema.nullable(),
  /** What Vigil set: undo refuses if the account no longer has exactly this. */
  after: passwordPolicySchema,
});
export type RestorePasswordPolicyUndoParams = z.input<typeof undoParamsSchema>;

/** The account's policy now; null when it has none (NoSuchEntity). */
async function livePolicy(iam: IAMClient): Promise<PasswordPolicy | null> {
  const { GetAccountPasswordPolicyCommand } = await loadIam();
  try {
    const out = await iam.send(new GetAccountPasswordPolicyCommand({}));
    return out.PasswordPolicy ? policyFromApi(out.PasswordPolicy) : null;
  } catch (error) {
    if (isNoSuchEntity(error)) return null;
    throw error;
  }
}

async function put(iam: IAMClient, policy: PasswordPolicy): Promise<void> {
  const { UpdateAccountPasswordPolicyCommand } = await loadIam();
  await iam.send(new UpdateAccountPasswordPolicyCommand({ ...policy }));
}

async function apply(
  input: RemediationInput<"AWS::IAM::AccountPasswordPolicy">,
  clients: RemediationClients,
): Promise<RemediationOutcome> {
  const { state, violations, dryRun } = input;
  const account = state.accountId;
  const requirements = requirementsOf(violations);
  if (!requirements.length)
    return { result: "skipped", action: "no password-policy requirement to restore", awsCalls: 0 };
  const raise = requirements.map(describeRequirement).join(" ");
  if (dryRun) {
    return {
      result: "planned",
      action:
        `UpdateAccountPasswordPolicy for account ${account}: put back the policy in force before ${state.changedAt} ` +
        `(per CloudTrail event history; the current one when unknown), raised to ${raise}`,
      awsCalls: 0,
    };
  }
  const iam = await clients.iam();
  const [live, previous] = await Promise.all([
    livePolicy(iam),
    policyBefore(await clients.cloudTrail(), state.changedAt, state.changeRegion),
  ]);
  // Never weaker than the policy now, than the one before the change, or than the checks require.
  const base = (previous.known ? previous.policy : live) ?? live ?? BLANK_POLICY;
  const target = raisedTo(strongest(base, live), requirements);
  const source = previous.known
    ? `the policy before the change, set ${previous.setAt}: ${describePolicy(previous.policy)}`
    : `${previous.reason}, so the current policy`;
  if (samePolicy(live, target)) {
    return {
      result: "already-gone",
      action: `account ${account}: the password policy already meets ${raise}`,
      awsCalls: 3,
    };
  }
  try {
    await put(iam, target);
  } catch (error) {
    if (errorName(error) !== "AccessDenied" && errorName(error) !== "AccessDeniedException") throw error;
    return {
      result: "failed",
      action: `UpdateAccountPasswordPolicy for account ${account} was denied`,
      detail:
        "the remediation role lacks iam:UpdateAccountPasswordPolicy, or a service control policy denies it",
      awsCalls: 4,
    };
  }
  return {
    result: "succeeded",
    action: `account ${account}: password policy set to ${describePolicy(target)} (from ${source}; raised to ${raise})`,
    detail: keepYours(account),
    undo: {
      remediationId: RESTORE_PASSWORD_POLICY_ID,
      params: { accountId: account, before: live, after: target } satisfies RestorePasswordPolicyUndoParams,
    },
    awsCalls: 4,
  };
}

export default defineRemediation<"AWS::IAM::AccountPasswordPolicy">({
  id: RESTORE_PASSWORD_POLICY_ID,
  title:
    "Put back the account password policy in force before the change, raised to the checks' requirements",
  resourceType: "AWS::IAM::AccountPasswordPolicy",
  // LookupEvents: the policy before the change (CloudTrail event history); the others read and set it.
  iamActions: ["iam:GetAccountPasswordPolicy", "iam:UpdateAccountPasswordPolicy", "cloudtrail:LookupEvents"],
  undoIamActions: [
    "iam:GetAccountPasswordPolicy",
    "iam:UpdateAccountPasswordPolicy",
    "iam:DeleteAccountPasswordPolicy",
  ],
  // Stricter rules apply at each user's next password change; a restored expiry may make users change
  // (or, with HardExpiry, have an administrator reset) passwords older than it at their next sign-in.
  disruptive: true,
  undoExemptsByTag: false,
  apply,
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const iam = await clients.iam();
    const now = await livePolicy(iam);
    if (!samePolicy(now, params.after)) {
      throw new Error(
        `account ${params.accountId}'s password policy changed since Vigil set it ` +
          `(now ${describePolicy(now)}, Vigil set ${describePolicy(params.after)}): not overwriting it`,
      );
    }
    if (params.before === null) {
      const { DeleteAccountPasswordPolicyCommand } = await loadIam();
      await iam.send(new DeleteAccountPasswordPolicyCommand({}));
    } else {
      await put(iam, params.before);
    }
    return (
      `account ${params.accountId}: password policy put back to ${describePolicy(params.before)}; ` +
      `an account setting can't carry the exemption tag: unless Vigil's config exempts ${CHECKS.join(", ")} ` +
      `for this account, the next change to the policy is judged again`
    );
  },
});
