import { z } from "zod";

/** What Vigil does about a violation: change it, say what it would change, or only report it. */
export const REMEDIATION_MODES = ["auto", "dry-run", "off"] as const;
export const remediationModeSchema = z.enum(REMEDIATION_MODES);
export type RemediationMode = z.infer<typeof remediationModeSchema>;

const strength: Record<RemediationMode, number> = { off: 0, "dry-run": 1, auto: 2 };

/** When several checks ask for one resource change, the strongest mode among them decides. */
export function strongestMode(modes: readonly RemediationMode[]): RemediationMode {
  return modes.reduce<RemediationMode>((a, b) => (strength[b] > strength[a] ? b : a), "off");
}
