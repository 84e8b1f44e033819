import type { SecurityGroupState } from "./security-group/state";

/**
 * The observed state of each resource type Vigil evaluates, keyed by CloudFormation type.
 * Adding a resource type = adding its state type here and an adapter in `resources/`.
 */
export interface ResourceStates {
  "AWS::EC2::SecurityGroup": SecurityGroupState;
}

export type ResourceType = keyof ResourceStates;
