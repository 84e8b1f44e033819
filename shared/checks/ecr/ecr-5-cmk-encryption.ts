import {
  ecrRepositoryKeyReadActions,
  ecrRepositoryReadActions,
} from "../../resources/ecr-repository/adapter";
import { isKmsEncryption, keyManagerKnown, keyManagerOf } from "../../resources/ecr-repository/kms-key";
import type { RepositoryEncryption } from "../../resources/ecr-repository/state";
import { defineCheck } from "../define";
import { repositoryTriggers } from "./triggers";

/** How the key's manager is known: read from KMS, or ECR's own AWS managed key by name or default. */
function managerSource(encryption: RepositoryEncryption): string {
  if (encryption.keyManager) return "kms:DescribeKey";
  return encryption.kmsKey ? "alias/aws/ecr" : "no key named (aws/ecr)";
}

/**
 * Detect only: encryption is fixed when the repository is created. A KMS key passes only when
 * `kms:DescribeKey` says a customer manages it (an AWS managed key's ARN looks like any other);
 * when KMS can't say (access denied, key not found) the check is undecided: its finding stays as it
 * is, while the repository's other checks still open and resolve theirs.
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
  iamActions: [...ecrRepositoryReadActions, ...ecrRepositoryKeyReadActions],
  undecided(state) {
    const encryption = state.encryption;
    if (!encryption || keyManagerKnown(encryption)) return undefined;
    return encryption.keyManagerUnknown ?? `who manages KMS key ${encryption.kmsKey ?? ""} is not known yet`;
  },
  evaluate(state) {
    const encryption = state.encryption;
    if (!encryption) return [];
    const kms = isKmsEncryption(encryption);
    if (!kms && encryption.type !== "AES256") return [];
    const manager = keyManagerOf(encryption);
    // CUSTOMER passes; undefined = not known (not read, or KMS would not say): never a guess.
    if (kms && manager !== "AWS") return [];
    const why = !kms
      ? "Amazon S3-managed keys (AES256)"
      : encryption.keyManager === "AWS"
        ? `the AWS managed KMS key ${encryption.kmsKey ?? ""}`
        : "the AWS managed key aws/ecr";
    return [
      {
        summary: `repository ${state.repositoryName} is encrypted with ${why}, not a customer managed KMS key`,
        evidence: {
          repositoryName: state.repositoryName,
          encryptionType: encryption.type,
          kmsKey: encryption.kmsKey ?? null,
          ...(kms ? { keyManager: "AWS", keyManagerFrom: managerSource(encryption) } : {}),
        },
      },
    ];
  },
});
