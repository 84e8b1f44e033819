import { z } from "zod";

/** A Kubernetes minor version as EKS names it: `1.32`. */
export const KUBERNETES_VERSION = /^(\d+)\.(\d+)$/;

/**
 * EKS cluster posture settings (the `eksClusters` section of Vigil's config; the `eks` section is
 * about workloads seen in the audit log).
 */
export const eksClusterSettingsSchema = z
  .object({
    /**
     * EKS.2: clusters on an older Kubernetes minor version fail. The default is the oldest version
     * in EKS standard support when this was written (1.32: standard support until 23 March 2026,
     * extended support until March 2027, per the EKS release calendar). Security Hub counts
     * extended support as unsupported too; raise this as the calendar moves on.
     */
    oldestSupportedVersion: z
      .string()
      .regex(KUBERNETES_VERSION, 'a Kubernetes minor version like "1.32"')
      .default("1.32"),
  })
  .strict()
  .prefault({});

export type EksClusterSettings = z.infer<typeof eksClusterSettingsSchema>;
