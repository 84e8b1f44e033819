import { createHash } from "node:crypto";

/** Deterministic finding id = hash(account, region, check id, resource id): the same violation always lands on one record. */
export function findingId(parts: {
  account: string;
  region: string;
  checkId: string;
  resourceId: string;
}): string {
  const digest = createHash("sha256")
    .update([parts.account, parts.region, parts.checkId, parts.resourceId].join("\u0000"))
    .digest("hex");
  return `vf-${digest.slice(0, 24)}`;
}
