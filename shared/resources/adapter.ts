import type { S3Client } from "@aws-sdk/client-s3";
import type { S3ControlClient } from "@aws-sdk/client-s3-control";
import type { RDSClient } from "@aws-sdk/client-rds";
import type { SQSClient } from "@aws-sdk/client-sqs";
import type { SNSClient } from "@aws-sdk/client-sns";
import type { EFSClient } from "@aws-sdk/client-efs";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import type { IAMClient } from "@aws-sdk/client-iam";
import type { EKSClient } from "@aws-sdk/client-eks";
import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { EC2Client } from "@aws-sdk/client-ec2";
import type { ECRClient } from "@aws-sdk/client-ecr";
import type { ECSClient } from "@aws-sdk/client-ecs";
import type { Inspector2Client } from "@aws-sdk/client-inspector2";
import type { KMSClient } from "@aws-sdk/client-kms";
import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import type { GuardDutyClient } from "@aws-sdk/client-guardduty";
import type { LambdaClient } from "@aws-sdk/client-lambda";
import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import type { CheckContext } from "../checks/define";
import type { ResourceRef } from "../core/resource";
import type { CloudTrailDetail } from "../events/cloudtrail";
import type { ConfigItem } from "../events/config-item";
import type { Envelope } from "../events/envelope";
import type { ResourceStates, ResourceType } from "./states";

/** What one event says about one resource. */
export interface Observation<T extends ResourceType = ResourceType> {
  resource: ResourceRef;
  /** Undefined when the resource was deleted. */
  state: ResourceStates[T] | undefined;
  /**
   * True when `state` is the whole resource (a Config item, a live read): checks that find nothing
   * resolve open findings. CloudTrail events only describe the change, so they can open, never close.
   */
  complete: boolean;
  /** When this state was true (CloudTrail eventTime, Config capture time). */
  observedAt: string;
  /** Whether `state` carries the resource's tags; if not they are read before exemptions apply. */
  tagsKnown: boolean;
  /** The adapter wants the live definition confirmed before checks run (e.g. a rule edited in place by id). */
  needsRefresh?: boolean;
}

/**
 * Read-only AWS access for detection. Callers await each client: Vigil's own load the SDK code and
 * create the client on first use (shared/aws/clients.ts), so paths that need none load none; tests
 * may hand over a ready client.
 */
export interface ReadClients {
  ec2(): EC2Client | Promise<EC2Client>;
  ecr(): ECRClient | Promise<ECRClient>;
  ecs(): ECSClient | Promise<ECSClient>;
  lambda(): LambdaClient | Promise<LambdaClient>;
  secretsManager(): SecretsManagerClient | Promise<SecretsManagerClient>;
  inspector2(): Inspector2Client | Promise<Inspector2Client>;
  kms(): KMSClient | Promise<KMSClient>;
  cloudTrail(): CloudTrailClient | Promise<CloudTrailClient>;
  guardDuty(): GuardDutyClient | Promise<GuardDutyClient>;
  s3(): S3Client | Promise<S3Client>;
  s3Control(): S3ControlClient | Promise<S3ControlClient>;
  rds(): RDSClient | Promise<RDSClient>;
  sqs(): SQSClient | Promise<SQSClient>;
  sns(): SNSClient | Promise<SNSClient>;
  efs(): EFSClient | Promise<EFSClient>;
  dynamoDb(): DynamoDBClient | Promise<DynamoDBClient>;
  elbv2(): ElasticLoadBalancingV2Client | Promise<ElasticLoadBalancingV2Client>;
  cloudFront(): CloudFrontClient | Promise<CloudFrontClient>;
  iam(): IAMClient | Promise<IAMClient>;
  eks(): EKSClient | Promise<EKSClient>;
  configService(): ConfigServiceClient | Promise<ConfigServiceClient>;
}

export class UnusableEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnusableEventError";
  }
}

/**
 * The event is fine but can only be judged with live AWS reads, and this runtime has no AWS access
 * (`npm start`, offline replay). Reported as ignored, not as invalid: the event is not at fault.
 */
export class NeedsAwsError extends UnusableEventError {
  constructor(message: string) {
    super(message);
    this.name = "NeedsAwsError";
  }
}

export interface ResourceAdapter<T extends ResourceType = ResourceType> {
  resourceType: T;
  /** Turns a CloudTrail call into observations; throws UnusableEventError when the event lacks what is needed. */
  fromCloudTrail(detail: CloudTrailDetail, account: string): Observation<T>[];
  /**
   * Turns a service's own EventBridge event (ECR image push or scan, Inspector finding: whatever the
   * checks' `triggers.events` name) into observations; throws UnusableEventError when it can't.
   */
  fromEvent?(envelope: Envelope): Observation<T>[];
  /** Turns a Config item (from a notification or from the history API) into an observation. */
  fromConfigItem(item: ConfigItem): Observation<T>;
  /** Reads the resource's tags (exemptions), for sources that don't carry them. */
  readTags(observation: Observation<T>, clients: ReadClients): Promise<Record<string, string>>;
  /**
   * Re-reads the parts an event only pointed at (see `Observation.needsRefresh`). The checks'
   * context lets a refresh skip reads only a violation needs (e.g. whether a vulnerable image runs).
   */
  refresh?(
    observation: Observation<T>,
    clients: ReadClients,
    context?: CheckContext,
  ): Promise<Observation<T>>;
}

export function defineResourceAdapter<T extends ResourceType>(
  adapter: ResourceAdapter<T>,
): ResourceAdapter<T> {
  return adapter;
}
