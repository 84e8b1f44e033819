import { flagsOff } from "../../resources/s3-bucket/public-access-block";
import { defineCheck } from "../define";
import { bucketReadActions, publicAccessBlockTriggers } from "./triggers";

export default defineCheck({
  id: "S3.8",
  title: "S3 general purpose buckets should block public access",
  severity: "HIGH",
  resourceType: "AWS::S3::Bucket",
  controls: ["FSBP S3.8", "CIS 2.1.4"],
  description:
    "The bucket's own Block Public Access settings are (partly) off, so a public policy or ACL can expose it unless the account-level settings stop it. When AWS Config shows they were stricter just before, Vigil puts those settings back (PutPublicAccessBlock); it never turns on what was not on.",
  triggers: publicAccessBlockTriggers,
  iamActions: bucketReadActions,
  remediation: { id: "restore-s3-bucket-public-access-block", defaultMode: "auto" },
  undecided: (state) =>
    state.publicAccessBlock === undefined
      ? "this source does not say how the bucket blocks public access"
      : undefined,
  evaluate(state) {
    const current = state.publicAccessBlock;
    if (current === undefined) return [];
    const off = flagsOff(current);
    if (!off.length) return [];
    const before = state.publicAccessBlockChange?.before;
    return [
      {
        summary: `bucket ${state.bucketName}: ${current ? `Block Public Access off for ${off.join(", ")}` : "no bucket-level Block Public Access"}${state.publicAccessBlockChange ? ` (${state.publicAccessBlockChange.call})` : ""}`,
        evidence: {
          bucketName: state.bucketName,
          setting: "publicAccessBlock",
          publicAccessBlock: current,
          off,
          ...(before?.known
            ? { before: before.value, beforeSource: `AWS Config item captured at ${before.capturedAt}` }
            : {
                before: "unknown",
                beforeSource: before?.reason ?? "this source does not say what was there before",
              }),
        },
      },
    ];
  },
});
