/**
 * Security policies ELB.17 accepts. The first six are Security Hub's `sslPolicies` parameter for
 * ELB.17 ("not customizable", elb-controls page). The six `-PQ-2025-09` ones are the same policies
 * with hybrid post-quantum key exchange added (same TLS versions and ciphers); AWS made
 * `ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09` the console default, and flagging the stronger
 * variant of an accepted policy would be a false positive. Ext1/Ext2 and the pre-TLS-1.3 policies
 * (`ELBSecurityPolicy-2016-08`, the CLI/CloudFormation default, included) are not accepted.
 */
export const RECOMMENDED_SSL_POLICIES: ReadonlySet<string> = new Set([
  "ELBSecurityPolicy-TLS13-1-2-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-3-2021-06",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
  "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
  "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
]);
