import type { KeyFacts } from "./state";

const PENDING_DELETION = new Set(["PendingDeletion", "PendingReplicaDeletion"]);

/**
 * Why automatic rotation does not apply to this key (KMS.4 is then not applicable), or undefined
 * when it does: KMS rotates only symmetric encryption customer managed keys with KMS-generated
 * material outside custom key stores; a multi-Region replica follows its primary; a key pending
 * deletion can't have its rotation changed (KMS.3 covers it).
 */
export function whyRotationDoesNotApply(key: KeyFacts): string | undefined {
  if (key.keyManager !== "CUSTOMER")
    return `${key.keyManager} managed key: its rotation is not the account's to set`;
  if (key.keySpec !== "SYMMETRIC_DEFAULT")
    return `${key.keySpec} key: KMS rotates only symmetric encryption keys`;
  if (key.origin !== "AWS_KMS") return `key material from ${key.origin}: KMS can't rotate it`;
  if (key.multiRegionKeyType === "REPLICA")
    return "multi-Region replica key: rotation is set on its primary key";
  if (PENDING_DELETION.has(key.keyState)) return `key is ${key.keyState}: its rotation can't be changed`;
  return undefined;
}
