import { findingId } from "../../shared/findings/id";
import { parsePolicyDocument, type PolicyDocument } from "../../shared/policy";
import type { IamPolicyState } from "../../shared/resources/iam-policy/state";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
/** IAM findings live in the `global` pseudo-Region, whether from CloudTrail (us-east-1) or Config. */
export const REGION = "global";
export const POLICY_ARN = "arn:aws:iam::111122223333:policy/reporting-ops";
export const BREAK_GLASS_ARN = "arn:aws:iam::111122223333:policy/ops/ops-break-glass";
export const POLICY_ID = "ANPAXMPLC4V6B8N1M3Q5R";

export const policyEvent = (name: string) => loadEvent(`iam-policy/${name}.json`);

export const idFor = (checkId: string, resourceId = POLICY_ARN) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}

export const ADMIN_STATEMENT = { Sid: "ReportingAdmin", Effect: "Allow", Action: "*", Resource: "*" };
export const READ_STATEMENT = {
  Effect: "Allow",
  Action: ["s3:GetObject", "s3:ListBucket"],
  Resource: ["arn:aws:s3:::reporting-exports", "arn:aws:s3:::reporting-exports/*"],
};

/** A policy document as JSON text (what CloudTrail and SDK callers send). */
export const docText = (...statements: object[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements }, null, 4);

/** The same document URL-encoded, as IAM's API and Config answer it. */
export const encoded = (...statements: object[]) =>
  encodeURIComponent(docText(...statements)).replace(/\*/g, "%2A");

export function doc(...statements: object[]): PolicyDocument {
  const parsed = parsePolicyDocument({ Version: "2012-10-17", Statement: statements });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.document;
}

/** A judged state: reporting-ops, version v2 made default by CreatePolicyVersion, attached once. */
export function policyState(statements: object[], extra: Partial<IamPolicyState> = {}): IamPolicyState {
  return {
    policyArn: POLICY_ARN,
    policyName: "reporting-ops",
    policyId: POLICY_ID,
    defaultVersionId: "v2",
    document: doc(...statements),
    documentSource: "CreatePolicyVersion request",
    attachmentCount: 1,
    permissionsBoundaryUsageCount: 0,
    change: { source: "CreatePolicyVersion", versionId: "v2", at: "2025-03-15T08:51:37Z" },
    ...extra,
  };
}
