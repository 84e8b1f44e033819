/**
 * What one GuardDuty CloudTrail call says about one detector. Settings are optional: a call names
 * only what it changed, and a check whose setting is unknown stays undecided (its finding is left as it is).
 */
export interface DetectorState {
  detectorId: string;
  detectorArn: string;
  /** The detector's Region: a new detector (after a deletion) must be created there and nowhere else. */
  region: string;
  /** `UpdateDetector`'s `enable`: false = suspended. Undefined when the call didn't set it. */
  enabled?: boolean;
  /**
   * Protection plans the `UpdateDetector` request turned on or off, by feature name (`S3_DATA_EVENTS`,
   * `EKS_AUDIT_LOGS`, ...); the legacy `dataSources` form is mapped to the same names. Undefined
   * when the call didn't touch any. Only what the request set: the detector's other plans are unknown.
   */
  protections?: ProtectionChange[];
  /**
   * True after `DeleteDetector`. A deletion is modelled as a state (not `state: undefined`) because
   * the pipeline resolves every finding of a deleted resource, and this deletion IS the violation.
   */
  deleted?: boolean;
  tags?: Record<string, string>;
}

export interface ProtectionChange {
  feature: string;
  enabled: boolean;
  /**
   * The plan's agent management (`additionalConfiguration`: EKS_ADDON_MANAGEMENT, ECS_FARGATE_AGENT_MANAGEMENT,
   * EC2_AGENT_MANAGEMENT) the same request turned off with the plan; absent when it named none off.
   */
  agentsOff?: string[];
}
