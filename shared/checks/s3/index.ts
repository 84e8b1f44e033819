import type { CheckDefinition } from "../define";
import defaultEncryptionRemoved from "./default-encryption-removed";
import publicPolicy from "./public-policy";
import s3_5 from "./s3-5-secure-transport";
import s3_8 from "./s3-8-block-public-access";

/** S3 general purpose bucket checks. Adding one = one file in this folder + one line here. */
export const s3BucketChecks: readonly CheckDefinition[] = [
  s3_8,
  publicPolicy,
  s3_5,
  defaultEncryptionRemoved,
];
