import type { ContainerDefinition, TaskDefinition } from "@aws-sdk/client-ecs";
import { runsAsRoot } from "../../checks/ecs/container-user";

/** What a hardened revision changes, by container name; nothing else in the definition changes. */
export interface Hardening {
  /** Containers that get `readonlyRootFilesystem: true` (ECS.5). */
  readonly: string[];
  /** Containers that run as root and get `user` (ECS.20). */
  nonRoot: { containers: string[]; user: string } | undefined;
}

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(", ");

/** `readonlyRootFilesystem=true on "api"; user=1000:1000 on "api"`, for actions and plans. */
export function describeHardening(h: Hardening): string {
  return [
    ...(h.readonly.length ? [`readonlyRootFilesystem=true on ${quoted(h.readonly)}`] : []),
    ...(h.nonRoot ? [`user=${h.nonRoot.user} on ${quoted(h.nonRoot.containers)}`] : []),
  ].join("; ");
}

/**
 * What the hardening can break, for whoever decides to run it: the app is not known to Vigil, so
 * it can't tell whether it writes to its root filesystem or relies on being root.
 */
export function hardeningRisks(h: Hardening): string[] {
  return [
    ...(h.readonly.length
      ? ["a read-only root filesystem breaks every write outside a mounted volume (/tmp too)"]
      : []),
    ...(h.nonRoot
      ? [
          `running as ${h.nonRoot.user} breaks whatever needs root, binds a port below 1024 or writes files owned by the image's USER`,
        ]
      : []),
  ];
}

/** The containers with the hardening applied; every other field, and every other container, as it is. */
export function hardenedContainers(containers: ContainerDefinition[], h: Hardening): ContainerDefinition[] {
  return containers.map((c) => {
    const name = c.name ?? "";
    const readonly = h.readonly.includes(name) && c.readonlyRootFilesystem !== true;
    const user =
      h.nonRoot && h.nonRoot.containers.includes(name) && runsAsRoot(c.user) ? h.nonRoot.user : undefined;
    return { ...c, ...(readonly ? { readonlyRootFilesystem: true } : {}), ...(user ? { user } : {}) };
  });
}

/** Whether ECS registered what was asked: it echoes the registered definition back. */
export function isHardened(registered: TaskDefinition | undefined, h: Hardening): boolean {
  const byName = new Map((registered?.containerDefinitions ?? []).map((c) => [c.name, c]));
  return (
    registered?.taskDefinitionArn !== undefined &&
    h.readonly.every((name) => byName.get(name)?.readonlyRootFilesystem === true) &&
    (h.nonRoot?.containers ?? []).every((name) => !runsAsRoot(byName.get(name)?.user))
  );
}
