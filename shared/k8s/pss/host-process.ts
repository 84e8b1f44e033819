import { allLevels, read } from "../combine";
import { inner } from "../lenient";
import { PSS_CONTROLS } from "../types";
import { violation, type PssCheck } from "./check";

/** Baseline: Windows HostProcess containers run with privileged access to the node. */
export const hostProcess: PssCheck = (view) =>
  allLevels(view).flatMap((level) => {
    const value = inner(
      read(level, (c) => c.windowsOptions),
      (w) => w.hostProcess,
    );
    return value === true
      ? [
          violation(
            PSS_CONTROLS.hostProcess,
            "baseline",
            `${level.path}.windowsOptions.hostProcess`,
            value,
            "remove `windowsOptions.hostProcess` (or set it to false)",
          ),
        ]
      : [];
  });
