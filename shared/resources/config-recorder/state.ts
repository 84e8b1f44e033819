/**
 * What one AWS Config CloudTrail call says about the Region's (customer managed) configuration
 * recorder. Settings are optional: a call names only what it changed, and a check whose setting
 * is unknown stays undecided (its finding is left as it is).
 */
export interface ConfigRecorderState {
  recorderName: string;
  /** The recorder's Region: Vigil restarts it only there. */
  region: string;
  /** `StopConfigurationRecorder` => false, `StartConfigurationRecorder` => true. */
  recording?: boolean;
  /**
   * True after `DeleteConfigurationRecorder`, false after a call that needs the recorder to exist
   * (`PutConfigurationRecorder`, `StartConfigurationRecorder`). A deletion is a state, not
   * `state: undefined`, because the pipeline resolves a deleted resource's findings and this deletion IS the violation.
   */
  deleted?: boolean;
  tags?: Record<string, string>;
}

/** The Region's Config delivery channel (where Config delivers snapshots and history: S3, SNS). */
export interface DeliveryChannelState {
  channelName: string;
  region: string;
  /** True after `DeleteDeliveryChannel`, false after `PutDeliveryChannel`. */
  deleted: boolean;
  /** Always absent: delivery channels carry no tags (exempt one in Vigil's config instead). */
  tags?: Record<string, string>;
}
