import type { ImageDetail } from "@aws-sdk/client-ecr";
import { loadEcr } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { IMAGE_SCAN_TYPE, imageScanRef } from "../../resources/ecr-image-scan/ref";
import { refreshImageScan } from "../../resources/ecr-image-scan/refresh";
import type { EcrImageScanState, ImageScanner } from "../../resources/ecr-image-scan/state";
import { countBySeverity } from "../../resources/ecr-image-scan/vulnerability";
import { readRegistryScanning } from "../../resources/ecr-repository/live";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeRepositories and DescribeImages take up to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;
/** Images judged per repository: the most recently pushed ones (older ones are rarely deployed). */
export const DEFAULT_IMAGES_PER_REPOSITORY = 10;
/** Not read by the sweep (beyond the cap): the checks judge nothing and nothing changes. */
export const NOT_READ = "NOT_READ_BY_SWEEP";

export interface ImageScansOptions {
  /** How many of each repository's most recently pushed images are read (default 10). */
  imagesPerRepository?: number;
  pageSize?: number;
}

type ScanObservation = Observation<"AWS::ECR::ImageScan">;

const pushedAt = (image: ImageDetail) => image.imagePushedAt?.getTime() ?? 0;

/** Most recently pushed first; the digest breaks ties so the choice is stable. */
function newestFirst(a: ImageDetail, b: ImageDetail): number {
  return pushedAt(b) - pushedAt(a) || (a.imageDigest ?? "").localeCompare(b.imageDigest ?? "");
}

/**
 * Vulnerability scan results of the latest images of every repository of the Region, bounded: per
 * repository only the `imagesPerRepository` most recently pushed images are read, each exactly as
 * the event path's refresh reads it (the whole current list from its scanner: ECR basic scanning's
 * DescribeImageScanFindings, or Amazon Inspector's ListFindings when the registry uses enhanced
 * scanning; ECS usage looked up for a violating image). A scan that is not usable (none, in
 * progress, failed) is a partial view that changes nothing.
 *
 * Older images are yielded too, unread: a partial, clean view (`scanStatus` NOT_READ_BY_SWEEP)
 * that neither opens nor resolves anything, only so that the sweep does not take their open
 * findings for deleted images. Their findings are kept current by the scan events.
 */
export function ecrImageScansCollector(options: ImageScansOptions = {}): Collector<"AWS::ECR::ImageScan"> {
  const cap = options.imagesPerRepository ?? DEFAULT_IMAGES_PER_REPOSITORY;
  const pageSize = options.pageSize ?? PAGE_SIZE;
  return defineCollector({
    resourceType: IMAGE_SCAN_TYPE,
    scope: "regional",
    iamActions: [
      "ecr:GetRegistryScanningConfiguration",
      "ecr:DescribeRepositories",
      "ecr:DescribeImages",
      "ecr:DescribeImageScanFindings",
      "inspector2:ListFindings",
      "ecs:ListClusters",
      "ecs:ListTasks",
      "ecs:DescribeTasks",
    ],
    async *collect(ctx: CollectContext): AsyncIterable<ScanObservation> {
      const [ecr, { paginateDescribeRepositories, paginateDescribeImages }] = await Promise.all([
        ctx.clients.ecr(),
        loadEcr(),
      ]);
      const registryId = ctx.account;
      const scanning = await readRegistryScanning(ecr, registryId);
      if (!scanning) throw new Error(`registry ${registryId} is not the caller's registry`);
      const scanner: ImageScanner = scanning.scanType === "ENHANCED" ? "inspector" : "basic";
      const observedAt = ctx.now.toISOString();
      const repositories = paginateDescribeRepositories(
        { client: ecr },
        { registryId, maxResults: pageSize },
      );
      for await (const page of repositories) {
        for (const repository of page.repositories ?? []) {
          const repositoryName = repository.repositoryName;
          if (!repositoryName) continue;
          const images: ImageDetail[] = [];
          try {
            const pages = paginateDescribeImages(
              { client: ecr },
              { registryId, repositoryName, maxResults: pageSize },
            );
            for await (const imagePage of pages) images.push(...(imagePage.imageDetails ?? []));
          } catch (error) {
            // Deleted between the listings: nothing of it is left.
            if ((error as { name?: string }).name === "RepositoryNotFoundException") continue;
            throw error;
          }
          images.sort(newestFirst);
          for (const [index, image] of images.entries()) {
            const imageDigest = image.imageDigest;
            if (!imageDigest) continue;
            const imageTags = [...(image.imageTags ?? [])].sort();
            const state: EcrImageScanState = {
              registryId,
              repositoryName,
              imageDigest,
              imageTags,
              scanner,
              scanStatus: NOT_READ,
              counts: countBySeverity([]),
              vulnerabilities: [],
            };
            const unread: ScanObservation = {
              resource: imageScanRef(registryId, ctx.region, repositoryName, imageDigest, imageTags),
              state,
              complete: false,
              observedAt,
              tagsKnown: false,
            };
            if (index >= cap) {
              yield unread;
              continue;
            }
            const read = await refreshImageScan(unread, ctx.clients, { config: ctx.config });
            // The image was deleted meanwhile: skipped (its findings resolve as for a deleted image).
            if (!read.state) continue;
            yield { ...read, needsRefresh: false };
          }
        }
      }
    },
  });
}

export default ecrImageScansCollector();
