/**
 * One account in one Region, as the sweep reads it: the Region-wide services that no single resource
 * can say are on (CloudTrail.1, GuardDuty.1, Config.1). Each part is `"unknown"` when Vigil may not
 * read it (AccessDenied): its check is then undecided, never failed.
 */
export interface AccountRegionState {
  account: string;
  region: string;
  cloudTrail: TrailsPart | "unknown";
  guardDuty: DetectorsPart | "unknown";
  config: RecordersPart | "unknown";
  /** Not taggable: always empty, only config exemptions apply. */
  tags?: Record<string, string>;
}

/** Whether a trail's event selectors record read and write management events. */
export type ManagementEvents = "all" | "read-only" | "write-only" | "none" | "unknown";

/** One trail DescribeTrails shows in the Region (its own, or a multi-Region trail homed elsewhere). */
export interface TrailSummary {
  name: string;
  arn: string;
  homeRegion: string;
  multiRegion: boolean;
  organizationTrail: boolean;
  /** GetTrailStatus' IsLogging; "unknown" when it could not be read (AccessDenied). */
  logging: boolean | "unknown";
  /** From GetEventSelectors (basic or advanced selectors); "unknown" when it could not be read. */
  managementEvents: ManagementEvents;
}

export interface TrailsPart {
  trails: TrailSummary[];
}

export interface DetectorSummary {
  detectorId: string;
  /** GetDetector's Status: `ENABLED` or `DISABLED`. */
  status: string;
}

export interface DetectorsPart {
  detectors: DetectorSummary[];
}

export interface RecorderSummary {
  name: string;
  /** DescribeConfigurationRecorderStatus' `recording`; undefined when the recorder had no status. */
  recording?: boolean;
  /** The IAM role the recorder uses (undefined for service-linked recorders, which name none). */
  roleArn?: string;
  /** Set for a service-linked recorder (e.g. another AWS service's): not the account's own. */
  servicePrincipal?: string;
  /** `recordingGroup.allSupported`, for the evidence only (what Security Hub needs recorded isn't known here). */
  allSupported?: boolean;
}

export interface RecordersPart {
  recorders: RecorderSummary[];
}
