import { z } from "zod";
import { field, inner, UNREADABLE, type Field } from "./lenient";
import type { Workload, WorkloadKind } from "./types";

/** The API groups each kind is served from (`extensions` and the betas are the pre-apps/v1 groups). */
const GROUPS: Readonly<Record<WorkloadKind, readonly string[]>> = {
  Pod: [""],
  ReplicationController: [""],
  Deployment: ["apps", "extensions"],
  StatefulSet: ["apps"],
  DaemonSet: ["apps", "extensions"],
  ReplicaSet: ["apps", "extensions"],
  Job: ["batch"],
  CronJob: ["batch"],
};

const isKind = (kind: string): kind is WorkloadKind => Object.hasOwn(GROUPS, kind);

/** A JSON object (not an array): what a pod spec must at least be. */
const objectSchema = z.record(z.string(), z.unknown());

const metadataSchema = z.looseObject({
  name: field(z.string()),
  namespace: field(z.string()),
  annotations: field(objectSchema),
});
type Metadata = z.infer<typeof metadataSchema>;

const templateSchema = z.looseObject({ metadata: field(metadataSchema), spec: field(objectSchema) });
type Template = z.infer<typeof templateSchema>;

const objectOfKind = z.looseObject({
  apiVersion: field(z.string()),
  kind: z.string(),
  metadata: field(metadataSchema),
  spec: field(
    z.looseObject({
      template: field(templateSchema),
      jobTemplate: field(z.looseObject({ spec: field(z.looseObject({ template: field(templateSchema) })) })),
    }),
  ),
});

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}

function text(value: Field<string>): string {
  return typeof value === "string" ? value : "";
}

function stringAnnotations(metadata: Field<Metadata>): Record<string, string> | undefined {
  const annotations = inner(metadata, (m) => m.annotations);
  if (annotations === undefined || annotations === UNREADABLE) return undefined;
  return Object.fromEntries(
    Object.entries(annotations).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** The pod template of a controller: spec.template, or a CronJob's spec.jobTemplate.spec.template. */
function templateOf(kind: WorkloadKind, spec: z.infer<typeof objectOfKind>["spec"]): Field<Template> {
  if (kind === "CronJob")
    return inner(
      inner(
        inner(spec, (s) => s.jobTemplate),
        (j) => j.spec,
      ),
      (s) => s.template,
    );
  return inner(spec, (s) => s.template);
}

/**
 * The pod spec inside a Kubernetes object (Pod: spec; Deployment/...: spec.template; CronJob:
 * spec.jobTemplate.spec.template), or undefined for other kinds (including a same-named kind of another
 * API group, e.g. a custom resource) or malformed objects. Name and namespace are "" when absent.
 */
export function workloadOf(object: unknown): Workload | undefined {
  const parsed = objectOfKind.safeParse(object);
  if (!parsed.success || Array.isArray(object)) return undefined;
  const { apiVersion, kind, metadata } = parsed.data;
  if (!isKind(kind) || apiVersion === UNREADABLE) return undefined;
  if (apiVersion !== undefined && !GROUPS[kind].includes(groupOf(apiVersion))) return undefined;

  let podSpec: unknown;
  let podMetadata: Field<Metadata>;
  if (kind === "Pod") {
    const raw = (object as { spec?: unknown }).spec;
    podSpec = objectSchema.safeParse(raw).success ? raw : undefined;
    podMetadata = metadata;
  } else {
    const template = templateOf(kind, parsed.data.spec);
    if (template === undefined || template === UNREADABLE) return undefined;
    podSpec = template.spec === UNREADABLE ? undefined : template.spec;
    podMetadata = template.metadata;
  }
  if (podSpec === undefined) return undefined;
  const annotations = stringAnnotations(podMetadata);
  return {
    kind,
    namespace: text(inner(metadata, (m) => m.namespace)),
    name: text(inner(metadata, (m) => m.name)),
    spec: podSpec,
    ...(annotations ? { annotations } : {}),
  };
}
