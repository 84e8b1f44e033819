/** Placeholder: the GuardDuty work replaces this with the real state. */
export interface DetectorState {
  detectorId: string;
  tags?: Record<string, string>;
}
