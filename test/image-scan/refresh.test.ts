import { DescribeImageScanFindingsCommand, ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { Inspector2Client, ListFindingsCommand } from "@aws-sdk/client-inspector2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { envelopeSchema } from "../../shared/events/envelope";
import type { ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/ecr-image-scan/adapter";
import { MAX_ECS_CALLS, ecsUsageOf } from "../../shared/resources/ecr-image-scan/ecs-usage";
import { refreshImageScan } from "../../shared/resources/ecr-image-scan/refresh";
import { CLUSTER, DIGEST, contextWith, inspectorFinding, scanEvent } from "./support";

const region = { region: "us-east-1" };
const ecrClient = new ECRClient(region);
const ecsClient = new ECSClient(region);
const inspectorClient = new Inspector2Client(region);
const ecr = mockClient(ecrClient);
const ecs = mockClient(ecsClient);
const inspector2 = mockClient(inspectorClient);
/** Only the clients the image-scan adapter uses; any other read fails the test. */
const clients = {
  ecr: () => ecrClient,
  ecs: () => ecsClient,
  inspector2: () => inspectorClient,
} as Partial<ReadClients> as ReadClients;

function observationOf(name: string) {
  const [observation] = adapter.fromEvent?.(envelopeSchema.parse(scanEvent(name))) ?? [];
  if (!observation) throw new Error(`no observation from ${name}`);
  return observation;
}

describe("image-scan refresh", () => {
  afterEach(() => {
    ecr.reset();
    ecs.reset();
    inspector2.reset();
  });

  it("with the configuration, an allow-listed CVE costs no ECS lookup (the lookup runs only on a violation)", async () => {
    inspector2
      .on(ListFindingsCommand)
      .resolves({ findings: [inspectorFinding("CVE-2025-30001", "CRITICAL", "NO")] });
    ecs.on(ListClustersCommand).resolves({ clusterArns: [] });
    const allowList = [{ cve: "CVE-2025-30001", reason: "not reachable", until: "2099-12-31" }];
    const observation = observationOf("inspector2-scan-ecr-initial-scan-complete");
    const refreshed = await refreshImageScan(
      observation,
      clients,
      contextWith({ containers: { vulnerabilities: { allowList } } }),
    );
    expect(refreshed).toMatchObject({ complete: true, needsRefresh: false });
    expect(refreshed.state?.ecsUsage).toBeUndefined();
    expect(ecs.calls()).toHaveLength(0);

    // Without it (a caller that passes none) the defaults decide: a CRITICAL is worth the lookup.
    const defaults = await refreshImageScan(observation, clients);
    expect(defaults.state?.ecsUsage).toEqual({ status: "not-running", clustersChecked: 0 });
  });

  it("basic: reads every page, keeps ECR's whole-scan counts, and is partial when the page bound cuts it", async () => {
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: "COMPLETE" },
      imageScanFindings: { findings: [], findingSeverityCounts: { LOW: 3000 } },
      nextToken: "more",
    });
    const refreshed = await refreshImageScan(observationOf("ecr-image-scan-basic-complete"), clients);
    expect(ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(10);
    expect(refreshed.complete).toBe(false);
    expect(refreshed.state).toMatchObject({
      truncated: true,
      counts: { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 3000, INFORMATIONAL: 0 },
    });
  });

  it("basic read of an enhanced-scanning image: ECR's relayed Inspector findings, suppressed and closed ones left out", async () => {
    const relayed = (cve: string, status: string) => ({
      ...inspectorFinding(cve, "CRITICAL", "YES"),
      status,
    });
    ecr.on(DescribeImageScanFindingsCommand).resolves({
      imageScanStatus: { status: "ACTIVE" },
      imageScanFindings: {
        enhancedFindings: [
          relayed("CVE-2025-50001", "ACTIVE"),
          relayed("CVE-2025-50002", "SUPPRESSED"),
          relayed("CVE-2025-50003", "CLOSED"),
        ],
      },
    });
    ecs.on(ListClustersCommand).resolves({ clusterArns: [] });
    const refreshed = await refreshImageScan(observationOf("ecr-image-scan-basic-complete"), clients);
    expect(refreshed.complete).toBe(true);
    expect(refreshed.state?.vulnerabilities).toEqual([
      {
        id: "CVE-2025-50001",
        severity: "CRITICAL",
        packageName: "libhttp2d",
        installedVersion: "1.27.1-1.amzn2023",
        fixedVersion: "0:1.27.4-1.amzn2023",
        fixAvailable: "yes",
        findingArn: expect.stringContaining(":finding/cve202550001"),
        firstObservedAt: "2025-03-18T11:49:02.127Z",
      },
    ]);
  });

  it("ECS lookup stops at its call bound and says so (no bump)", async () => {
    ecs.on(ListClustersCommand).resolves({ clusterArns: [CLUSTER], nextToken: "more" });
    const usage = await ecsUsageOf(ecsClient, DIGEST);
    expect(ecs.commandCalls(ListClustersCommand)).toHaveLength(MAX_ECS_CALLS);
    expect(usage).toEqual({
      status: "unknown",
      reason: `lookup stopped after ${MAX_ECS_CALLS} ECS calls before every running task was checked`,
    });
  });
});
