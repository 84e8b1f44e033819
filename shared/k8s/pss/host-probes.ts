import { inner, type Field } from "../lenient";
import type { Container, Handler } from "../spec";
import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

const PROBES = ["livenessProbe", "readinessProbe", "startupProbe"] as const;
const HOOKS = ["postStart", "preStop"] as const;
const ACTIONS = ["httpGet", "tcpSocket"] as const;

/** Every probe and lifecycle handler of a container, with its path below the container. */
function handlers(container: Container): [string, Field<Handler>][] {
  return [
    ...PROBES.map((probe): [string, Field<Handler>] => [probe, container[probe]]),
    ...HOOKS.map((hook): [string, Field<Handler>] => [
      `lifecycle.${hook}`,
      inner(container.lifecycle, (l) => l[hook]),
    ]),
  ];
}

/**
 * Baseline (Kubernetes 1.34+): a probe or lifecycle hook with a `host` makes the kubelet connect to any
 * address, not the pod. The table names containers and init containers; the admission visits every
 * container kind (ephemeral containers can't have probes), and so does this.
 */
export const hostProbes: PssCheck = (view) =>
  view.containers.flatMap(({ path, container }) =>
    handlers(container).flatMap(([where, handler]) =>
      ACTIONS.flatMap((action) => {
        const host = inner(
          inner(handler, (h) => h[action]),
          (a) => a.host,
        );
        if (typeof host !== "string" || host === "") return [];
        return [
          violation(
            PSS_CONTROLS.hostProbes,
            "baseline",
            `${path}.${where}.${action}.host`,
            host,
            `remove \`host\` from the ${where} ${action} (the kubelet then uses the pod's IP)`,
          ),
        ];
      }),
    ),
  );
