import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import {
  EC2Client,
  type RevokeSecurityGroupIngressCommandInput,
  type RevokeSecurityGroupIngressCommandOutput,
} from "@aws-sdk/client-ec2";
import { ECRClient } from "@aws-sdk/client-ecr";
import { ECSClient } from "@aws-sdk/client-ecs";
import { Inspector2Client } from "@aws-sdk/client-inspector2";
import { KMSClient } from "@aws-sdk/client-kms";
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { GuardDutyClient } from "@aws-sdk/client-guardduty";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { S3Client } from "@aws-sdk/client-s3";
import { S3ControlClient } from "@aws-sdk/client-s3-control";
import { RDSClient } from "@aws-sdk/client-rds";
import { SQSClient } from "@aws-sdk/client-sqs";
import { SNSClient } from "@aws-sdk/client-sns";
import { EFSClient } from "@aws-sdk/client-efs";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CloudFrontClient } from "@aws-sdk/client-cloudfront";
import { IAMClient } from "@aws-sdk/client-iam";
import { EKSClient } from "@aws-sdk/client-eks";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { checks } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import type { LocalDynamo } from "../../shared/findings/local-dynamo";
import type { FindingsStore } from "../../shared/findings/store";
import type { VigilLogger } from "../../shared/log";
import type { Alert, Notifier } from "../../shared/notifiers/alert";
import type { VigilRuntime } from "../../shared/pipeline/runtime";
import { remediations } from "../../shared/remediations/catalog";
import { resourceAdapters } from "../../shared/resources/catalog";
import { withLocalStore } from "./dynalite";

export class RecordingNotifier implements Notifier {
  readonly name = "recording";
  readonly alerts: Alert[] = [];
  failuresLeft = 0;
  async send(alert: Alert): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      throw new Error("webhook unavailable");
    }
    this.alerts.push(alert);
  }
}

export interface LoggedEntry {
  level: string;
  message: string;
  attributes: unknown[];
}

export function recordingLogger(): VigilLogger & { entries: LoggedEntry[] } {
  const entries: LoggedEntry[] = [];
  const at =
    (level: string) =>
    (message: unknown, ...attributes: unknown[]) => {
      entries.push({ level, message: String(message), attributes });
    };
  return {
    entries,
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
  } as VigilLogger & {
    entries: LoggedEntry[];
  };
}

export interface TestRuntime {
  runtime: VigilRuntime;
  ec2: AwsClientStub<EC2Client>;
  ecr: AwsClientStub<ECRClient>;
  ecs: AwsClientStub<ECSClient>;
  lambda: AwsClientStub<LambdaClient>;
  secretsManager: AwsClientStub<SecretsManagerClient>;
  inspector2: AwsClientStub<Inspector2Client>;
  kms: AwsClientStub<KMSClient>;
  cloudTrail: AwsClientStub<CloudTrailClient>;
  guardDuty: AwsClientStub<GuardDutyClient>;
  s3: AwsClientStub<S3Client>;
  s3Control: AwsClientStub<S3ControlClient>;
  rds: AwsClientStub<RDSClient>;
  sqs: AwsClientStub<SQSClient>;
  sns: AwsClientStub<SNSClient>;
  efs: AwsClientStub<EFSClient>;
  dynamoDb: AwsClientStub<DynamoDBClient>;
  elbv2: AwsClientStub<ElasticLoadBalancingV2Client>;
  cloudFront: AwsClientStub<CloudFrontClient>;
  iam: AwsClientStub<IAMClient>;
  eks: AwsClientStub<EKSClient>;
  configService: AwsClientStub<ConfigServiceClient>;
  notifier: RecordingNotifier;
  logger: ReturnType<typeof recordingLogger>;
  local: LocalDynamo;
  close(): Promise<void>;
}

