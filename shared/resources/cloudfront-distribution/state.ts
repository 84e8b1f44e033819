/** One cache behavior's viewer protocol policy: the default behavior, or a path pattern's. */
export interface CacheBehaviorState {
  /** Undefined for the default cache behavior. */
  pathPattern?: string;
  /** `allow-all`, `https-only` or `redirect-to-https`. */
  viewerProtocolPolicy: string;
}

/**
 * A CloudFront distribution. Fields a source does not carry are undefined, and a check that needs
 * one stays undecided (its finding is left as it is).
 */
export interface DistributionState {
  distributionId: string;
  distributionArn: string;
  /** The default cache behavior first, then every path-pattern behavior, in order. */
  behaviors?: CacheBehaviorState[];
  enabled?: boolean;
  /** A continuous-deployment staging distribution. */
  staging?: boolean;
  tags?: Record<string, string>;
}
