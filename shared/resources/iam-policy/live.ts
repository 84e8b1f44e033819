import type { IAMClient, Policy, PolicyVersion } from "@aws-sdk/client-iam";
import { loadIam } from "../../aws/sdk";
import { isNoSuchEntity } from "../iam-user/live";

/** The policy (default version id, usage counts, id); undefined when it no longer exists. */
export async function getPolicy(iam: IAMClient, policyArn: string): Promise<Policy | undefined> {
  const { GetPolicyCommand } = await loadIam();
  try {
    return (await iam.send(new GetPolicyCommand({ PolicyArn: policyArn }))).Policy;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** One version with its document (URL-encoded, as IAM answers); undefined when it (or the policy) is gone. */
export async function getPolicyVersion(
  iam: IAMClient,
  policyArn: string,
  versionId: string,
): Promise<PolicyVersion | undefined> {
  const { GetPolicyVersionCommand } = await loadIam();
  try {
    return (await iam.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })))
      .PolicyVersion;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** The ids of the policy's versions (at most five exist, so one page holds them); undefined when it is gone. */
export async function listVersionIds(iam: IAMClient, policyArn: string): Promise<string[] | undefined> {
  const { ListPolicyVersionsCommand } = await loadIam();
  try {
    const out = await iam.send(new ListPolicyVersionsCommand({ PolicyArn: policyArn }));
    return (out.Versions ?? []).flatMap((v) => (v.VersionId ? [v.VersionId] : []));
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** The policy's tags (exemptions); {} when it is gone. One page: a policy has at most 50 tags. */
export async function policyTags(iam: IAMClient, policyArn: string): Promise<Record<string, string>> {
  const { ListPolicyTagsCommand } = await loadIam();
  try {
    const out = await iam.send(new ListPolicyTagsCommand({ PolicyArn: policyArn }));
    return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  } catch (error) {
    if (isNoSuchEntity(error)) return {};
    throw error;
  }
}
