import type { PlatformImage, SkippedManifest } from "../../registry/types";

/**
 * One pushed image (repository + manifest digest), as the registry holds it: per platform, the
 * manifest's facts and the image configuration. Events only name the image; `refresh` fills in the rest.
 */
export interface EcrImageState {
  /** The registry's account id. */
  registryId: string;
  repositoryName: string;
  imageDigest: string;
  /** The tag this push set, if any. */
  pushedTag?: string;
  /** The tags the image carries now (read at refresh; the event's tag may have moved since). */
  imageTags?: string[];
  /** The pushed manifest's media type (single image, or index of platforms). */
  manifestMediaType?: string;
  /** Runnable images: one for a single manifest, one per platform for an index. */
  platforms: PlatformImage[];
  /** Index entries not evaluated (attestation manifests, nested indexes), with the reason. */
  skipped: SkippedManifest[];
  /** Set when no image check applies (not a container image, or an untagged platform manifest). */
  notApplicable?: string;
  /**
   * The event deleted the image or one of its tags: the refresh only asks whether the image is gone
   * (its findings then resolve); one that is still there keeps its findings as they are.
   */
  deletion?: boolean;
  tags?: Record<string, string>;
}
