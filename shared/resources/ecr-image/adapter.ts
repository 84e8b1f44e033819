import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { readRepositoryTags } from "../ecr-repository/live";
import { fromPutImage } from "./from-cloudtrail";
import { fromImageAction } from "./from-event";
import { ECR_IMAGE_TYPE } from "./ref";
import { refreshImage } from "./refresh";

/**
 * Pushed images: from ECR's "ECR Image Action" push event and CloudTrail's `PutImage`. Both only
 * name the image; `refresh` reads the manifest(s) and config blob(s) from the registry.
 */
export default defineResourceAdapter({
  resourceType: ECR_IMAGE_TYPE,
  fromCloudTrail: fromPutImage,
  fromEvent: fromImageAction,
  fromConfigItem() {
    // AWS Config records repositories, not images.
    throw new UnusableEventError("AWS Config has no items for ECR images");
  },
  /** Exemption tags live on the repository, whose ARN the image's resource carries. */
  async readTags(observation, clients) {
    return readRepositoryTags(await clients.ecr(), observation.resource.arn);
  },
  async refresh(observation, clients) {
    return refreshImage(observation, await clients.ecr());
  },
});
