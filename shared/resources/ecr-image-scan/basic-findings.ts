import type {
  DescribeImageScanFindingsCommandOutput,
  ECRClient,
  ImageScanFinding,
} from "@aws-sdk/client-ecr";
import { errorName } from "../../aws/errors";
import { loadEcr } from "../../aws/sdk";
import type { ImageVulnerability } from "./state";
import { countBySeverity, fromInspectorFinding, severityOf } from "./vulnerability";

/** Why there is no list to judge: the image is gone, or its scan is not usable (yet). */
export type NoListing = { kind: "gone" } | { kind: "not-ready"; status: string };

/** What a scanner's full list says about an image. */
export type ScanListing =
  | NoListing
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

/**
 * One page of the image's scan results, or why there is none to judge: a deleted image (or
 * repository) has nothing left to report; a scan in progress, failed, expired or missing says
 * nothing about the image and must never be judged (or resolve) on.
 */
async function describePage(
  ecr: ECRClient,
  at: ImageLocation,
  maxResults: number,
  nextToken?: string,
): Promise<NoListing | { kind: "page"; out: DescribeImageScanFindingsCommandOutput }> {
  const { DescribeImageScanFindingsCommand } = await loadEcr();
  let out;
  try {
    out = await ecr.send(
      new DescribeImageScanFindingsCommand({
        registryId: at.registryId,
        repositoryName: at.repositoryName,
        imageId: { imageDigest: at.imageDigest },
        maxResults,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
  } catch (error) {
    const name = errorName(error);
    if (name === "ImageNotFoundException" || name === "RepositoryNotFoundException") return { kind: "gone" };
    if (name === "ScanNotFoundException") return { kind: "not-ready", status: "NO_SCAN" };
    throw error;
  }
  const status = out.imageScanStatus?.status ?? "UNKNOWN";
  return USABLE.has(status) ? { kind: "page", out } : { kind: "not-ready", status };
}

/**
 * Whether ECR holds a current scan of the image (any scanner: with enhanced scanning ECR reports
 * Inspector's status, e.g. SCAN_ELIGIBILITY_EXPIRED once Inspector stops watching the image).
 */
export async function readScanStatus(
  ecr: ECRClient,
  at: ImageLocation,
): Promise<NoListing | { kind: "usable" }> {
  const page = await describePage(ecr, at, 1);
  return page.kind === "page" ? { kind: "usable" } : page;
}

/** Every finding of the image's last basic scan (`DescribeImageScanFindings`, paginated, bounded). */
export async function readBasicFindings(ecr: ECRClient, at: ImageLocation): Promise<ScanListing> {
  const vulnerabilities: ImageVulnerability[] = [];
  let reported: Record<string, number> | undefined;
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await describePage(ecr, at, 1000, nextToken);
    if (page.kind !== "page") return page;
    pages++;
    const findings = page.out.imageScanFindings;
    reported ??= findings?.findingSeverityCounts;
    for (const f of findings?.findings ?? []) {
      const v = fromBasic(f);
      if (v) vulnerabilities.push(v);
    }
    // The registry switched to enhanced scanning: ECR relays Inspector's findings.
    for (const f of findings?.enhancedFindings ?? []) {
      const v = fromInspectorFinding(f);
      if (v) vulnerabilities.push(v);
    }
    nextToken = page.out.nextToken;
  } while (nextToken && pages < MAX_BASIC_PAGES);
  // ECR's own counts cover the whole scan even when the listing stopped early.
  const counts = reported ? { ...countBySeverity([]), ...reported } : countBySeverity(vulnerabilities);
  return { kind: "listed", vulnerabilities, counts, truncated: nextToken !== undefined };
}
