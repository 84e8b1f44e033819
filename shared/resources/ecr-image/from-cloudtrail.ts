import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { isDigest } from "../../registry/digest";
import { UnusableEventError, type Observation } from "../adapter";
import { parseEventPart } from "../ecr-repository/event-parsing";
import { pushObservations } from "./push";

const digest = z.string().refine(isDigest, "a sha256 digest");

const requestSchema = z.looseObject({
  repositoryName: z.string().min(1),
  registryId: z.string().optional(),
  imageTag: z.string().optional(),
  imageDigest: digest.optional(),
  imageManifestMediaType: z.string().optional(),
  imageManifest: z.string().optional(),
});

const responseSchema = z
  .looseObject({
    image: z
      .looseObject({
        registryId: z.string().optional(),
        repositoryName: z.string().optional(),
        imageId: z
          .looseObject({ imageDigest: digest.optional(), imageTag: z.string().optional() })
          .optional(),
        imageManifestMediaType: z.string().optional(),
      })
      .optional(),
  })
  .nullable()
  .optional();

/** The manifest's own `mediaType`, when CloudTrail logged the manifest; only a hint. */
function declaredMediaType(manifest: string | undefined): string | undefined {
  if (!manifest) return undefined;
  try {
    const mediaType = (JSON.parse(manifest) as { mediaType?: unknown } | null)?.mediaType;
    return typeof mediaType === "string" ? mediaType : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `PutImage` as CloudTrail logs it. The manifest in the request is not trusted (it may be cut or
 * hidden); only which image was pushed is taken, and the registry is read for the rest.
 */
export function fromPutImage(detail: CloudTrailDetail, account: string): Observation<"AWS::ECR::Image">[] {
  if (detail.eventName !== "PutImage")
    throw new UnusableEventError(`no ECR image reader for ${detail.eventName}`);
  const request = parseEventPart(requestSchema, detail.requestParameters ?? {}, "PutImage requestParameters");
  const image = parseEventPart(responseSchema, detail.responseElements, "PutImage responseElements")?.image;
  const imageDigest = image?.imageId?.imageDigest ?? request.imageDigest;
  if (!imageDigest)
    throw new UnusableEventError(
      `PutImage to ${request.repositoryName} names no image digest (responseElements.image.imageId)`,
    );
  const tag = (request.imageTag ?? image?.imageId?.imageTag)?.trim();
  return pushObservations({
    registryId: image?.registryId ?? request.registryId ?? account,
    region: detail.awsRegion,
    repositoryName: request.repositoryName,
    digest: imageDigest,
    ...(tag ? { tag } : {}),
    mediaType:
      request.imageManifestMediaType ??
      image?.imageManifestMediaType ??
      declaredMediaType(request.imageManifest),
    observedAt: detail.eventTime,
  });
}
