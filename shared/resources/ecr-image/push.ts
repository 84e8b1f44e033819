import { isImageManifestType } from "../../registry/media-types";
import type { Observation } from "../adapter";
import { ecrImageRef } from "./ref";

export interface Push {
  registryId: string;
  region: string;
  repositoryName: string;
  digest: string;
  tag?: string;
  /** The manifest media type the event reports, if any (a hint: the registry is read anyway). */
  mediaType?: string;
  observedAt: string;
}

/**
 * What a push says: only which image it was. The image's content is read from the registry
 * (`needsRefresh`) and that read is the whole image, so the observation is complete once refreshed.
 *
 * An untagged single-image manifest is, in practice, one platform of a multi-arch push (buildx
 * pushes each platform and its attestation untagged, then the tagged index): it is evaluated
 * through that index, not alone, so the same problem is not reported once per manifest.
 */
export function pushObservations(push: Push): Observation<"AWS::ECR::Image">[] {
  if (!push.tag && isImageManifestType(push.mediaType)) return [];
  return [
    {
      resource: ecrImageRef(push.registryId, push.region, push.repositoryName, push.digest, push.tag),
      state: {
        registryId: push.registryId,
        repositoryName: push.repositoryName,
        imageDigest: push.digest,
        ...(push.tag ? { pushedTag: push.tag } : {}),
        platforms: [],
        skipped: [],
      },
      complete: false,
      observedAt: push.observedAt,
      tagsKnown: false,
      needsRefresh: true,
    },
  ];
}
