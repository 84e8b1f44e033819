import type { S3Client } from "@aws-sdk/client-s3";
import { z } from "zod";
import { loadS3 } from "../aws/sdk";
import { BucketGoneError, readPolicyText, type BucketTarget } from "../resources/s3-bucket/live";
import { parseBucketPolicy, policyDocument } from "../resources/s3-bucket/policy";
import { requiresSecureTransport } from "../resources/s3-bucket/policy-analysis";
import { defineRemediation, type RemediationOutcome } from "./define";
import { BUCKET_UNDO_TAG_ACTIONS, bucketUndoSchema, tagBucketExempt } from "./s3-bucket/undo-support";

export const ADD_SECURE_TRANSPORT_DENY_ID = "add-s3-secure-transport-deny";
/** The one statement Vigil adds, and the one undo removes. */
export const SECURE_TRANSPORT_SID = "VigilDenyInsecureTransport";
/** S3's limit on a bucket policy. */
const MAX_POLICY_BYTES = 20 * 1024;

export function secureTransportStatement(bucketArn: string): Record<string, unknown> {
  return {
    Sid: SECURE_TRANSPORT_SID,
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

const undoSchema = bucketUndoSchema.extend({
  /** Whether the bucket had a policy before: if not, undo deletes the policy rather than leave it empty. */
  hadPolicy: z.boolean(),
});
export type SecureTransportUndoParams = z.input<typeof undoSchema>;

const statementsOf = (document: Record<string, unknown>): unknown[] =>
  Array.isArray(document.Statement) ? document.Statement : document.Statement ? [document.Statement] : [];

const sidOf = (statement: unknown): unknown => (statement as { Sid?: unknown } | null)?.Sid;

type Plan =
  | { kind: "put"; text: string; hadPolicy: boolean }
  | { kind: "stop"; outcome: Omit<RemediationOutcome, "awsCalls"> };

/** The live policy with the deny added, leaving every other statement and field exactly as it is. */
function planFor(live: string | null, bucketName: string, bucketArn: string): Plan {
  const document = live === null ? { Version: "2012-10-17", Statement: [] } : policyDocument(live);
  const parsed = live === null ? null : parseBucketPolicy(live);
  if (!document || parsed === undefined)
    return {
      kind: "stop",
      outcome: { result: "failed", action: `${bucketName}'s live policy is not a policy Vigil can read` },
    };
  if (requiresSecureTransport(parsed, bucketArn))
    return {
      kind: "stop",
      outcome: {
        result: "already-gone",
        action: `${bucketName}'s policy already denies plain-HTTP requests`,
      },
    };
  const statements = statementsOf(document);
  if (statements.some((s) => sidOf(s) === SECURE_TRANSPORT_SID))
    return {
      kind: "stop",
      outcome: {
        result: "skipped",
        action: `${bucketName}'s policy has a statement ${SECURE_TRANSPORT_SID} that no longer denies plain HTTP: not overwritten`,
      },
    };
  const text = JSON.stringify({
    ...document,
    Statement: [...statements, secureTransportStatement(bucketArn)],
  });
  if (Buffer.byteLength(text) > MAX_POLICY_BYTES)
    return {
      kind: "stop",
      outcome: {
        result: "skipped",
        action: `${bucketName}: the policy with the deny would exceed S3's 20 KB limit`,
      },
    };
  return { kind: "put", text, hadPolicy: live !== null };
}

async function readLive(s3: S3Client, bucket: BucketTarget): Promise<string | null | BucketGoneError> {
  try {
    return await readPolicyText(s3, bucket);
  } catch (error) {
    if (error instanceof BucketGoneError) return error;
    throw error;
  }
}

export default defineRemediation<"AWS::S3::Bucket">({
  id: ADD_SECURE_TRANSPORT_DENY_ID,
  title: "Add one statement to the bucket policy that denies plain-HTTP requests (S3.5)",
  resourceType: "AWS::S3::Bucket",
  iamActions: ["s3:GetBucketPolicy", "s3:PutBucketPolicy"],
  undoIamActions: [
    "s3:GetBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    ...BUCKET_UNDO_TAG_ACTIONS,
  ],
  // Clients that still use HTTP are refused from then on: that is the point, and why it is dry-run by default.
  disruptive: true,
  async apply({ state, dryRun }, clients): Promise<RemediationOutcome> {
    const bucket = state.bucketName;
    const deny = `Deny s3:* to everyone on ${state.bucketArn} and its objects when aws:SecureTransport is false`;
    if (dryRun)
      return {
        result: "planned",
        action: `add statement ${SECURE_TRANSPORT_SID} to the bucket policy of ${bucket}: ${deny}`,
        awsCalls: 0,
      };
    const s3 = await clients.s3();
    const live = await readLive(s3, state);
    if (live instanceof BucketGoneError)
      return { result: "skipped", action: `${live.message}: nothing to change`, awsCalls: 1 };
    const plan = planFor(live, bucket, state.bucketArn);
    if (plan.kind === "stop") return { ...plan.outcome, awsCalls: 1 };
    const { PutBucketPolicyCommand } = await loadS3();
    await s3.send(
      new PutBucketPolicyCommand({ Bucket: bucket, ExpectedBucketOwner: state.accountId, Policy: plan.text }),
    );
    return {
      result: "succeeded",
      action: `${bucket}: added ${SECURE_TRANSPORT_SID} to the bucket policy (${deny})`,
      undo: {
        remediationId: ADD_SECURE_TRANSPORT_DENY_ID,
        params: {
          bucketName: bucket,
          accountId: state.accountId,
          hadPolicy: plan.hadPolicy,
        } satisfies SecureTransportUndoParams,
      },
      awsCalls: 2,
    };
  },
  async undo(payload, clients) {
    const params = undoSchema.parse(payload.params);
    const [s3, { DeleteBucketPolicyCommand, PutBucketPolicyCommand }] = await Promise.all([
      clients.s3(),
      loadS3(),
    ]);
    const exempted = await tagBucketExempt(s3, params, params.exemptChecks, params.exemptionTagKey);
    const target = { Bucket: params.bucketName, ExpectedBucketOwner: params.accountId };
    const live = await readPolicyText(s3, params);
    const document = live === null ? undefined : policyDocument(live);
    if (!document) return `${params.bucketName} has no policy Vigil can read: nothing removed${exempted}`;
    const statements = statementsOf(document);
    const kept = statements.filter((s) => sidOf(s) !== SECURE_TRANSPORT_SID);
    if (kept.length === statements.length)
      return `${params.bucketName}'s policy no longer has ${SECURE_TRANSPORT_SID}: nothing removed${exempted}`;
    if (!kept.length && !params.hadPolicy) {
      await s3.send(new DeleteBucketPolicyCommand(target));
      return `bucket policy of ${params.bucketName} deleted (Vigil had created it for ${SECURE_TRANSPORT_SID})${exempted}`;
    }
    await s3.send(
      new PutBucketPolicyCommand({ ...target, Policy: JSON.stringify({ ...document, Statement: kept }) }),
    );
    return `${SECURE_TRANSPORT_SID} removed from the bucket policy of ${params.bucketName}${exempted}`;
  },
});
