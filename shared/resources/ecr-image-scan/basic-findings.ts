import type { ECRClient, EnhancedImageScanFinding, ImageScanFinding } from "@aws-sdk/client-ecr";
import { loadEcr } from "../../aws/sdk";
import type { ImageVulnerability } from "./state";
import { countBySeverity, fixOf, packageFields, severityOf } from "./vulnerability";

/** What a scanner's full list says about an image. */
export type ScanListing =
  | { kind: "gone" }
  | { kind: "not-ready"; status: string }
  | {
      kind: "listed";
      vulnerabilities: ImageVulnerability[];
      counts: Record<string, number>;
      truncated: boolean;
      imageTags?: string[];
    };

export interface ImageLocation {
  registryId: string;
  repositoryName: string;
  imageDigest: string;
}

/** 1,000 findings a page (the API's maximum): 10 pages cover any real image; beyond that the list is partial. */
export const MAX_BASIC_PAGES = 10;
/** Statuses whose findings are the image's current ones (ACTIVE: continuous scanning). */
const USABLE = new Set(["COMPLETE", "ACTIVE"]);

function attribute(finding: ImageScanFinding, key: string): string | undefined {
  return finding.attributes?.find((a) => a.key === key)?.value;
}

/** Basic scanning names the CVE and the package, never whether a fix exists. */
function fromBasic(finding: ImageScanFinding): ImageVulnerability | undefined {
  if (!finding.name) return undefined;
  const packageName = attribute(finding, "package_name");
  const installedVersion = attribute(finding, "package_version");
  return {
    id: finding.name,
    ...severityOf(finding.severity),
    ...(packageName ? { packageName } : {}),
    ...(installedVersion ? { installedVersion } : {}),
    fixAvailable: "unknown",
  };
}

/** The registry switched to enhanced scanning: ECR relays Inspector's findings. */
function fromEnhanced(finding: EnhancedImageScanFinding): ImageVulnerability | undefined {
  const details = finding.packageVulnerabilityDetails;
  const id = details?.vulnerabilityId;
  if (!id) return undefined;
  return {
    id,
    ...severityOf(finding.severity),
    ...packageFields(details.vulnerablePackages),
    fixAvailable: fixOf(finding.fixAvailable),
    ...(finding.findingArn ? { findingArn: finding.findingArn } : {}),
  };
}

function errorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? "";
}

/** Every finding of the image's last basic scan (`DescribeImageScanFindings`, paginated, bounded). */
export async function readBasicFindings(ecr: ECRClient, at: ImageLocation): Promise<ScanListing> {
  const { DescribeImageScanFindingsCommand } = await loadEcr();
  const vulnerabilities: ImageVulnerability[] = [];
  let reported: Record<string, number> | undefined;
  let nextToken: string | undefined;
  let pages = 0;
  do {
    let out;
    try {
      out = await ecr.send(
        new DescribeImageScanFindingsCommand({
          registryId: at.registryId,
          repositoryName: at.repositoryName,
          imageId: { imageDigest: at.imageDigest },
          maxResults: 1000,
          ...(nextToken ? { nextToken } : {}),
        }),
      );
    } catch (error) {
      const name = errorName(error);
      // A deleted image (or repository) has no vulnerabilities left to report.
      if (name === "ImageNotFoundException" || name === "RepositoryNotFoundException")
        return { kind: "gone" };
      if (name === "ScanNotFoundException") return { kind: "not-ready", status: "NO_SCAN" };
      throw error;
    }
    pages++;
    const status = out.imageScanStatus?.status ?? "UNKNOWN";
    // A rescan in progress or a failed one says nothing about the image: never judge (or resolve) on it.
    if (!USABLE.has(status)) return { kind: "not-ready", status };
    const findings = out.imageScanFindings;
    reported ??= findings?.findingSeverityCounts;
    for (const f of findings?.findings ?? []) {
      const v = fromBasic(f);
      if (v) vulnerabilities.push(v);
    }
    for (const f of findings?.enhancedFindings ?? []) {
      const v = fromEnhanced(f);
      if (v) vulnerabilities.push(v);
    }
    nextToken = out.nextToken;
  } while (nextToken && pages < MAX_BASIC_PAGES);
  // ECR's own counts cover the whole scan even when the listing stopped early.
  const counts = reported ? { ...countBySeverity([]), ...reported } : countBySeverity(vulnerabilities);
  return { kind: "listed", vulnerabilities, counts, truncated: nextToken !== undefined };
}
