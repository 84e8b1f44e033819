/** Placeholder: the CloudTrail work replaces this with the real state. */
export interface TrailState {
  trailName: string;
  tags?: Record<string, string>;
}
