import type { Policy } from "@aws-sdk/client-iam";
import { loadIam } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { readDocument } from "../../resources/iam-policy/document";
import { getPolicyVersion } from "../../resources/iam-policy/live";
import { IAM_POLICY_TYPE, iamPolicyRef, parsePolicyArn } from "../../resources/iam-policy/ref";
import type { IamPolicyState } from "../../resources/iam-policy/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** ListPolicies takes up to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/**
 * The policy as the Config item path states it: its default version's document, id and usage
 * counts. `change` says, as a Config item's does, only which version is default as of the read
 * (no call made it so): the revert remediation then knows no version to go back to.
 */
function stateOf(policy: Policy & { Arn: string; DefaultVersionId: string }, document: string, at: string) {
  const read = readDocument(document, `GetPolicyVersion ${policy.DefaultVersionId}`);
  const state: IamPolicyState = {
    policyArn: policy.Arn,
    policyName: policy.PolicyName ?? policy.Arn.split("/").pop() ?? policy.Arn,
    ...(policy.PolicyId ? { policyId: policy.PolicyId } : {}),
    defaultVersionId: policy.DefaultVersionId,
    ...read,
    documentSource: `GetPolicyVersion ${policy.DefaultVersionId}`,
    ...(policy.AttachmentCount !== undefined ? { attachmentCount: policy.AttachmentCount } : {}),
    ...(policy.PermissionsBoundaryUsageCount !== undefined
      ? { permissionsBoundaryUsageCount: policy.PermissionsBoundaryUsageCount }
      : {}),
    change: { source: "ConfigItem", versionId: policy.DefaultVersionId, at },
  };
  return state;
}

/**
 * Every customer managed policy of the account (ListPolicies `Scope=Local`; AWS managed ones are
 * not judged) with its default version's document (GetPolicyVersion). A policy deleted between the
 * list and the read is skipped. Tags are left to the pipeline (read only for a violation).
 */
export function iamPoliciesCollector(pageSize = PAGE_SIZE): Collector<"AWS::IAM::Policy"> {
  return defineCollector({
    resourceType: IAM_POLICY_TYPE,
    scope: "global",
    iamActions: ["iam:ListPolicies", "iam:GetPolicyVersion"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::IAM::Policy">> {
      const [iam, { paginateListPolicies }] = await Promise.all([ctx.clients.iam(), loadIam()]);
      const pages = paginateListPolicies({ client: iam }, { Scope: "Local", MaxItems: pageSize });
      for await (const page of pages) {
        for (const policy of page.Policies ?? []) {
          const { Arn, DefaultVersionId } = policy;
          const parsed = Arn ? parsePolicyArn(Arn) : undefined;
          if (!Arn || !DefaultVersionId || !parsed || parsed.awsManaged) continue;
          const version = await getPolicyVersion(iam, Arn, DefaultVersionId);
          if (!version) continue;
          const observedAt = ctx.now.toISOString();
          yield {
            resource: iamPolicyRef(parsed),
            state: stateOf({ ...policy, Arn, DefaultVersionId }, version.Document ?? "", observedAt),
            complete: true,
            observedAt,
            tagsKnown: false,
          };
        }
      }
    },
  });
}

export default iamPoliciesCollector();