/** The real pipeline on a real DynamoDB-API store (dynalite); only the AWS APIs with no local server are mocked. */
export async function testRuntime(
  options: {
    config?: VigilConfigInput;
    store?: (store: FindingsStore) => FindingsStore;
    now?: () => Date;
  } = {},
): Promise<TestRuntime> {
  const local = await withLocalStore();
  const ec2Client = new EC2Client({ region: "us-east-1" });
  const configClient = new ConfigServiceClient({ region: "us-east-1" });
  const ec2 = mockClient(ec2Client);
  const configService = mockClient(configClient);
  const notifier = new RecordingNotifier();
  const logger = recordingLogger();
  const region = { region: "us-east-1" };
  const ecrClient = new ECRClient(region);
  const ecsClient = new ECSClient(region);
  const lambdaClient = new LambdaClient(region);
  const secretsClient = new SecretsManagerClient(region);
  const inspectorClient = new Inspector2Client(region);
  const kmsClient = new KMSClient(region);
  const cloudTrailClient = new CloudTrailClient(region);
  const guardDutyClient = new GuardDutyClient(region);
  const s3Client = new S3Client(region);
  const s3ControlClient = new S3ControlClient(region);
  const rdsClient = new RDSClient(region);
  const sqsClient = new SQSClient(region);
  const snsClient = new SNSClient(region);
  const efsClient = new EFSClient(region);
  const dynamoDbClient = new DynamoDBClient(region);
  const elbv2Client = new ElasticLoadBalancingV2Client(region);
  const cloudFrontClient = new CloudFrontClient(region);
  const iamClient = new IAMClient(region);
  const eksClient = new EKSClient(region);
  const stubs = {
    ecr: mockClient(ecrClient),
    ecs: mockClient(ecsClient),
    lambda: mockClient(lambdaClient),
    secretsManager: mockClient(secretsClient),
    inspector2: mockClient(inspectorClient),
    kms: mockClient(kmsClient),
    cloudTrail: mockClient(cloudTrailClient),
    guardDuty: mockClient(guardDutyClient),
    s3: mockClient(s3Client),
    s3Control: mockClient(s3ControlClient),
    rds: mockClient(rdsClient),
    sqs: mockClient(sqsClient),
    sns: mockClient(snsClient),
    efs: mockClient(efsClient),
    dynamoDb: mockClient(dynamoDbClient),
    elbv2: mockClient(elbv2Client),
    cloudFront: mockClient(cloudFrontClient),
    iam: mockClient(iamClient),
    eks: mockClient(eksClient),
  };
  const clients = {
    ec2: () => ec2Client,
    ecr: () => ecrClient,
    ecs: () => ecsClient,
    lambda: () => lambdaClient,
    secretsManager: () => secretsClient,
    inspector2: () => inspectorClient,
    kms: () => kmsClient,
    cloudTrail: () => cloudTrailClient,
    guardDuty: () => guardDutyClient,
    s3: () => s3Client,
    s3Control: () => s3ControlClient,
    rds: () => rdsClient,
    sqs: () => sqsClient,
    sns: () => snsClient,
    efs: () => efsClient,
    dynamoDb: () => dynamoDbClient,
    elbv2: () => elbv2Client,
    cloudFront: () => cloudFrontClient,
    iam: () => iamClient,
    eks: () => eksClient,
    configService: () => configClient,
  };
  const runtime: VigilRuntime = {
    config: parseConfig(options.config ?? {}),
    checks,
    remediations,
    adapters: resourceAdapters,
    store: options.store ? options.store(local.store) : local.store,
    notifiers: [notifier],
    readClients: clients,
    remediationClients: clients,
    configService: () => configClient,
    logger,
    now: options.now ?? (() => new Date("2025-03-11T14:02:18.000Z")),
  };
  return { runtime, ec2, ...stubs, configService, notifier, logger, local, close: () => local.close() };
}

/** What EC2 answers to a revoke by ids: the rules it revoked, listed. */
export function revokeAnswer(
  input: RevokeSecurityGroupIngressCommandInput,
): RevokeSecurityGroupIngressCommandOutput {
  return {
    Return: true,
    RevokedSecurityGroupRules: (input.SecurityGroupRuleIds ?? []).map((id) => ({
      SecurityGroupRuleId: id,
      GroupId: input.GroupId,
      IsEgress: false,
    })),
    $metadata: {},
  };
}
