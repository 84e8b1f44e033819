import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { errorName } from "../../aws/errors";
import { loadConfigService } from "../../aws/sdk";
import { ITEM_STATUSES_DELETED } from "../../events/config-item";
import { isTransient } from "../../pipeline/remediate";
import { parsePolicyConfiguration } from "./from-config";
import { IAM_POLICY_TYPE } from "./ref";
import type { PolicyChange } from "./state";

export type PreviousDefault =
  { versionId: string; how: string; configReads: number } | { unknown: string; configReads: number };

export interface PreviousDefaultInput {
  policyId?: string;
  /** The version the change made default (the one to move away from). */
  risky: string;
  change: PolicyChange;
  /** The policy's version ids now (ListPolicyVersions). */
  versions: readonly string[];
  configService: () => ConfigServiceClient | Promise<ConfigServiceClient>;
}

/** The history API gives `configuration` as JSON text. */
function jsonOf(text: string | undefined): unknown {
  try {
    return text === undefined ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id) => b.includes(id));

/**
 * Which version was the default just before `change`, known exactly or not at all (none of the events
 * say it: SetDefaultPolicyVersion names only the new one).
 *
 * 1. CreatePolicyVersion that made v2 the default: v1 was the only version then, hence the default.
 * 2. Otherwise AWS Config's newest item captured before the change: its default version, provided it is
 *    not the risky one, still exists, and the policy's other versions are the ones Config recorded. That
 *    last test catches versions created or deleted since Config's record (which would mean changes Config
 *    missed); a SetDefaultPolicyVersion in between that Config did not record can't be seen, which is why
 *    the outcome names the item's time.
 */
export async function previousDefault(input: PreviousDefaultInput): Promise<PreviousDefault> {
  const { risky, change, versions } = input;
  if (change.source === "CreatePolicyVersion" && risky === "v2" && versions.includes("v1"))
    return {
      versionId: "v1",
      how: "v2 was the policy's second version: v1, the only one before it, was the default",
      configReads: 0,
    };
  if (!input.policyId)
    return { unknown: "the policy's id (for AWS Config's history) is unknown", configReads: 0 };
  const before = new Date(Date.parse(change.at) - 1);
  if (Number.isNaN(before.getTime()))
    return { unknown: `unreadable change time "${change.at}"`, configReads: 0 };

  const { GetResourceConfigHistoryCommand } = await loadConfigService();
  let raw;
  try {
    const out = await (
      await input.configService()
    ).send(
      new GetResourceConfigHistoryCommand({
        resourceType: IAM_POLICY_TYPE,
        resourceId: input.policyId,
        laterTime: before,
        limit: 1,
      }),
    );
    raw = out.configurationItems?.[0];
  } catch (error) {
    if (isTransient(error)) throw error;
    const name = errorName(error) || "an error";
    return {
      unknown:
        name === "ResourceNotDiscoveredException"
          ? "AWS Config has not recorded this policy (is it recording AWS::IAM::Policy in this Region?)"
          : `AWS Config's history could not be read (${name})`,
      configReads: 1,
    };
  }
  const fail = (unknown: string) => ({ unknown, configReads: 1 });
  if (!raw) return fail(`AWS Config has no record of the policy from before ${change.at}`);
  const recordedAt = raw.configurationItemCaptureTime?.toISOString() ?? "an unknown time";
  if (ITEM_STATUSES_DELETED.includes(raw.configurationItemStatus ?? ""))
    return fail(`AWS Config's last record before ${change.at} (${recordedAt}) is of a deleted policy`);
  const configuration = parsePolicyConfiguration(jsonOf(raw.configuration));
  if (!configuration.success) return fail(`AWS Config's item of ${recordedAt} is unreadable`);
  const { defaultVersionId, policyVersionList } = configuration.data;
  const where = `AWS Config's last record before the change (${recordedAt})`;
  if (defaultVersionId === risky)
    return fail(`${risky} was already the default in ${where}: no earlier default to go back to`);
  if (!versions.includes(defaultVersionId))
    return fail(`${defaultVersionId}, the default in ${where}, has been deleted since`);
  const recorded = policyVersionList.map((v) => v.versionId).filter((id) => id !== risky);
  if (
    !sameSet(
      recorded,
      versions.filter((id) => id !== risky),
    )
  )
    return fail(
      `the policy's versions changed after ${where} (recorded ${recorded.join(", ")}; now ${versions.join(", ")}): ` +
        "the default just before the change can't be known exactly",
    );
  return {
    versionId: defaultVersionId,
    how: `${defaultVersionId} was the default in ${where}`,
    configReads: 1,
  };
}
