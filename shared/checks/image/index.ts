import type { CheckDefinition } from "../define";
import healthcheck from "./healthcheck";
import latestTag from "./latest-tag";
import minimalBase from "./minimal-base";
import pipeToShell from "./pipe-to-shell";
import remoteAdd from "./remote-add";
import rootUser from "./root-user";
import secrets from "./secrets";

/** Image-configuration checks run on push (Dockle-style). Adding one = one file in this folder + one line here. */
export const imageChecks: readonly CheckDefinition[] = [
  secrets,
  rootUser,
  minimalBase,
  remoteAdd,
  pipeToShell,
  latestTag,
  healthcheck,
];
