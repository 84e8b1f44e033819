import { z } from "zod";
import { elements, field, UNREADABLE, type Field } from "./lenient";

/**
 * The parts of a pod spec the Pod Security Standards read. Every field is lenient (see `field`):
 * a wrong-shaped field is UNREADABLE, never an error, so one odd field does not hide the others.
 */
const typed = z.looseObject({ type: field(z.string()) });

const securityContextSchema = z.looseObject({
  // Both levels.
  runAsNonRoot: field(z.boolean()),
  runAsUser: field(z.number()),
  seccompProfile: field(typed),
  appArmorProfile: field(typed),
  seLinuxOptions: field(
    z.looseObject({ type: field(z.string()), user: field(z.string()), role: field(z.string()) }),
  ),
  windowsOptions: field(z.looseObject({ hostProcess: field(z.boolean()) })),
  // Container level only.
  privileged: field(z.boolean()),
  allowPrivilegeEscalation: field(z.boolean()),
  procMount: field(z.string()),
  capabilities: field(z.looseObject({ add: field(z.array(z.unknown())), drop: field(z.array(z.unknown())) })),
  // Pod level only.
  sysctls: field(z.array(z.unknown())),
});
export type SecurityContext = z.infer<typeof securityContextSchema>;

const hostSchema = z.looseObject({ host: field(z.string()) });
const handlerSchema = z.looseObject({ httpGet: field(hostSchema), tcpSocket: field(hostSchema) });
export type Handler = z.infer<typeof handlerSchema>;

const containerSchema = z.looseObject({
  name: field(z.string()),
  securityContext: field(securityContextSchema),
  ports: field(z.array(z.unknown())),
  livenessProbe: field(handlerSchema),
  readinessProbe: field(handlerSchema),
  startupProbe: field(handlerSchema),
  lifecycle: field(z.looseObject({ postStart: field(handlerSchema), preStop: field(handlerSchema) })),
});
export type Container = z.infer<typeof containerSchema>;

const CONTAINER_LISTS = ["initContainers", "containers", "ephemeralContainers"] as const;

const podSpecSchema = z.looseObject({
  hostNetwork: field(z.boolean()),
  hostPID: field(z.boolean()),
  hostIPC: field(z.boolean()),
  hostUsers: field(z.boolean()),
  os: field(z.looseObject({ name: field(z.string()) })),
  securityContext: field(securityContextSchema),
  volumes: field(z.array(z.unknown())),
  initContainers: field(z.array(z.unknown())),
  containers: field(z.array(z.unknown())),
  ephemeralContainers: field(z.array(z.unknown())),
});
type PodSpec = z.infer<typeof podSpecSchema>;

/** One container of any kind, with the path prefix that names it. */
export interface ContainerView {
  /** e.g. "spec.initContainers[setup]"; by index when the container has no name. */
  path: string;
  container: Container;
}

export interface PodView {
  spec: PodSpec;
  /** Readable containers of every kind (init, regular, ephemeral); unreadable ones can't be judged. */
  containers: ContainerView[];
  annotations: Record<string, string>;
}

/** `name` when it is a usable label, else the element's index. */
export function label(name: Field<string>, index: number): string {
  return typeof name === "string" && name !== "" ? name : String(index);
}

function containersOf(spec: PodSpec): ContainerView[] {
  return CONTAINER_LISTS.flatMap((list) =>
    elements(spec[list], containerSchema).flatMap((container, index) =>
      container === undefined || container === UNREADABLE
        ? []
        : [{ path: `spec.${list}[${label(container.name, index)}]`, container }],
    ),
  );
}

const metadataSchema = z.looseObject({ annotations: field(z.record(z.string(), z.unknown())) });

function annotationsOf(metadata: unknown): Record<string, string> {
  const parsed = metadataSchema.safeParse(metadata);
  const annotations = parsed.success ? parsed.data.annotations : undefined;
  if (annotations === undefined || annotations === UNREADABLE) return {};
  return Object.fromEntries(
    Object.entries(annotations).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
  );
}

/** The pod as the checks read it, or undefined when `spec` is not an object at all. */
export function podView(spec: unknown, metadata: unknown): PodView | undefined {
  const parsed = podSpecSchema.safeParse(spec);
  if (!parsed.success || Array.isArray(spec)) return undefined;
  return { spec: parsed.data, containers: containersOf(parsed.data), annotations: annotationsOf(metadata) };
}

/** Linux-only restricted controls don't apply to a pod that declares `os.name: windows`. */
export function isWindows(view: PodView): boolean {
  const os = view.spec.os;
  return os !== undefined && os !== UNREADABLE && os.name === "windows";
}

/** `hostUsers: false`: the pod runs in a user namespace, which relaxes some controls (KEP-127, PSA 1.35). */
export function inUserNamespace(view: PodView): boolean {
  return view.spec.hostUsers === false;
}
