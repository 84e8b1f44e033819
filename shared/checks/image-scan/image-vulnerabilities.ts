import type { Severity } from "../../core/severity";
import type { EcrImageScanState, EcsUsage, ImageVulnerability } from "../../resources/ecr-image-scan/state";
import { defineCheck, type CheckTriggers } from "../define";
import { judgeImage, raisedOneStep } from "./vulnerability-policy";

/** Scan results arrive as service events; each one makes Vigil re-read the image's whole list. */
export const imageScanTriggers: CheckTriggers = {
  cloudTrail: [],
  config: [],
  events: [
    // ECR basic scanning; FAILED and other statuses say nothing about the image.
    { source: "aws.ecr", detailType: "ECR Image Scan", detail: { "scan-status": ["COMPLETE"] } },
    // Amazon Inspector (ECR enhanced scanning): a CVE found, updated or closed on an image.
    {
      source: "aws.inspector2",
      detailType: "Inspector2 Finding",
      detail: { resources: { type: ["AWS_ECR_CONTAINER_IMAGE"] } },
    },
    // Amazon Inspector's first scan of a pushed image.
    {
      source: "aws.inspector2",
      detailType: "Inspector2 Scan",
      detail: { "scan-status": ["INITIAL_SCAN_COMPLETE"] },
    },
  ],
};

/** Every read the image-scan adapter makes: the lists, where the image runs, the repository's tags. */
export const imageScanReadActions = [
  "ecr:DescribeImageScanFindings",
  "inspector2:ListFindings",
  "ecs:ListClusters",
  "ecs:ListTasks",
  "ecs:DescribeTasks",
  "ecr:ListTagsForResource",
];

const SCANNERS: Record<EcrImageScanState["scanner"], string> = {
  basic: "ECR basic scanning",
  inspector: "Amazon Inspector",
};

/** Results Vigil may judge: the scan finished and its list was read. */
const USABLE = new Set(["COMPLETE", "ACTIVE"]);

function cveEvidence(v: ImageVulnerability): Record<string, unknown> {
  return {
    id: v.id,
    severity: v.severity,
    ...(v.reportedSeverity ? { reportedSeverity: v.reportedSeverity } : {}),
    ...(v.packageName ? { package: v.packageName } : {}),
    ...(v.installedVersion ? { installedVersion: v.installedVersion } : {}),
    ...(v.fixedVersion ? { fixedVersion: v.fixedVersion } : {}),
    fixAvailable: v.fixAvailable,
  };
}

function describe(v: ImageVulnerability): string {
  const where = [v.packageName, v.installedVersion].filter(Boolean).join(" ");
  const fix = v.fixedVersion
    ? `fixed in ${v.fixedVersion}`
    : v.fixAvailable === "no"
      ? "no fix yet"
      : undefined;
  return `${v.id} (${[v.severity, where, fix].filter(Boolean).join(", ")})`;
}

function breakdown(vulnerabilities: readonly ImageVulnerability[]): string {
  const bySeverity = new Map<Severity, number>();
  for (const v of vulnerabilities) bySeverity.set(v.severity, (bySeverity.get(v.severity) ?? 0) + 1);
  return [...bySeverity].map(([severity, n]) => `${n} ${severity}`).join(", ");
}

function usageEvidence(usage: EcsUsage | undefined): Record<string, unknown> {
  return {
    ecs: usage ?? { status: "unknown", reason: "not looked up" },
    eks: "not known: EKS usage is not looked up yet",
  };
}

export default defineCheck({
  id: "VIGIL.IMAGE.VULNERABILITIES",
  title: "Container images in ECR should have no vulnerabilities at or above the configured thresholds",
  severity: "HIGH",
  resourceType: "AWS::ECR::ImageScan",
  // No Security Hub / FSBP control judges an image's scan results (Inspector.2 only asks that scanning is on).
  controls: [],
  description:
    "The image's latest scan (ECR basic scanning or Amazon Inspector) lists vulnerabilities at or above `openAt` (default CRITICAL), or at or above `openWithFixAt` (default HIGH) with a fix available; basic scanning does not report fixes, so only `openAt` applies to it. Rebuild the image on patched packages and redeploy; accept a CVE for a while with the `containers.vulnerabilities.allowList`. Severity is the worst counted CVE's, one step higher when the image runs in ECS.",
  triggers: imageScanTriggers,
  iamActions: imageScanReadActions,
  evaluate(state, { config }) {
    if (!state.readAt || !USABLE.has(state.scanStatus)) return [];
    const policy = config.containers.vulnerabilities;
    const verdict = judgeImage(state, policy, new Date(state.readAt));
    const first = verdict.opening[0];
    if (!first) return [];
    const base = verdict.worst ?? first.severity;
    const usage = state.ecsUsage;
    const running = usage?.status === "running";
    const severity = running ? raisedOneStep(base) : base;
    const image = state.imageTags[0] ? `${state.repositoryName}:${state.imageTags[0]}` : state.repositoryName;
    const runs = running
      ? `; it runs in ECS (cluster ${usage.cluster}), so severity is raised to ${severity}`
      : "";
    return [
      {
        summary: `${image} (${state.imageDigest}) has ${verdict.opening.length} vulnerabilities at or above the thresholds (${breakdown(verdict.opening)}); worst: ${describe(first)}${runs}`,
        severity,
        evidence: {
          image: `${state.repositoryName}@${state.imageDigest}`,
          repository: state.repositoryName,
          digest: state.imageDigest,
          tags: state.imageTags,
          scanner: SCANNERS[state.scanner],
          counts: state.counts,
          ...(state.truncated ? { listTruncated: true } : {}),
          thresholds: { openAt: policy.openAt, openWithFixAt: policy.openWithFixAt },
          opening: verdict.opening.length,
          topCves: verdict.counted.slice(0, policy.topCves).map(cveEvidence),
          ...(verdict.allowed.length ? { allowedCves: verdict.allowed } : {}),
          ...(verdict.expired.length ? { expiredAllowances: verdict.expired } : {}),
          runningIn: usageEvidence(usage),
          ...(running
            ? { severityRaised: { from: base, to: severity, because: "the image runs in ECS" } }
            : {}),
        },
      },
    ];
  },
});
