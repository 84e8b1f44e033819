import type { CheckDefinition } from "../define";
import addedCapabilities from "./added-capabilities";
import ecs3 from "./ecs-3-host-pid-mode";
import ecs4 from "./ecs-4-privileged";
import ecs5 from "./ecs-5-readonly-root-filesystem";
import ecs8 from "./ecs-8-environment-secrets";
import ecs9 from "./ecs-9-log-configuration";
import ecs17 from "./ecs-17-host-network-mode";
import ecs20 from "./ecs-20-non-root-user";

/** ECS task-definition checks. Adding one = one file in this folder + one line here. */
export const ecsChecks: readonly CheckDefinition[] = [
  ecs4,
  ecs5,
  ecs20,
  ecs8,
  ecs3,
  ecs17,
  ecs9,
  addedCapabilities,
];
