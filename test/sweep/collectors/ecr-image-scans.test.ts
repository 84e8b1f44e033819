import {
  DescribeImageScanFindingsCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  type DescribeImagesCommandInput,
  type DescribeImagesCommandOutput,
  type ImageScanFinding,
} from "@aws-sdk/client-ecr";
import { ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { Envelope } from "../../../shared/events/envelope";
import adapter from "../../../shared/resources/ecr-image-scan/adapter";
import defaultCollector, {
  ecrImageScansCollector,
  NOT_READ,
} from "../../../shared/sweep/collectors/ecr-image-scans";
import { loadEvent } from "../../support/events";
import { collectAll, collectContext, credentials, pagedAnswers, violated } from "./data-context";
import { ecr, ecrMock, REGISTRY, registryScanning, repository } from "./ecr-context";

const ecs = new ECSClient({ region: "us-east-1", credentials });
const ecsMock = mockClient(ecs);
afterEach(() => {
  ecrMock.reset();
  ecsMock.reset();
});

const EVENT = loadEvent("image-scan/ecr-image-scan-basic-complete.json");
const VULNERABLE = "sha256:d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6";
const CLEAN = `sha256:${"c".repeat(64)}`;
const OLD = `sha256:${"0".repeat(64)}`;

const critical: ImageScanFinding = {
  name: "CVE-2024-6387",
  severity: "CRITICAL",
  attributes: [
    { key: "package_name", value: "openssh" },
    { key: "package_version", value: "9.6p1" },
  ],
};

/** Scan results as ECR basic scanning lists them (the event's image: one critical CVE). */
function scanResults(): void {
  ecrMock.on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: VULNERABLE } }).resolves({
    imageScanStatus: { status: "COMPLETE" },
    imageScanFindings: { findings: [critical], findingSeverityCounts: { CRITICAL: 1 } },
  });
  ecrMock.on(DescribeImageScanFindingsCommand, { imageId: { imageDigest: CLEAN } }).resolves({
    imageScanStatus: { status: "COMPLETE" },
    imageScanFindings: { findings: [], findingSeverityCounts: {} },
  });
  // Where the vulnerable image runs: no ECS cluster at all.
  ecsMock.on(ListClustersCommand).resolves({ clusterArns: [] });
}

describe("ECR image scans collector", () => {
  it("pages repositories and images, reads only the newest images (cap), yields the older ones unread", async () => {
    registryScanning();
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository("orders/api", true)] });
    const pages = pagedAnswers<DescribeImagesCommandInput, DescribeImagesCommandOutput>("nextToken", {
      "": {
        imageDetails: [
          { imageDigest: OLD, imagePushedAt: new Date("2024-01-01T00:00:00Z"), imageTags: ["2024.01"] },
          {
            imageDigest: VULNERABLE,
            imagePushedAt: new Date("2025-03-18T11:40:00Z"),
            imageTags: ["2025.03.18-1"],
          },
        ],
        nextToken: "i2",
        $metadata: {},
      },
      i2: {
        imageDetails: [
          { imageDigest: CLEAN, imagePushedAt: new Date("2025-03-10T00:00:00Z"), imageTags: ["2025.03.10"] },
        ],
        $metadata: {},
      },
    } as never);
    ecrMock.on(DescribeImagesCommand).callsFake(pages.answer);
    scanResults();
    const found = await collectAll(
      ecrImageScansCollector({ imagesPerRepository: 2, pageSize: 2 }),
      collectContext({ ecr, ecs }),
    );

    expect(pages.seen).toEqual([
      { registryId: REGISTRY, repositoryName: "orders/api", maxResults: 2 },
      { registryId: REGISTRY, repositoryName: "orders/api", maxResults: 2, nextToken: "i2" },
    ]);
    // Newest first; only the two newest are read.
    expect(found.map((o) => o.resource.id)).toEqual([
      `orders/api@${VULNERABLE}`,
      `orders/api@${CLEAN}`,
      `orders/api@${OLD}`,
    ]);
    expect(
      ecrMock.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input.imageId?.imageDigest),
    ).toEqual([VULNERABLE, CLEAN]);
    expect(found.map((o) => o.complete)).toEqual([true, true, false]);
    // The unread image neither opens nor resolves anything.
    expect(found[2]?.state?.scanStatus).toBe(NOT_READ);
    expect(violated(found[2]!)).toEqual([]);
    expect(violated(found[1]!)).toEqual([]);
  });

  it("parity: the vulnerable image violates as the ECR Image Scan event (after its refresh) does", async () => {
    registryScanning();
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository("orders/api", true)] });
    ecrMock.on(DescribeImagesCommand).resolves({
      imageDetails: [
        {
          imageDigest: VULNERABLE,
          imagePushedAt: new Date("2025-03-18T11:40:00Z"),
          imageTags: ["2025.03.18-1"],
        },
      ],
    });
    scanResults();
    const context = collectContext({ ecr, ecs });
    const [swept] = await collectAll(defaultCollector, context);
    const [first] = adapter.fromEvent?.(EVENT as unknown as Envelope) ?? [];
    if (!first || !adapter.refresh) throw new Error("nothing read from the event");
    const event = await adapter.refresh(first, context.clients, { config: context.config });
    expect(violated(event).length).toBeGreaterThan(0);
    expect(violated(swept!)).toEqual(violated(event));
    expect(swept?.resource).toEqual(event.resource);
  });
});
