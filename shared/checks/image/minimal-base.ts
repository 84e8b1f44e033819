import type { PlatformImage } from "../../registry/types";
import { defineCheck } from "../define";
import {
  acceptsEveryTag,
  couldMatchWithPrefix,
  formatImageReference,
  matchesPattern,
  parseImageReference,
} from "./base-image";
import { imagePushTriggers, imageReadActions, platformViolations } from "./image-push";

const MIB = 1024 * 1024;

export interface BaseVerdict {
  /** The normalised base, or undefined when the image doesn't declare a (valid) one. */
  base?: string;
  approved: boolean | "unknown";
  /** Why the verdict is "unknown". */
  note?: string;
}

/**
 * An undeclared base can't be judged: it is reported as unknown, never as a violation. Nor can a
 * base declared without a tag (pinned by digest only, as careful builds do) that some approved
 * pattern would accept under one of its tags: which tag it was is not known.
 */
export function judgeBase(image: PlatformImage, approvedPatterns: readonly string[]): BaseVerdict {
  if (!image.baseImage)
    return {
      approved: "unknown",
      note: "the image declares no base (org.opencontainers.image.base.name): base not judged",
    };
  const ref = parseImageReference(image.baseImage.name);
  // Never echoed: what is not a reference may be anything (a URL with credentials).
  if (!ref)
    return { approved: "unknown", note: "the declared base is not an image reference: base not judged" };
  const base = formatImageReference(ref);
  const accepted = (name: string) => approvedPatterns.some((pattern) => matchesPattern(name, pattern));
  // `alpine:3.20@sha256:…` is judged as written and as `alpine:3.20`, so tag patterns still apply.
  const tagOnly = ref.tag !== undefined && formatImageReference({ repository: ref.repository, tag: ref.tag });
  if (accepted(base) || (tagOnly && accepted(tagOnly))) return { base, approved: true };
  if (ref.tag === undefined) {
    // Whichever tag the digest was pulled by, a pattern accepts it (`alpine:*`).
    if (approvedPatterns.some((pattern) => acceptsEveryTag(ref.repository, pattern)))
      return { base, approved: true };
    if (approvedPatterns.some((pattern) => couldMatchWithPrefix(`${ref.repository}:`, pattern)))
      return {
        base,
        approved: "unknown",
        note: "the declared base names no tag, and an approved pattern accepts some tags of it: base not judged",
      };
  }
  return { base, approved: false };
}

export default defineCheck({
  id: "VIGIL.IMAGE.MINIMAL_BASE",
  title: "Container images should be built on an approved minimal base and stay under the size limit",
  severity: "MEDIUM",
  resourceType: "AWS::ECR::Image",
  controls: ["Dockle CIS-DI-0002"],
  description:
    "Large, general-purpose bases ship shells, package managers and libraries the app never uses, each a possible vulnerability. Build FROM an approved minimal base (distroless, Chainguard, Alpine) and keep the image small; the base is read from the `org.opencontainers.image.base.name` annotation or label.",
  triggers: imagePushTriggers,
  iamActions: imageReadActions,
  evaluate(state, { config }) {
    const { approvedBaseImages, maxCompressedSizeMiB } = config.containers.images;
    return platformViolations(state, (image) => {
      const verdict = judgeBase(image, approvedBaseImages);
      const sizeMiB = image.compressedSizeBytes / MIB;
      const tooLarge = image.compressedSizeBytes > maxCompressedSizeMiB * MIB;
      const problems = [
        ...(verdict.approved === false ? [`base ${verdict.base} is not an approved base image`] : []),
        ...(tooLarge
          ? [`compressed size ${sizeMiB.toFixed(1)} MiB is over the ${maxCompressedSizeMiB} MiB limit`]
          : []),
      ];
      if (!problems.length) return [];
      return [
        {
          summary: problems.join("; "),
          evidence: {
            baseImage: verdict.base ?? null,
            ...(image.baseImage && verdict.base ? { baseImageSource: image.baseImage.source } : {}),
            baseApproved: verdict.approved,
            ...(verdict.note ? { baseNote: verdict.note } : {}),
            compressedSizeMiB: Math.round(sizeMiB * 10) / 10,
            maxCompressedSizeMiB,
            layerCount: image.layerCount,
          },
        },
      ];
    });
  },
});
