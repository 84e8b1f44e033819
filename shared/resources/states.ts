import type { EcrImageState } from "./ecr-image/state";
import type { EcrImageScanState } from "./ecr-image-scan/state";
import type { EcrRegistryState } from "./ecr-registry/state";
import type { EcrRepositoryState } from "./ecr-repository/state";
import type { EcsTaskDefinitionState } from "./ecs-task-definition/state";
import type { LambdaFunctionState } from "./lambda-function/state";
import type { SecretState } from "./secret/state";
import type { SecurityGroupState } from "./security-group/state";
import type { TrailState } from "./cloudtrail-trail/state";
import type { DetectorState } from "./guardduty-detector/state";

/**
 * The observed state of each resource type Vigil evaluates, keyed by CloudFormation type (or, where
 * CloudFormation has none, an `AWS::<Service>::<Thing>` name in the same style).
 * Adding a resource type = adding its state type here and an adapter in `resources/`.
 * Every state may carry the resource's tags (for exemptions) when its source does.
 */
export interface ResourceStates {
  "AWS::EC2::SecurityGroup": SecurityGroupState;
  "AWS::ECR::Repository": EcrRepositoryState;
  "AWS::ECR::Registry": EcrRegistryState;
  /** One pushed image (repository + digest): its manifest and configuration, checked at push. */
  "AWS::ECR::Image": EcrImageState;
  /** One image's vulnerability scan results (ECR basic scanning or Amazon Inspector). */
  "AWS::ECR::ImageScan": EcrImageScanState;
  /** A task-definition family; only its latest ACTIVE revision counts. */
  "AWS::ECS::TaskDefinition": EcsTaskDefinitionState;
  "AWS::Lambda::Function": LambdaFunctionState;
  "AWS::SecretsManager::Secret": SecretState;
  "AWS::CloudTrail::Trail": TrailState;
  "AWS::GuardDuty::Detector": DetectorState;
}

export type ResourceType = keyof ResourceStates;
