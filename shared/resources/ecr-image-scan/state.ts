import type { Severity } from "../../core/severity";

/** Which scanner produced the results: ECR basic scanning, or Amazon Inspector (ECR enhanced scanning). */
export type ImageScanner = "basic" | "inspector";

/** Whether updating the package fixes the CVE. Basic scanning does not say (`unknown`). */
export type FixAvailability = "yes" | "partial" | "no" | "unknown";

/** One vulnerability the scanner lists for the image (one per CVE and package for basic scanning). */
export interface ImageVulnerability {
  /** `CVE-2024-12345` (or the scanner's id, e.g. a GHSA). */
  id: string;
  /** The scanner's label mapped onto Vigil's scale; unrated ones (UNDEFINED, UNTRIAGED) are INFORMATIONAL. */
  severity: Severity;
  /** Only when it differs from `severity`: the scanner's own label (e.g. `UNTRIAGED`). */
  reportedSeverity?: string;
  packageName?: string;
  installedVersion?: string;
  fixedVersion?: string;
  fixAvailable: FixAvailability;
  /** Inspector only: the finding's ARN. */
  findingArn?: string;
  /** ISO time the scanner first saw it on this image (Inspector only). */
  firstObservedAt?: string;
}

/**
 * Where the image runs, looked up only when it violates. `unknown` when the lookup failed or hit
 * its call bound: no bump then. EKS usage is not looked up yet.
 */
export type EcsUsage =
  | { status: "running"; cluster: string; taskArn: string; container?: string }
  | { status: "not-running"; clustersChecked: number }
  | { status: "unknown"; reason: string };

/** One image's vulnerability scan results, as the scanner lists them now (read at refresh). */
export interface EcrImageScanState {
  /** The registry's account id. */
  registryId: string;
  repositoryName: string;
  imageDigest: string;
  /** The image's tags as the scan event or the scanner reported them. */
  imageTags: string[];
  scanner: ImageScanner;
  /** `COMPLETE` (or `ACTIVE` for continuous scanning) when the list below is usable; else what AWS said. */
  scanStatus: string;
  /** When the list was read: the allow-list's `until` dates are judged against it. Unset before refresh. */
  readAt?: string;
  /** Counts by the scanner's severity labels (the five levels always present, zeros included). */
  counts: Record<string, number>;
  /** Every vulnerability the scanner lists for the image. */
  vulnerabilities: ImageVulnerability[];
  /** The listing stopped at its page bound: counts and the list may be incomplete. */
  truncated?: boolean;
  /** Set only when the image violates (the lookup costs ECS calls). */
  ecsUsage?: EcsUsage;
  tags?: Record<string, string>;
}
