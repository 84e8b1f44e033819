import type { ECRClient } from "@aws-sdk/client-ecr";
import { loadEcr } from "../../aws/sdk";
import { RegistryError } from "../../registry/errors";
import { isImageManifestType } from "../../registry/media-types";
import { isGone, readRegistryImage, type ImageLocation } from "../../registry/read-image";
import type { RegistryImage } from "../../registry/types";
import { UnusableEventError, type Observation } from "../adapter";
import type { EcrImageState } from "./state";

/** The image's current tags (`DescribeImages`), or undefined when the image or repository is gone. */
async function currentTags(ecr: ECRClient, at: ImageLocation): Promise<string[] | undefined> {
  const { DescribeImagesCommand } = await loadEcr();
  try {
    const out = await ecr.send(
      new DescribeImagesCommand({
        registryId: at.registryId,
        repositoryName: at.repositoryName,
        imageIds: [{ imageDigest: at.digest }],
      }),
    );
    const detail = out.imageDetails?.find((d) => d.imageDigest === at.digest);
    return detail ? [...(detail.imageTags ?? [])].sort() : undefined;
  } catch (error) {
    if (isGone(error)) return undefined;
    throw error;
  }
}

function stateFrom(state: EcrImageState, tags: string[], image: Exclude<RegistryImage, { kind: "deleted" }>) {
  const base: EcrImageState = {
    ...state,
    imageTags: tags,
    manifestMediaType: image.mediaType,
    skipped: image.skipped,
  };
  if (image.kind === "artifact")
    return { ...base, platforms: [], notApplicable: `not a container image: ${image.reason}` };
  // Untagged (by the push and now) single-platform manifest: one platform of an index, judged through it.
  if (!state.pushedTag && !tags.length && isImageManifestType(image.mediaType))
    return {
      ...base,
      platforms: [],
      notApplicable: "untagged platform manifest: evaluated through the index or tag that refers to it",
    };
  return { ...base, platforms: image.platforms };
}

/**
 * After a deletion event: a deleted image (or repository) is a deleted resource, whose findings
 * resolve. One still there lost only a tag: what was found in it still holds, and the observation
 * is incomplete so that nothing resolves.
 */
async function afterDeletion(
  observation: Observation<"AWS::ECR::Image">,
  state: EcrImageState,
  ecr: ECRClient,
  at: ImageLocation,
): Promise<Observation<"AWS::ECR::Image">> {
  const tags = await currentTags(ecr, at);
  if (tags === undefined) return { ...observation, state: undefined, complete: true, needsRefresh: false };
  return {
    ...observation,
    state: { ...state, imageTags: tags, notApplicable: "a tag was deleted; the image remains as it was" },
    complete: false,
    needsRefresh: false,
  };
}

/**
 * Reads the pushed image from the registry (after a deletion event, only whether it still exists). Missing or malformed content (a 404 blob, a digest
 * mismatch, a blob over the cap, invalid JSON) is an UnusableEventError with a clear reason: logged,
 * no finding changes, not retried. Trouble a retry may fix (network, 5xx, throttling) fails the
 * event so it is retried. A deleted image is a deleted resource.
 */
export async function refreshImage(
  observation: Observation<"AWS::ECR::Image">,
  ecr: ECRClient,
): Promise<Observation<"AWS::ECR::Image">> {
  const state = observation.state;
  if (!state) return observation;
  const at = {
    registryId: state.registryId,
    repositoryName: state.repositoryName,
    digest: state.imageDigest,
  };
  if (state.deletion) return afterDeletion(observation, state, ecr, at);
  const done = { ...observation, complete: true, needsRefresh: false };
  const where = `${state.repositoryName}@${state.imageDigest}`;
  let tags: string[] | undefined;
  let image: RegistryImage;
  try {
    [tags, image] = await Promise.all([currentTags(ecr, at), readRegistryImage(ecr, at)]);
  } catch (error) {
    if (error instanceof RegistryError && !error.transient)
      throw new UnusableEventError(`${where}: ${error.message}`);
    if (error instanceof RegistryError)
      throw new Error(`${where}: ${error.message} (will retry)`, { cause: error });
    throw error;
  }
  if (image.kind === "deleted" || tags === undefined) return { ...done, state: undefined };
  return { ...done, state: stateFrom(state, tags, image) };
}
