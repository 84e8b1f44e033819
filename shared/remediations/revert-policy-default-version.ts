import { z } from "zod";
import { loadIam } from "../aws/sdk";
import { isPolicyRuleId, POLICY_RULES, type PolicyRuleId } from "../checks/iam-policy/rules";
import { undoExemptionTags } from "../exemptions/undo-tags";
import { isNoSuchEntity } from "../resources/iam-user/live";
import { readDocument } from "../resources/iam-policy/document";
import { getPolicy, getPolicyVersion, listVersionIds, policyTags } from "../resources/iam-policy/live";
import { previousDefault } from "../resources/iam-policy/previous-default";
import type { IamPolicyState } from "../resources/iam-policy/state";
import { defineRemediation, type RemediationClients, type RemediationOutcome } from "./define";

export const REVERT_POLICY_DEFAULT_ID = "revert-policy-default-version";

/**
 * Sets a customer managed policy's default version back to the one that was default before a risky
 * version took over, and nothing else: the risky version is kept (not deleted), so undo is exact, one
 * SetDefaultPolicyVersion back. Deleting it would make undo re-create it under a new version id.
 * Disruptive (dry-run by default): whoever relies on the new version loses what it added.
 */

const undoParamsSchema = z.looseObject({
  policyArn: z.string().min(1),
  /** The risky version Vigil moved away from: undo makes it the default again. */
  versionId: z.string().min(1),
  /** The version Vigil made the default. */
  revertedTo: z.string().min(1),
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});
export type RevertPolicyUndoParams = z.input<typeof undoParamsSchema>;

const skipped = (action: string, awsCalls = 0): RemediationOutcome => ({
  result: "skipped",
  action,
  awsCalls,
});

/** The controls the violations name, so the version to go back to can be checked against the same ones. */
function rulesOf(evidence: Record<string, unknown>[]): PolicyRuleId[] {
  return [...new Set(evidence.map((e) => e.rule).filter(isPolicyRuleId))];
}

/** What the change made default, or why there is nothing Vigil can revert. */
function target(state: IamPolicyState): { risky: string } | { skip: string } {
  const { change } = state;
  if (change.source === "CreatePolicy")
    return {
      skip: `nothing to revert on ${state.policyArn}: it was created with this document (v1, its only version); change the policy or delete it`,
    };
  if (!change.versionId)
    return { skip: `the event does not say which version of ${state.policyArn} it made default` };
  if (change.versionId !== state.defaultVersionId)
    return {
      skip: `the default of ${state.policyArn} is now ${state.defaultVersionId ?? "unknown"}, not ${change.versionId}: changed since`,
    };
  return { risky: change.versionId };
}

