import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

const FIELDS = ["hostNetwork", "hostPID", "hostIPC"] as const;

/** Baseline: sharing the node's network, process or IPC namespace. */
export const hostNamespaces: PssCheck = (view) =>
  FIELDS.flatMap((name) =>
    view.spec[name] === true
      ? [
          violation(
            PSS_CONTROLS.hostNamespaces,
            "baseline",
            `spec.${name}`,
            true,
            `remove \`${name}: true\` (or set it to false)`,
          ),
        ]
      : [],
  );
