import type { Finding, Inspector2Client } from "@aws-sdk/client-inspector2";
import { loadInspector2 } from "../../aws/sdk";
import type { ImageLocation, ScanListing } from "./basic-findings";
import type { ImageVulnerability } from "./state";
import { countBySeverity, fixOf, packageFields, severityOf } from "./vulnerability";

/** 100 findings a page (the API's maximum): 30 pages; beyond that the list is partial. */
export const MAX_INSPECTOR_PAGES = 30;

function iso(date: Date | undefined): string | undefined {
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}

function fromInspector(finding: Finding): ImageVulnerability | undefined {
  const details = finding.packageVulnerabilityDetails;
  const id = details?.vulnerabilityId;
  if (!id) return undefined;
  const firstObservedAt = iso(finding.firstObservedAt);
  return {
    id,
    ...severityOf(finding.severity),
    ...packageFields(details.vulnerablePackages),
    fixAvailable: fixOf(finding.fixAvailable),
    ...(finding.findingArn ? { findingArn: finding.findingArn } : {}),
    ...(firstObservedAt ? { firstObservedAt } : {}),
  };
}

/** The ListFindings filter for one image's active findings. */
export function imageFindingsFilter(at: ImageLocation) {
  return {
    ecrImageRepositoryName: [{ comparison: "EQUALS" as const, value: at.repositoryName }],
    ecrImageHash: [{ comparison: "EQUALS" as const, value: at.imageDigest }],
    findingStatus: [{ comparison: "EQUALS" as const, value: "ACTIVE" }],
  };
}

/** Every ACTIVE Inspector finding on the image (`ListFindings`, paginated, bounded); suppressed and closed ones don't count. */
export async function readInspectorFindings(
  inspector: Inspector2Client,
  at: ImageLocation,
): Promise<ScanListing> {
  const { ListFindingsCommand } = await loadInspector2();
  const vulnerabilities: ImageVulnerability[] = [];
  let imageTags: string[] | undefined;
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const out = await inspector.send(
      new ListFindingsCommand({
        filterCriteria: imageFindingsFilter(at),
        maxResults: 100,
        ...(nextToken ? { nextToken } : {}),
      }),
    );
    pages++;
    for (const finding of out.findings ?? []) {
      const v = fromInspector(finding);
      if (v) vulnerabilities.push(v);
      imageTags ??= finding.resources?.find((r) => r.details?.awsEcrContainerImage)?.details
        ?.awsEcrContainerImage?.imageTags;
    }
    nextToken = out.nextToken;
  } while (nextToken && pages < MAX_INSPECTOR_PAGES);
  return {
    kind: "listed",
    vulnerabilities,
    counts: countBySeverity(vulnerabilities),
    truncated: nextToken !== undefined,
    ...(imageTags?.length ? { imageTags } : {}),
  };
}
