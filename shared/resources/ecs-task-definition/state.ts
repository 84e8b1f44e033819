import type { ValueFacts } from "../../leaks/secret-values";

/**
 * One `environment` entry, with what is known about its value instead of the value: the state
 * never carries a secret. `facts` is undefined when the source hid the value (CloudTrail's
 * `HIDDEN_DUE_TO_SECURITY_REASONS`).
 */
export interface EnvironmentVariable {
  name: string;
  facts?: ValueFacts;
}

/** The parts of one container definition the checks read. Absent fields are absent in the definition. */
export interface EcsContainer {
  name: string;
  image?: string;
  privileged?: boolean;
  readonlyRootFilesystem?: boolean;
  user?: string;
  environment: EnvironmentVariable[];
  /** Names from `secrets` (injected from Secrets Manager / SSM by `valueFrom`): the right way, never judged. */
  secretNames: string[];
  /** `logConfiguration.logDriver`, when set. */
  logDriver?: string;
  /** `linuxParameters.capabilities.add`, as written. */
  addedCapabilities: string[];
}

/**
 * A task-definition family, as its latest ACTIVE revision (the only one Security Hub evaluates).
 * The finding's resource is the family; `arn`/`revision` say which revision was seen.
 */
export interface EcsTaskDefinitionState {
  family: string;
  /** The revision's ARN, `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>`. */
  arn: string;
  revision: number;
  /** ACTIVE, INACTIVE (deregistered) or DELETE_IN_PROGRESS. */
  status: string;
  networkMode?: string;
  pidMode?: string;
  /** `runtimePlatform.operatingSystemFamily` (LINUX, WINDOWS_SERVER_2022_CORE, …); unset means Linux. */
  operatingSystemFamily?: string;
  containers: EcsContainer[];
  tags?: Record<string, string>;
}
