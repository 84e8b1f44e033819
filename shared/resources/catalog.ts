import type { ResourceAdapter } from "./adapter";
import ecrImage from "./ecr-image/adapter";
import ecrImageScan from "./ecr-image-scan/adapter";
import ecrRegistry from "./ecr-registry/adapter";
import ecrRepository from "./ecr-repository/adapter";
import ecsTaskDefinition from "./ecs-task-definition/adapter";
import lambdaFunction from "./lambda-function/adapter";
import secret from "./secret/adapter";
import securityGroup from "./security-group/adapter";
import cloudTrailTrail from "./cloudtrail-trail/adapter";
import guardDutyDetector from "./guardduty-detector/adapter";
import type { ResourceType } from "./states";

/** How each resource type is read from events. Adding a resource type = one adapter folder + one line here. */
export const resourceAdapters: readonly ResourceAdapter[] = [
  securityGroup,
  ecrRepository,
  ecrRegistry,
  ecrImage,
  ecrImageScan,
  ecsTaskDefinition,
  lambdaFunction,
  secret,
  cloudTrailTrail,
  guardDutyDetector,
];

export function adapterFor(resourceType: string): ResourceAdapter | undefined {
  return resourceAdapters.find((adapter) => adapter.resourceType === (resourceType as ResourceType));
}
