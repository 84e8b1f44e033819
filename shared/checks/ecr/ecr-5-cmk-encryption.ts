import { ecrRepositoryReadActions } from "../../resources/ecr-repository/adapter";
import { defineCheck } from "../define";
import { repositoryTriggers } from "./triggers";

const KMS_TYPES = new Set(["KMS", "KMS_DSSE"]);
/** `alias/aws/ecr`, or its ARN form: the AWS managed key, named explicitly. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\/ecr$/;

/**
 * Detect only: encryption is fixed when the repository is created. A KMS key given by id or ARN
 * passes: telling a customer key from the AWS managed key's ARN would take `kms:DescribeKey`.
 */
export default defineCheck({
  id: "ECR.5",
  title: "ECR repositories should be encrypted with customer managed AWS KMS keys",
  severity: "MEDIUM",
  resourceType: "AWS::ECR::Repository",
  controls: ["SecurityHub ECR.5"],
  description:
    "The repository is encrypted with AWS-owned (AES256) or AWS managed (aws/ecr) keys, so key policy, rotation and revocation are not under your control. Encryption can't be changed: create a new repository with KMS and a customer managed key and move the images.",
  triggers: repositoryTriggers(["CreateRepository"]),
  iamActions: ecrRepositoryReadActions,
  evaluate(state) {
    const encryption = state.encryption;
    if (!encryption) return [];
    const kms = KMS_TYPES.has(encryption.type);
    if (kms && encryption.kmsKey && !AWS_MANAGED_ALIAS.test(encryption.kmsKey)) return [];
    if (!kms && encryption.type !== "AES256") return [];
    const why = kms ? "the AWS managed key aws/ecr" : "Amazon S3-managed keys (AES256)";
    return [
      {
        summary: `repository ${state.repositoryName} is encrypted with ${why}, not a customer managed KMS key`,
        evidence: {
          repositoryName: state.repositoryName,
          encryptionType: encryption.type,
          kmsKey: encryption.kmsKey ?? null,
        },
      },
    ];
  },
});
