/**
 * What Vigil knows about the policies of one IAM identity (user, role or group). Each part is
 * optional (an event may say nothing about it) and says whether it is the identity's whole list: a
 * check judging a partial list may open a finding, never resolve one.
 */

/** One inline policy. */
export interface InlinePolicy {
  name: string;
  /**
   * The document as its source gave it: JSON text (CloudTrail requests) or URL-encoded JSON text (IAM's
   * API, AWS Config). Absent when only the name was read.
   */
  document?: string;
  /** Where it was seen: the call (`PutRolePolicy`), a live read (`GetRolePolicy`), `Config`. */
  source: string;
}

/** One attached managed policy (AWS managed or customer managed). */
export interface AttachedPolicy {
  arn: string;
  name: string;
  /** A customer managed policy's default version as read live (GetPolicy + GetPolicyVersion). */
  defaultVersion?: { versionId: string; document: string };
  source: string;
}

export interface PolicySet<T> {
  /** True when these are all of the identity's policies of this kind (a live list, a Config item). */
  complete: boolean;
  policies: T[];
  /** What the call removed (inline names, attached ARNs): a live list read just after must not bring them back. */
  removed?: string[];
}

export interface IdentityGrants {
  inline?: PolicySet<InlinePolicy>;
  attached?: PolicySet<AttachedPolicy>;
}

/** True when a part is missing or only partly known (what a refresh fills in). */
export function isPartial(set: PolicySet<unknown> | undefined): boolean {
  return set !== undefined && !set.complete;
}
