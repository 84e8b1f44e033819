import { containerLevel, read } from "../combine";
import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

/** Baseline: a privileged container disables most isolation (container level only). */
export const privileged: PssCheck = (view) =>
  view.containers.flatMap((container) => {
    const level = containerLevel(container);
    return read(level, (c) => c.privileged) === true
      ? [
          violation(
            PSS_CONTROLS.privileged,
            "baseline",
            `${level.path}.privileged`,
            true,
            "remove `privileged: true` (or set it to false)",
          ),
        ]
      : [];
  });