async function apply(
  state: IamPolicyState,
  rules: PolicyRuleId[],
  clients: RemediationClients,
): Promise<RemediationOutcome> {
  const arn = state.policyArn;
  const found = target(state);
  if ("skip" in found) return skipped(found.skip);
  const { risky } = found;
  const iam = await clients.iam();
  let awsCalls = 1;
  const policy = await getPolicy(iam, arn);
  if (!policy) return { result: "already-gone", action: `policy ${arn} no longer exists`, awsCalls };
  if (policy.DefaultVersionId !== risky)
    return skipped(
      `the default of ${arn} is now ${policy.DefaultVersionId ?? "unknown"}, not ${risky}: changed since (judged on its own)`,
      awsCalls,
    );
  awsCalls++;
  const versions = await listVersionIds(iam, arn);
  if (!versions) return { result: "already-gone", action: `policy ${arn} no longer exists`, awsCalls };

  const previous = await previousDefault({
    policyId: state.policyId ?? policy.PolicyId,
    risky,
    change: state.change,
    versions,
    configService: clients.configService,
  });
  awsCalls += previous.configReads;
  if ("unknown" in previous) return skipped(`${arn} not reverted: ${previous.unknown}`, awsCalls);

  // Never swap one risky document for another: the version to go back to must pass the same controls.
  awsCalls++;
  const version = await getPolicyVersion(iam, arn, previous.versionId);
  const read = version?.Document
    ? readDocument(version.Document, `GetPolicyVersion ${previous.versionId}`)
    : { documentProblem: `${previous.versionId} could not be read` };
  if ("documentProblem" in read) return skipped(`${arn} not reverted: ${read.documentProblem}`, awsCalls);
  const stillFlagged = rules.filter((rule) => POLICY_RULES[rule](read.document).length > 0);
  if (stillFlagged.length)
    return skipped(
      `${arn} not reverted: ${previous.versionId} (the previous default) fails ${stillFlagged.join(", ")} too`,
      awsCalls,
    );

  const { SetDefaultPolicyVersionCommand } = await loadIam();
  awsCalls++;
  await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: previous.versionId }));
  return {
    result: "succeeded",
    action: `${arn}: default version set back from ${risky} to ${previous.versionId}; ${risky} is kept`,
    detail: `${previous.how}; undo makes ${risky} the default again`,
    undo: {
      remediationId: REVERT_POLICY_DEFAULT_ID,
      params: {
        policyArn: arn,
        versionId: risky,
        revertedTo: previous.versionId,
      } satisfies RevertPolicyUndoParams,
    },
    awsCalls,
  };
}

export default defineRemediation<"AWS::IAM::Policy">({
  id: REVERT_POLICY_DEFAULT_ID,
  title: "Set a customer managed policy's default version back to the previous one",
  resourceType: "AWS::IAM::Policy",
  // Config's history says which version was default before a SetDefaultPolicyVersion (the event doesn't).
  iamActions: [
    "iam:GetPolicy",
    "iam:ListPolicyVersions",
    "iam:GetPolicyVersion",
    "iam:SetDefaultPolicyVersion",
    "config:GetResourceConfigHistory",
  ],
  undoIamActions: ["iam:ListPolicyTags", "iam:TagPolicy", "iam:SetDefaultPolicyVersion"],
  disruptive: true,
  async apply({ state, violations, dryRun }, clients) {
    const rules = rulesOf(violations.map((v) => v.evidence));
    if (!dryRun) return apply(state, rules, clients);
    const found = target(state);
    if ("skip" in found) return skipped(found.skip);
    const to =
      state.change.source === "CreatePolicyVersion" && found.risky === "v2"
        ? "v1"
        : "the version that was default before it (from AWS Config's history, checked when applied)";
    return {
      result: "planned",
      action: `set the default version of ${state.policyArn} from ${found.risky} back to ${to}; ${found.risky} would be kept`,
      awsCalls: 0,
    };
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const [iam, { SetDefaultPolicyVersionCommand, TagPolicyCommand }] = await Promise.all([
      clients.iam(),
      loadIam(),
    ]);
    let exempted = "";
    if (params.exemptChecks.length) {
      // Tag first: the SetDefaultPolicyVersion event must find the policy exempt, or Vigil would revert again.
      const current = await policyTags(iam, params.policyArn);
      const { tags, summary } = undoExemptionTags(current, params.exemptChecks, params.exemptionTagKey);
      await iam.send(
        new TagPolicyCommand({
          PolicyArn: params.policyArn,
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      exempted = `; policy ${summary}`;
    }
    try {
      await iam.send(
        new SetDefaultPolicyVersionCommand({ PolicyArn: params.policyArn, VersionId: params.versionId }),
      );
    } catch (error) {
      if (!isNoSuchEntity(error)) throw error;
      throw new Error(
        `${params.policyArn}: version ${params.versionId} no longer exists, nothing to make default again`,
        { cause: error },
      );
    }
    return `${params.policyArn}: default version set back to ${params.versionId} (Vigil had reverted to ${params.revertedTo})${exempted}`;
  },
});
