import type { KMSClient } from "@aws-sdk/client-kms";
import { errorName } from "../../aws/errors";
import { loadKms } from "../../aws/sdk";
import type { KeyManager, RepositoryEncryption } from "./state";

const KMS_TYPES = new Set(["KMS", "KMS_DSSE"]);
/** `alias/aws/ecr`, or its ARN form: the AWS managed key, named explicitly. */
const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\/ecr$/;

/**
 * DescribeKey errors that say the key's manager can't be known from here: no permission (a key in
 * another account whose policy doesn't let Vigil in), no such key (an alias since deleted), a key
 * id KMS rejects. Anything else (throttling, 5xx, timeouts) fails the event so it is retried.
 */
const CANNOT_KNOW = new Set(["AccessDeniedException", "NotFoundException", "InvalidArnException"]);

export const isKmsEncryption = (encryption: RepositoryEncryption): boolean => KMS_TYPES.has(encryption.type);

/**
 * Who manages the key, as far as the repository's settings alone say: no key named, or `aws/ecr`
 * named, is the AWS managed key (ECR's documented default). Any other key (an id, a key ARN, a
 * customer-looking alias) is known only from `kms:DescribeKey`: an AWS managed key's ARN looks
 * like any other. Undefined for non-KMS encryption.
 */
export function keyManagerOf(encryption: RepositoryEncryption): KeyManager | undefined {
  if (!isKmsEncryption(encryption)) return undefined;
  if (encryption.keyManager) return encryption.keyManager;
  if (!encryption.kmsKey || AWS_MANAGED_ALIAS.test(encryption.kmsKey)) return "AWS";
  return undefined;
}

/** Whether the key's manager still has to be read with DescribeKey (never for AES256, never twice). */
export function needsKeyLookup(encryption: RepositoryEncryption | undefined): boolean {
  return (
    encryption !== undefined &&
    isKmsEncryption(encryption) &&
    keyManagerOf(encryption) === undefined &&
    encryption.keyManagerUnknown === undefined
  );
}

/**
 * The encryption with its key's manager from `kms:DescribeKey` (KeyId exactly as the repository
 * names it: id, key ARN, alias or alias ARN). When KMS can't say, `keyManagerUnknown` names why.
 * Unchanged when no lookup is needed.
 */
export async function withKeyManager(
  kms: () => KMSClient | Promise<KMSClient>,
  encryption: RepositoryEncryption,
): Promise<RepositoryEncryption> {
  if (!needsKeyLookup(encryption) || !encryption.kmsKey) return encryption;
  const { DescribeKeyCommand } = await loadKms();
  const client = await kms();
  try {
    const out = await client.send(new DescribeKeyCommand({ KeyId: encryption.kmsKey }));
    const manager = out.KeyMetadata?.KeyManager;
    if (manager === "AWS" || manager === "CUSTOMER") return { ...encryption, keyManager: manager };
    return { ...encryption, keyManagerUnknown: `DescribeKey returned KeyManager ${manager ?? "(none)"}` };
  } catch (error) {
    const name = errorName(error);
    if (CANNOT_KNOW.has(name)) return { ...encryption, keyManagerUnknown: name };
    throw error;
  }
}

/** Whether ECR.5 can be decided: not KMS, or KMS with a known key manager. */
export function keyManagerKnown(encryption: RepositoryEncryption): boolean {
  return !isKmsEncryption(encryption) || keyManagerOf(encryption) !== undefined;
}
