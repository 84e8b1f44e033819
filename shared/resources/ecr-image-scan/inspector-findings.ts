import type { Inspector2Client } from "@aws-sdk/client-inspector2";
import { loadInspector2 } from "../../aws/sdk";
import type { ImageLocation, ScanListing } from "./basic-findings";
import type { ImageVulnerability } from "./state";
import { countBySeverity, fromInspectorFinding } from "./vulnerability";

/** 100 findings a page (the API's maximum): 30 pages; beyond that the list is partial. */
export const MAX_INSPECTOR_PAGES = 30;

/**
 * The ListFindings filter for one image's active findings. The account narrows it to this
 * registry: an Inspector delegated administrator also sees member accounts' findings, and the
 * same image may sit in a same-named repository there.
 */
export function imageFindingsFilter(at: ImageLocation) {
  return {
    awsAccountId: [{ comparison: "EQUALS" as const, value: at.registryId }],
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
      const v = fromInspectorFinding(finding);
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
