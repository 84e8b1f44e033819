import { z } from "zod";

/**
 * Pod Security Standards levels, as Kubernetes names them: `privileged` (nothing is restricted),
 * `baseline`, `restricted`. Each level includes the ones before it.
 */
export const PSS_LEVELS = ["privileged", "baseline", "restricted"] as const;
export type PssLevel = (typeof PSS_LEVELS)[number];
const levelSchema = z.enum(PSS_LEVELS);

// EKS: 1-100 characters, letters, digits, hyphens and underscores, starting with a letter or digit.
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
// Kubernetes namespaces are DNS labels (RFC 1123).
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE_KEY_PATTERN = new RegExp(
  `^(${CLUSTER_NAME.source.slice(1, -1)}/)?${NAMESPACE.source.slice(1, -1)}$`,
);

/** A namespace (`payments`, every cluster) or one cluster's namespace (`prod/payments`). */
const namespaceKeySchema = z
  .string()
  .regex(NAMESPACE_KEY_PATTERN, 'a namespace ("payments") or a cluster\'s namespace ("prod/payments")');

const namespaceLevelsSchema = z
  .object({ report: levelSchema.optional(), alert: levelSchema.optional() })
  .strict();

/**
 * EKS workloads judged from the clusters' audit logs (the `eks` section of Vigil's config). A
 * violation of the `alert` level is HIGH; one of the `report` level only is LOW (alerts follow
 * `minNotifySeverity`, so set it to MEDIUM to keep report-level findings out of the alerts).
 */
export const eksSettingsSchema = z
  .object({
    /** Clusters whose audit log (`/aws/eks/<name>/cluster`) the stack subscribes to; audit logging must be on. */
    clusters: z.array(z.string().regex(CLUSTER_NAME, "an EKS cluster name")).max(20).default([]),
    /**
     * Clusters that turn audit logging on after deploy (CreateCluster, UpdateClusterConfig) are
     * subscribed by a function (infra/eks-audit.ts), with the same filter as `clusters`.
     */
    subscribeNewClusters: z.boolean().default(true),
    /** Violations of this level are reported (findings). */
    report: levelSchema.default("restricted"),
    /** Violations of this level alert (HIGH findings). */
    alert: levelSchema.default("baseline"),
    /** Namespaces not judged at all (replaces the default: keep `kube-system` in the list if you set it). */
    exemptNamespaces: z.array(namespaceKeySchema).max(50).default(["kube-system"]),
    /** Per-namespace levels; `cluster/namespace` wins over `namespace`, which wins over the defaults. */
    namespaces: z.record(namespaceKeySchema, namespaceLevelsSchema).default({}),
  })
  .strict()
  .prefault({});

export type EksSettings = z.infer<typeof eksSettingsSchema>;

export interface NamespaceLevels {
  /** Not judged at all. */
  exempt: boolean;
  /** Violations of this level open findings (never below `alert`: what alerts is reported). */
  report: PssLevel;
  alert: PssLevel;
}

export function levelRank(level: PssLevel): number {
  return PSS_LEVELS.indexOf(level);
}

/** Whether a violation of `profile` counts at `level` (a restricted namespace also enforces baseline). */
export function levelCovers(level: PssLevel, profile: Exclude<PssLevel, "privileged">): boolean {
  return levelRank(level) >= levelRank(profile);
}

/** The levels that apply to one cluster's namespace. Pure. */
export function namespaceLevels(settings: EksSettings, cluster: string, namespace: string): NamespaceLevels {
  const keys = [`${cluster}/${namespace}`, namespace];
  const exempt = keys.some((key) => settings.exemptNamespaces.includes(key));
  const overrides = keys.map((key) => settings.namespaces[key]);
  const alert = overrides.find((o) => o?.alert)?.alert ?? settings.alert;
  const report = overrides.find((o) => o?.report)?.report ?? settings.report;
  return { exempt, alert, report: levelRank(report) >= levelRank(alert) ? report : alert };
}
