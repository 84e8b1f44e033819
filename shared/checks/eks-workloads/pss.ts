import type { Violation } from "../define";
import type { NamespaceLevels, PssLevel } from "../../config/eks";
import type { Severity } from "../../core/severity";
import { evaluatePodSecurity, type PssProfile, type PssViolation } from "../../k8s";
import type { EksWorkloadState } from "../../resources/eks-workload/state";

/** At most this many violated fields go into a finding's evidence (a pod has at most a few dozen). */
const MAX_EVIDENCE_ITEMS = 50;
/** The alert's "Problem" line is cut at 1,000 characters; the summary stays under it. */
const MAX_SUMMARY_CHARS = 900;

/**
 * The same violation in every detail: one control can report several things at one path (a
 * container adding NET_RAW breaks baseline, adding CHOWN only restricted; both are
 * `capabilities.add`), so control and path alone would hide what restricted adds.
 */
const sameViolation = (a: PssViolation, b: PssViolation) =>
  a.control === b.control &&
  a.path === b.path &&
  a.fix === b.fix &&
  JSON.stringify(a.found) === JSON.stringify(b.found);

/**
 * The violations of one profile's own controls: baseline's, or what restricted adds to it (a
 * restricted namespace's baseline violations are the baseline check's finding, not this one's).
 */
export function profileViolations(state: EksWorkloadState, profile: PssProfile): PssViolation[] {
  const metadata = state.podAnnotations ? { annotations: state.podAnnotations } : undefined;
  let found = evaluatePodSecurity(state.podSpec, profile, metadata);
  if (profile === "restricted") {
    const baseline = evaluatePodSecurity(state.podSpec, "baseline", metadata);
    found = found.filter((v) => v.profile === "restricted" && !baseline.some((b) => sameViolation(b, v)));
  }
  // A controller's pod changed through `kubectl debug`: the rest was judged on the owner's template.
  if (state.ephemeralOnly) found = found.filter((v) => v.path.includes("ephemeralContainers"));
  return found.map((v) => ({ ...v, path: objectPath(state.kind, v.path) }));
}

/**
 * The evaluator speaks of the pod (`spec.containers[app]...`); a controller's pod is its template,
 * so the path the user edits is `spec.template.spec...` (a CronJob's `spec.jobTemplate.spec.template...`).
 */
export function objectPath(kind: EksWorkloadState["kind"], podPath: string): string {
  if (kind === "Pod" || !/^(spec|metadata)[.[]/.test(podPath)) return podPath;
  return `${kind === "CronJob" ? "spec.jobTemplate.spec.template" : "spec.template"}.${podPath}`;
}

/** What a field held, small and never a secret: scalars as they are, objects by their keys only. */
export function safeFound(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === "boolean" || typeof value === "number") return value;
  if (typeof value === "string") return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (Array.isArray(value))
    return value
      .slice(0, 20)
      .map((item) => (item !== null && typeof item === "object" ? "{…}" : safeFound(item)));
  if (typeof value === "object")
    return `object with ${Object.keys(value).slice(0, 10).join(", ") || "no keys"}`;
  return String(value);
}

function requester(state: EksWorkloadState): string {
  const { username, groups, impersonatedUser } = state.appliedBy;
  const as = impersonatedUser ? ` as ${impersonatedUser}` : "";
  const shownGroups = groups.filter((g) => g !== "system:authenticated");
  return `${username}${as}${shownGroups.length ? ` (groups ${shownGroups.join(", ")})` : ""}`;
}

/** Each violated control once, with where and how to fix it. */
function controlLines(violations: readonly PssViolation[]): string[] {
  const byControl = new Map<string, PssViolation[]>();
  for (const v of violations) byControl.set(v.control, [...(byControl.get(v.control) ?? []), v]);
  return [...byControl.entries()].map(([control, list]) => {
    const paths = [...new Set(list.map((v) => v.path))];
    const fixes = [...new Set(list.map((v) => v.fix))];
    return `${control} at ${paths.join(", ")} (fix: ${fixes.join("; ")})`;
  });
}

function boundedSummary(head: string, lines: string[]): string {
  let summary = head;
  for (const [i, line] of lines.entries()) {
    const next = `${summary}${i ? "; " : ": "}${line}`;
    if (next.length > MAX_SUMMARY_CHARS) return `${summary}; and ${lines.length - i} more (see the evidence)`;
    summary = next;
  }
  return summary;
}

/** One violation per workload and profile: the workload, who applied it, every control with its fix. */
export function workloadViolation(
  state: EksWorkloadState,
  profile: PssProfile,
  violations: readonly PssViolation[],
  levels: NamespaceLevels,
  severity: Severity,
): Violation {
  const where = `${state.kind} ${state.namespace}/${state.name} in cluster ${state.cluster}`;
  const head = `${where}, applied by ${requester(state)}, fails the Pod Security Standards ${profile} profile`;
  const { username, groups, sourceIPs, userAgent, verb, impersonatedUser } = state.appliedBy;
  return {
    summary: boundedSummary(head, controlLines(violations)),
    severity,
    evidence: {
      cluster: state.cluster,
      namespace: state.namespace,
      kind: state.kind,
      name: state.name,
      profile,
      levels: { report: levels.report, alert: levels.alert } satisfies Record<string, PssLevel>,
      appliedBy: {
        username,
        groups,
        sourceIPs,
        ...(userAgent ? { userAgent } : {}),
        verb,
        ...(impersonatedUser ? { impersonatedUser } : {}),
      },
      violations: violations.slice(0, MAX_EVIDENCE_ITEMS).map((v) => ({
        control: v.control,
        path: v.path,
        found: safeFound(v.found),
        fix: v.fix,
      })),
      ...(violations.length > MAX_EVIDENCE_ITEMS ? { omitted: violations.length - MAX_EVIDENCE_ITEMS } : {}),
    },
  };
}
