import { errorName } from "../../aws/errors";
import { loadEcr } from "../../aws/sdk";
import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromScanEvent } from "./from-event";
import { refreshImageScan } from "./refresh";

/**
 * One image's vulnerability scan results: from ECR's "ECR Image Scan" (basic scanning) and Amazon
 * Inspector's "Inspector2 Finding" / "Inspector2 Scan" events. The events only name the image;
 * `refresh` reads its whole current list.
 */
export default defineResourceAdapter({
  resourceType: "AWS::ECR::ImageScan",
  fromCloudTrail(detail) {
    throw new UnusableEventError(`image scan results are not read from CloudTrail (${detail.eventName})`);
  },
  fromEvent: fromScanEvent,
  fromConfigItem() {
    // AWS Config records repositories, not scan results.
    throw new UnusableEventError("AWS Config has no items for image scan results");
  },
  /** Exemption tags live on the repository. */
  async readTags(observation, clients) {
    const state = observation.state;
    if (!state) return {};
    const [ecr, { ListTagsForResourceCommand }] = await Promise.all([clients.ecr(), loadEcr()]);
    try {
      const out = await ecr.send(
        // The observation's ARN is the repository's (see `imageScanRef`).
        new ListTagsForResourceCommand({ resourceArn: observation.resource.arn }),
      );
      return Object.fromEntries(
        (out.tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key, t.Value ?? ""]),
      );
    } catch (error) {
      // A deleted repository has no tags.
      if (errorName(error) === "RepositoryNotFoundException") return {};
      throw error;
    }
  },
  refresh: refreshImageScan,
});
