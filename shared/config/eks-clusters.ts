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
     * in EKS standard support in late November 2026, per the EKS release calendar (14 months of
     * standard support, then 12 of extended): 1.33's standard support ended 29 July 2026, 1.34's
     * runs until 2 December 2026, 1.35's until 27 March 2027. Security Hub counts extended support
     * as unsupported too; raise this as the calendar moves on (to 1.35 from December 2026).
     */
    oldestSupportedVersion: z
      .string()
      .regex(KUBERNETES_VERSION, 'a Kubernetes minor version like "1.32"')
      .default("1.34"),
  })
  .strict()
  .prefault({});

export type EksClusterSettings = z.infer<typeof eksClusterSettingsSchema>;
