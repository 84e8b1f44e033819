import { requiresSecureTransport } from "../../resources/s3-bucket/policy-analysis";
import { defineCheck } from "../define";
import { bucketReadActions, policyTriggers } from "./triggers";

export default defineCheck({
  id: "S3.5",
  title: "S3 general purpose buckets should require requests to use SSL",
  severity: "MEDIUM",
  resourceType: "AWS::S3::Bucket",
  controls: ["FSBP S3.5", "CIS 2.1.1"],
  description:
    'The bucket policy has no statement denying every S3 action to every principal on the bucket and its objects when "aws:SecureTransport" is "false", so plain-HTTP requests are accepted. Vigil can add exactly that Deny (Sid VigilDenyInsecureTransport) to the live policy; dry-run by default, since HTTP-only clients would then fail.',
  triggers: policyTriggers,
  iamActions: bucketReadActions,
  remediation: { id: "add-s3-secure-transport-deny", defaultMode: "dry-run" },
  undecided: (state) =>
    state.policy === undefined ? "this source does not say what the bucket policy is" : undefined,
  evaluate(state) {
    if (state.policy === undefined || requiresSecureTransport(state.policy, state.bucketArn)) return [];
    return [
      {
        summary: `bucket ${state.bucketName} accepts plain-HTTP requests: ${state.policy ? "its policy does not deny them" : "it has no bucket policy"}`,
        evidence: {
          bucketName: state.bucketName,
          setting: "secureTransport",
          hasPolicy: state.policy !== null,
          requires:
            'Deny s3:* to Principal "*" on the bucket and bucket/* when aws:SecureTransport is "false"',
        },
      },
    ];
  },
});
