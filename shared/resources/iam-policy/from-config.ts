import { z } from "zod";
import { configurationOf, ITEM_STATUSES_DELETED, type ConfigItem } from "../../events/config-item";
import { UnusableEventError, type Observation } from "../adapter";
import { readDocument } from "./document";
import { iamPolicyRef, parsePolicyArn } from "./ref";

/** Config's `AWS::IAM::Policy` configuration (IAM API casing); each version's document is URL-encoded. */
const configurationSchema = z.looseObject({
  policyName: z.string().min(1),
  policyId: z.string().optional(),
  arn: z.string().min(1),
  defaultVersionId: z.string().min(1),
  attachmentCount: z.number().optional(),
  permissionsBoundaryUsageCount: z.number().optional(),
  policyVersionList: z.array(
    z.looseObject({
      document: z.string().nullable().optional(),
      versionId: z.string().min(1),
      isDefaultVersion: z.boolean().optional(),
    }),
  ),
});
export type PolicyConfiguration = z.infer<typeof configurationSchema>;

/** A configuration as a notification (object) or the history API (JSON string) carries it. */
export function parsePolicyConfiguration(configuration: unknown): z.ZodSafeParseResult<PolicyConfiguration> {
  return configurationSchema.safeParse(configuration);
}

/** A Config item is the whole policy: the default version's document and how the policy is used. */
export function fromConfigItem(item: ConfigItem): Observation<"AWS::IAM::Policy"> {
  const base = { complete: true, observedAt: item.configurationItemCaptureTime, tagsKnown: false };
  const arn = item.ARN ?? undefined;
  if (ITEM_STATUSES_DELETED.includes(item.configurationItemStatus)) {
    const policy = arn ? parsePolicyArn(arn) : undefined;
    if (!policy) throw new UnusableEventError(`deleted AWS::IAM::Policy item without a policy ARN`);
    return { ...base, resource: iamPolicyRef(policy), state: undefined };
  }
  const parsed = parsePolicyConfiguration(configurationOf(item));
  if (!parsed.success)
    throw new UnusableEventError(`AWS::IAM::Policy configuration: ${z.prettifyError(parsed.error)}`);
  const configuration = parsed.data;
  const policy = parsePolicyArn(configuration.arn);
  if (!policy) throw new UnusableEventError(`"${configuration.arn}" is not a managed policy ARN`);
  const version = configuration.policyVersionList.find((v) => v.versionId === configuration.defaultVersionId);
  const read = version?.document
    ? readDocument(version.document, `Config item, version ${version.versionId}`)
    : {
        documentProblem: `the Config item holds no document for default version ${configuration.defaultVersionId}`,
      };
  return {
    ...base,
    resource: iamPolicyRef(policy),
    state: {
      policyArn: policy.arn,
      policyName: configuration.policyName,
      ...(configuration.policyId ? { policyId: configuration.policyId } : {}),
      defaultVersionId: configuration.defaultVersionId,
      ...read,
      documentSource: `AWS Config item of ${item.configurationItemCaptureTime}`,
      ...(configuration.attachmentCount !== undefined
        ? { attachmentCount: configuration.attachmentCount }
        : {}),
      ...(configuration.permissionsBoundaryUsageCount !== undefined
        ? { permissionsBoundaryUsageCount: configuration.permissionsBoundaryUsageCount }
        : {}),
      change: {
        source: "ConfigItem",
        versionId: configuration.defaultVersionId,
        at: item.configurationItemCaptureTime,
      },
      ...(policy.awsManaged ? { awsManaged: true } : {}),
    },
  };
}
