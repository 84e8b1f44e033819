import { defineResourceAdapter } from "../adapter";
import { readDocument } from "./document";
import { fromConfigItem } from "./from-config";
import { fromPolicyEvent } from "./from-cloudtrail";
import { getPolicy, getPolicyVersion, policyTags } from "./live";
import { IAM_POLICY_TYPE } from "./ref";

/** The reads this adapter makes: the policy and its default version (refresh), its tags (exemptions). */
export const iamPolicyReadActions = ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListPolicyTags"];

export default defineResourceAdapter({
  resourceType: IAM_POLICY_TYPE,
  fromCloudTrail: fromPolicyEvent,
  fromConfigItem,
  async readTags(observation, clients) {
    return policyTags(await clients.iam(), observation.resource.id);
  },
  /**
   * The policy as it is now: GetPolicy for the default version and the usage counts (a policy used only
   * as a permissions boundary grants nothing), and GetPolicyVersion for the default's document unless
   * the event already holds that very version's text. A policy deleted since has nothing left to judge.
   */
  async refresh(observation, clients) {
    const state = observation.state;
    if (!state) return { ...observation, needsRefresh: false };
    const iam = await clients.iam();
    const policy = await getPolicy(iam, state.policyArn);
    const defaultVersionId = policy?.DefaultVersionId;
    if (!policy || !defaultVersionId) return { ...observation, state: undefined, needsRefresh: false };
    const usage = {
      ...(policy.PolicyId ? { policyId: policy.PolicyId } : {}),
      defaultVersionId,
      attachmentCount: policy.AttachmentCount ?? 0,
      permissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount ?? 0,
    };
    if (state.document && defaultVersionId === state.change.versionId)
      return { ...observation, state: { ...state, ...usage }, needsRefresh: false };

    const version = await getPolicyVersion(iam, state.policyArn, defaultVersionId);
    const source = `GetPolicyVersion ${defaultVersionId}`;
    const read = version?.Document
      ? readDocument(version.Document, source)
      : { documentProblem: `${source}: no document (the version or the policy is gone)` };
    const { document: _document, documentProblem: _problem, ...rest } = state;
    return {
      ...observation,
      state: { ...rest, ...usage, ...read, documentSource: source },
      needsRefresh: false,
    };
  },
});
