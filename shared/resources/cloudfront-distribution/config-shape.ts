import { z } from "zod";
import type { CacheBehaviorState, DistributionState } from "./state";

/** The viewer protocol policies CloudFront knows; anything else (a hidden or cut value) is not judged. */
const POLICIES = new Set(["allow-all", "https-only", "redirect-to-https"]);

/**
 * CloudFront's `{ quantity, items }` lists. `items` is left out when empty (`{"quantity": 0}` in
 * responses) and may be cut short by CloudTrail: the quantity says how many there should be.
 */
function quantityList<T extends z.ZodType>(item: T) {
  return z.looseObject({
    quantity: z.coerce.number().int().min(0).optional(),
    items: z.array(item).nullable().optional(),
  });
}

/**
 * A `DistributionConfig` in the camelCase CloudTrail and AWS Config both use. Only what the checks
 * judge is read.
 */
export const distributionConfigSchema = z.looseObject({
  enabled: z.boolean().optional(),
  staging: z.boolean().optional(),
  defaultCacheBehavior: z.looseObject({ viewerProtocolPolicy: z.string().min(1) }),
  cacheBehaviors: quantityList(
    z.looseObject({ pathPattern: z.string(), viewerProtocolPolicy: z.string().min(1) }),
  )
    .nullable()
    .optional(),
});
export type DistributionConfigShape = z.infer<typeof distributionConfigSchema>;

/**
 * The settings a config says, or undefined when it can't be trusted whole: fewer behaviors than its
 * quantity (cut short) or a viewer protocol policy that isn't one of CloudFront's (hidden, garbled).
 */
export function settingsOf(
  config: DistributionConfigShape,
): Pick<DistributionState, "behaviors" | "enabled" | "staging"> | undefined {
  const listed = config.cacheBehaviors?.items ?? [];
  const quantity = config.cacheBehaviors?.quantity ?? listed.length;
  if (listed.length !== quantity) return undefined;
  const behaviors: CacheBehaviorState[] = [
    { viewerProtocolPolicy: config.defaultCacheBehavior.viewerProtocolPolicy },
    ...listed.map((b) => ({ pathPattern: b.pathPattern, viewerProtocolPolicy: b.viewerProtocolPolicy })),
  ];
  if (!behaviors.every((b) => POLICIES.has(b.viewerProtocolPolicy))) return undefined;
  return {
    behaviors,
    ...(config.enabled !== undefined ? { enabled: config.enabled } : {}),
    ...(config.staging !== undefined ? { staging: config.staging } : {}),
  };
}
