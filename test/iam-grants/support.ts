import { cloudTrailDetailSchema, type CloudTrailDetail } from "../../shared/events/cloudtrail";
import type { ConfigItem } from "../../shared/events/config-item";
import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "global";
export const ADMIN_ARN = "arn:aws:iam::aws:policy/AdministratorAccess";

export const grantEvent = (name: string) => loadEvent(`iam-grants/${name}.json`);

/** The CloudTrail detail of a sample, optionally edited. */
export function detailOf(
  event: { detail: Record<string, unknown> },
  edit?: (d: Record<string, unknown>) => void,
): CloudTrailDetail {
  const detail = structuredClone(event.detail);
  edit?.(detail);
  return cloudTrailDetailSchema.parse(detail);
}

/** The Config item of a sample "Configuration Item Change" event, optionally edited. */
export function configItemOf(name: string, edit?: (item: Record<string, unknown>) => void): ConfigItem {
  const item = structuredClone(grantEvent(name).detail.configurationItem) as Record<string, unknown>;
  edit?.(item);
  return item as ConfigItem;
}

export const idFor = (checkId: string, resourceId: string) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}

/** IAM's URL encoding of a document, as GetUserPolicy / GetPolicyVersion / Config return it. */
export const urlEncoded = (document: unknown) =>
  encodeURIComponent(typeof document === "string" ? document : JSON.stringify(document, null, 4));

export const ADMIN_DOCUMENT = {
  Version: "2012-10-17",
  Statement: [{ Sid: "BreakGlass", Effect: "Allow", Action: "*", Resource: "*" }],
};
export const SCOPED_DOCUMENT = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::reporting-exports/*" }],
};
export const KMS_DOCUMENT = {
  Version: "2012-10-17",
  Statement: [{ Sid: "DecryptExports", Effect: "Allow", Action: ["kms:Decrypt"], Resource: "*" }],
};
