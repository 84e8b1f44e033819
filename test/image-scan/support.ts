import type { ImageScanFinding } from "@aws-sdk/client-ecr";
import { DescribeImageScanFindingsCommand, ListTagsForResourceCommand } from "@aws-sdk/client-ecr";
import { DescribeTasksCommand, ListClustersCommand, ListTasksCommand } from "@aws-sdk/client-ecs";
import { ListFindingsCommand, type Finding } from "@aws-sdk/client-inspector2";
import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import { findingId } from "../../shared/findings/id";
import type { EcrImageScanState, ImageVulnerability } from "../../shared/resources/ecr-image-scan/state";
import { loadEvent } from "../support/events";
import type { TestRuntime } from "../support/runtime";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const REPO = "orders/api";
export const REPO_ARN = `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${REPO}`;
export const DIGEST = "sha256:d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6";
export const IMAGE_ID = `${REPO}@${DIGEST}`;
export const CHECK_ID = "VIGIL.IMAGE.VULNERABILITIES";
export const CLUSTER = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/orders-prod`;
export const TASK = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/orders-prod/0f3c2a9e8b7d4c6a9e1f2b3c4d5e6f70`;

export const scanEvent = (name: string) => loadEvent(`image-scan/${name}.json`);
export const findingIdOf = (resourceId = IMAGE_ID) =>
  findingId({ account: ACCOUNT, region: REGION, checkId: CHECK_ID, resourceId });
export const contextWith = (config: VigilConfigInput = {}) => ({ config: parseConfig(config) });

export function awsError(name: string): Error {
  return Object.assign(new Error(`${name}: simulated`), { name, $metadata: {} });
}

/** A basic-scanning finding as `DescribeImageScanFindings` lists it (no fix information). */
export function basicFinding(
  name: string,
  severity: string,
  pkg = "openssl",
  version = "3.0.8-1",
): ImageScanFinding {
  return {
    name,
    severity: severity as ImageScanFinding["severity"],
    uri: `https://nvd.nist.gov/vuln/detail/${name}`,
    attributes: [
      { key: "package_version", value: version },
      { key: "package_name", value: pkg },
      { key: "CVSS3_SCORE", value: "9.8" },
    ],
  };
}

/** ECR's answer for the image: COMPLETE with these findings and ECR's own counts. */
export function stubBasicFindings(t: TestRuntime, findings: ImageScanFinding[], status = "COMPLETE"): void {
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.severity ?? "UNDEFINED"] = (counts[f.severity ?? "UNDEFINED"] ?? 0) + 1;
  t.ecr.on(DescribeImageScanFindingsCommand).resolves({
    registryId: ACCOUNT,
    repositoryName: REPO,
    imageId: { imageDigest: DIGEST, imageTag: "2025.03.18-1" },
    imageScanStatus: { status: status as "COMPLETE", description: "The scan was completed successfully." },
    imageScanFindings: {
      imageScanCompletedAt: new Date("2025-03-18T11:47:38Z"),
      vulnerabilitySourceUpdatedAt: new Date("2025-03-18T06:00:00Z"),
      findings,
      findingSeverityCounts: counts,
    },
  });
}

/** An Inspector finding on the image, as `ListFindings` returns it. */
export function inspectorFinding(
  cve: string,
  severity: string,
  fix: "YES" | "NO" | "PARTIAL",
  pkg = {
    name: "libhttp2d",
    version: "1.27.1",
    release: "1.amzn2023",
    fixedInVersion: "0:1.27.4-1.amzn2023",
  },
): Finding {
  return {
    awsAccountId: ACCOUNT,
    findingArn: `arn:aws:inspector2:${REGION}:${ACCOUNT}:finding/${cve.replace(/\W/g, "").toLowerCase()}`,
    type: "PACKAGE_VULNERABILITY",
    description: `${cve} in ${pkg.name}`,
    title: `${cve} - ${pkg.name}`,
    remediation: { recommendation: { text: "None Provided" } },
    severity: severity as Finding["severity"],
    firstObservedAt: new Date("2025-03-18T11:49:02.127Z"),
    lastObservedAt: new Date("2025-03-18T11:49:02.127Z"),
    updatedAt: new Date("2025-03-18T11:49:02.127Z"),
    status: "ACTIVE",
    fixAvailable: fix,
    packageVulnerabilityDetails: {
      vulnerabilityId: cve,
      source: "NVD",
      vulnerablePackages: [
        {
          ...pkg,
          fixedInVersion: fix === "NO" ? "NotAvailable" : pkg.fixedInVersion,
          packageManager: "OS",
        },
      ],
    },
    resources: [
      {
        type: "AWS_ECR_CONTAINER_IMAGE",
        id: `${REPO_ARN}/${DIGEST}`,
        region: REGION,
        details: {
          awsEcrContainerImage: {
            repositoryName: REPO,
            imageHash: DIGEST,
            registry: ACCOUNT,
            imageTags: ["2025.03.18-1"],
          },
        },
      },
    ],
  };
}

export function stubInspectorFindings(t: TestRuntime, findings: Finding[]): void {
  t.inspector2.on(ListFindingsCommand).resolves({ findings });
}

/** ECS: one cluster, one running task; its container runs `digest`. */
export function stubEcsRunning(t: TestRuntime, digest = DIGEST): void {
  t.ecs.on(ListClustersCommand).resolves({ clusterArns: [CLUSTER] });
  t.ecs.on(ListTasksCommand).resolves({ taskArns: [TASK] });
  t.ecs.on(DescribeTasksCommand).resolves({
    tasks: [
      {
        taskArn: TASK,
        clusterArn: CLUSTER,
        lastStatus: "RUNNING",
        containers: [
          {
            name: "sidecar",
            image: "public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1",
            imageDigest: "sha256:" + "1".repeat(64),
          },
          {
            name: "api",
            image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${REPO}:2025.03.18-1`,
            imageDigest: digest,
          },
        ],
      },
    ],
    failures: [],
  });
}

export function stubEcsEmpty(t: TestRuntime): void {
  t.ecs.on(ListClustersCommand).resolves({ clusterArns: [] });
}

export function stubRepositoryTags(t: TestRuntime, tags: Record<string, string> = {}): void {
  t.ecr
    .on(ListTagsForResourceCommand)
    .resolves({ tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
}

export function vuln(
  id: string,
  severity: ImageVulnerability["severity"],
  extra: Partial<ImageVulnerability> = {},
) {
  return { id, severity, fixAvailable: "unknown", ...extra } satisfies ImageVulnerability;
}

/** A refreshed state, as the adapter builds it after reading the list. */
export function scanState(
  vulnerabilities: ImageVulnerability[],
  extra: Partial<EcrImageScanState> = {},
): EcrImageScanState {
  return {
    registryId: ACCOUNT,
    repositoryName: REPO,
    imageDigest: DIGEST,
    imageTags: ["2025.03.18-1"],
    scanner: "inspector",
    scanStatus: "COMPLETE",
    readAt: "2025-03-18T11:50:00.000Z",
    counts: {},
    vulnerabilities,
    ...extra,
  };
}
