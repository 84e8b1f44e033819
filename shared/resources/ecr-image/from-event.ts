import { z } from "zod";
import type { Envelope } from "../../events/envelope";
import { isDigest } from "../../registry/digest";
import { UnusableEventError, type Observation } from "../adapter";
import { parseEventPart } from "../ecr-repository/event-parsing";
import { pushObservations } from "./push";
import { ecrImageRef } from "./ref";

/** `detail` of ECR's "ECR Image Action" event (kebab-case keys, as ECR sends them). */
const imageActionSchema = z.looseObject({
  result: z.string(),
  "action-type": z.string(),
  "repository-name": z.string().min(1),
  "image-digest": z.string().refine(isDigest, "a sha256 digest"),
  "image-tag": z.string().optional(),
  "manifest-media-type": z.string().optional(),
  "artifact-media-type": z.string().optional(),
});
type ImageAction = z.infer<typeof imageActionSchema>;

const IMAGE_ACTION_DETAIL_TYPE = "ECR Image Action";

/**
 * A deletion (`BatchDeleteImage` by digest, or by tag, which deletes the image only with its last
 * tag): whether the image is gone is read, so the findings of a deleted image resolve.
 */
function deletionObservation(envelope: Envelope, detail: ImageAction): Observation<"AWS::ECR::Image"> {
  const repositoryName = detail["repository-name"];
  const digest = detail["image-digest"];
  return {
    resource: ecrImageRef(envelope.account, envelope.region, repositoryName, digest),
    state: {
      registryId: envelope.account,
      repositoryName,
      imageDigest: digest,
      platforms: [],
      skipped: [],
      deletion: true,
    },
    complete: false,
    observedAt: envelope.time,
    tagsKnown: false,
    needsRefresh: true,
  };
}

/** A successful image push or deletion, from ECR's own event. */
export function fromImageAction(envelope: Envelope): Observation<"AWS::ECR::Image">[] {
  if (envelope["detail-type"] !== IMAGE_ACTION_DETAIL_TYPE)
    throw new UnusableEventError(`no ECR image reader for "${envelope["detail-type"]}" events`);
  const detail = parseEventPart(imageActionSchema, envelope.detail, "ECR Image Action detail");
  const action = detail["action-type"];
  // The rule only routes successful pushes and deletions; a failed one changed nothing.
  if ((action !== "PUSH" && action !== "DELETE") || detail.result !== "SUCCESS")
    throw new UnusableEventError(
      `ECR Image Action ${action} ${detail.result} for ${detail["repository-name"]}: not a successful push or deletion`,
    );
  if (action === "DELETE") return [deletionObservation(envelope, detail)];
  const tag = detail["image-tag"]?.trim();
  return pushObservations({
    registryId: envelope.account,
    region: envelope.region,
    repositoryName: detail["repository-name"],
    digest: detail["image-digest"],
    ...(tag ? { tag } : {}),
    mediaType: detail["manifest-media-type"],
    observedAt: envelope.time,
  });
}
