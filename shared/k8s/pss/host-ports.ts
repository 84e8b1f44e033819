import { z } from "zod";
import { elements, field, UNREADABLE } from "../lenient";
import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

const portSchema = z.looseObject({ hostPort: field(z.number()) });

/**
 * Baseline: a hostPort binds the node's port (0 means none). The standard allows "a known list", which the
 * built-in admission does not support, so any non-zero hostPort is a violation. Ports by index.
 */
export const hostPorts: PssCheck = (view) =>
  view.containers.flatMap(({ path, container }) =>
    elements(container.ports, portSchema).flatMap((port, index) => {
      if (port === undefined || port === UNREADABLE) return [];
      const hostPort = port.hostPort;
      if (typeof hostPort !== "number" || hostPort === 0) return [];
      return [
        violation(
          PSS_CONTROLS.hostPorts,
          "baseline",
          `${path}.ports[${index}].hostPort`,
          hostPort,
          "remove `hostPort` (expose the port with a Service instead)",
        ),
      ];
    }),
  );
