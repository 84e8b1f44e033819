import type { KeyMetadata } from "@aws-sdk/client-kms";
import { errorName } from "../../aws/errors";
import { loadKms } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { factsOf, isKeyGone, readRotation } from "../../resources/kms-key/live";
import { KEY_TYPE, keyTarget } from "../../resources/kms-key/ref";
import type { KmsKeyState, ScheduledDeletion } from "../../resources/kms-key/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

type KeyObservation = Observation<"AWS::KMS::Key">;

/** ListKeys takes 1 to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;
const PENDING_DELETION = new Set(["PendingDeletion", "PendingReplicaDeletion"]);
const DAY_MS = 86_400_000;

/**
 * The key's pending deletion, or null. DescribeKey gives the deletion date and waiting period, not
 * when it was scheduled: that is the date less the window (KMS counts the window from the call),
 * else the read's time. The restore only uses it to look up the key's state before the deletion,
 * skipping pending-deletion records either way.
 */
function deletionOf(meta: KeyMetadata, observedAt: string): ScheduledDeletion | null {
  if (!meta.KeyState || !PENDING_DELETION.has(meta.KeyState)) return null;
  const deletionDate = meta.DeletionDate?.toISOString();
  const window = meta.PendingDeletionWindowInDays;
  const scheduledAt =
    meta.DeletionDate && window !== undefined
      ? new Date(meta.DeletionDate.getTime() - window * DAY_MS).toISOString()
      : observedAt;
  return {
    scheduledAt,
    ...(deletionDate ? { deletionDate } : {}),
    ...(window !== undefined ? { pendingWindowInDays: window } : {}),
    keyState: meta.KeyState,
  };
}

/**
 * Every KMS key of the Region, customer and AWS managed: its kind, pending deletion (DescribeKey)
 * and, where KMS rotates it (symmetric customer managed keys with KMS material), its rotation
 * (GetKeyRotationStatus): the state the rotation and deletion calls' refresh builds, so KMS.3 and
 * KMS.4 judge it the same. A key whose policy shuts Vigil out is `unreadable` (its checks
 * undecided). Tags are read by the pipeline only for a key that violates something.
 */
export function kmsKeysCollector(pageSize = PAGE_SIZE): Collector<"AWS::KMS::Key"> {
  return defineCollector({
    resourceType: KEY_TYPE,
    scope: "regional",
    iamActions: ["kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus"],
    async *collect(ctx: CollectContext): AsyncIterable<KeyObservation> {
      const [kms, { paginateListKeys, DescribeKeyCommand }] = await Promise.all([
        ctx.clients.kms(),
        loadKms(),
      ]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateListKeys({ client: kms }, { Limit: pageSize })) {
        for (const listed of page.Keys ?? []) {
          if (!listed.KeyId || !listed.KeyArn) continue;
          const known: KmsKeyState = { keyId: listed.KeyId, keyArn: listed.KeyArn, region: ctx.region };
          let state: KmsKeyState;
          try {
            const meta = (await kms.send(new DescribeKeyCommand({ KeyId: listed.KeyArn }))).KeyMetadata;
            const key = meta && factsOf(meta);
            state =
              meta && key
                ? await readRotation(kms, { ...known, key, deletion: deletionOf(meta, observedAt) })
                : { ...known, unreadable: "DescribeKey did not say what kind of key it is" };
          } catch (error) {
            if (isKeyGone(error)) continue;
            if (errorName(error) !== "AccessDeniedException") throw error;
            state = { ...known, unreadable: "KMS answered AccessDeniedException" };
          }
          // readRotation reports a key deleted between its calls as unreadable: skip it as gone.
          if (state.unreadable === "KMS answered NotFoundException") continue;
          yield {
            resource: keyTarget(listed.KeyArn, ctx.account, ctx.region).ref,
            state,
            complete: true,
            observedAt,
            tagsKnown: false,
          };
        }
      }
    },
  });
}

export default kmsKeysCollector();
