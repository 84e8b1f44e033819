import type { KMSClient, KeyMetadata } from "@aws-sdk/client-kms";
import { errorName } from "../../aws/errors";
import { loadKms } from "../../aws/sdk";
import { whyRotationDoesNotApply } from "./rotation-support";
import type { KeyFacts, KmsKeyState } from "./state";

/**
 * Errors that say the key can't be read from here: its key policy doesn't let Vigil in (key
 * policies may not delegate to IAM), or it no longer exists. Anything else (throttling, 5xx,
 * timeouts) fails the event so it is retried.
 */
const CANNOT_READ = new Set(["AccessDeniedException", "NotFoundException", "InvalidArnException"]);
export const isKeyGone = (error: unknown) => errorName(error) === "NotFoundException";

export function factsOf(meta: KeyMetadata | undefined): KeyFacts | undefined {
  if (!meta?.KeySpec || !meta.KeyManager || !meta.Origin || !meta.KeyState) return undefined;
  return {
    keySpec: meta.KeySpec,
    keyManager: meta.KeyManager,
    origin: meta.Origin,
    keyState: meta.KeyState,
    ...(meta.MultiRegionConfiguration?.MultiRegionKeyType
      ? { multiRegionKeyType: meta.MultiRegionConfiguration.MultiRegionKeyType }
      : {}),
  };
}

/**
 * The key's kind (DescribeKey, unless the event already said it) and, when rotation applies to
 * it, its rotation now (GetKeyRotationStatus). When KMS won't answer, `unreadable` says why and
 * KMS.4 stays undecided. The deletion aspect is left as the event said.
 */
export async function readRotation(kms: KMSClient, known: KmsKeyState): Promise<KmsKeyState> {
  const { DescribeKeyCommand, GetKeyRotationStatusCommand } = await loadKms();
  const { rotation: _rotation, ...rest } = known;
  try {
    const key =
      known.key ?? factsOf((await kms.send(new DescribeKeyCommand({ KeyId: known.keyArn }))).KeyMetadata);
    if (!key) return { ...rest, unreadable: "DescribeKey did not say what kind of key it is" };
    if (whyRotationDoesNotApply(key)) return { ...rest, key };
    const out = await kms.send(new GetKeyRotationStatusCommand({ KeyId: known.keyArn }));
    if (out.KeyRotationEnabled === undefined)
      return { ...rest, key, unreadable: "GetKeyRotationStatus did not say whether rotation is on" };
    const rotation = {
      enabled: out.KeyRotationEnabled,
      ...(out.RotationPeriodInDays !== undefined ? { periodInDays: out.RotationPeriodInDays } : {}),
    };
    return { ...rest, key, rotation };
  } catch (error) {
    const name = errorName(error);
    if (CANNOT_READ.has(name)) return { ...rest, unreadable: `KMS answered ${name}` };
    throw error;
  }
}

/** The key's tags (`ListResourceTags`, every page); none for a key that no longer exists. */
export async function readKeyTags(kms: KMSClient, keyArn: string): Promise<Record<string, string>> {
  const { ListResourceTagsCommand } = await loadKms();
  const tags: Record<string, string> = {};
  let marker: string | undefined;
  try {
    do {
      const out = await kms.send(
        new ListResourceTagsCommand({ KeyId: keyArn, ...(marker ? { Marker: marker } : {}) }),
      );
      for (const t of out.Tags ?? []) if (t.TagKey !== undefined) tags[t.TagKey] = t.TagValue ?? "";
      marker = out.Truncated ? out.NextMarker : undefined;
    } while (marker);
  } catch (error) {
    if (isKeyGone(error)) return {};
    throw error;
  }
  return tags;
}

/** The client's Region, when it can say: acting on a key of another Region would fail or be wrong. */
export async function clientRegion(kms: KMSClient): Promise<string | undefined> {
  const region: unknown = kms.config.region;
  if (typeof region === "function") return String(await (region as () => Promise<string>)());
  return typeof region === "string" ? region : undefined;
}
