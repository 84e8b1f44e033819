import { lazy } from "../core/lazy";

/**
 * The AWS SDK, loaded on first use. Each loader imports a small module that re-exports only what
 * Vigil uses, so the bundler tree-shakes each client and splits it into its own chunk: a Lambda
 * loads the EC2 client when it first reads a tag or remediates, not at init. The module is kept,
 * so later calls cost a resolved promise (not another trip through the module loader).
 *
 * Nothing on the Lambda path imports these SDK packages by value (eslint enforces it); types are fine.
 */
export const loadEc2 = lazy(() => import("./ec2-api"));
export const loadConfigService = lazy(() => import("./config-service-api"));
export const loadSns = lazy(() => import("./sns-api"));
export const loadSecretsManager = lazy(() => import("./secrets-manager-api"));
export const loadCredentials = lazy(() => import("./credentials-api"));
export const loadDynamoDb = lazy(() => import("./dynamodb-api"));
export const loadEcr = lazy(() => import("./ecr-api"));
export const loadEcs = lazy(() => import("./ecs-api"));
export const loadLambda = lazy(() => import("./lambda-api"));
export const loadInspector2 = lazy(() => import("./inspector2-api"));
export const loadCloudTrail = lazy(() => import("./cloudtrail-api"));
export const loadGuardDuty = lazy(() => import("./guardduty-api"));
export const loadKms = lazy(() => import("./kms-api"));
export const loadS3 = lazy(() => import("./s3-api"));
export const loadS3Control = lazy(() => import("./s3-control-api"));
export const loadRds = lazy(() => import("./rds-api"));
export const loadSqs = lazy(() => import("./sqs-api"));
export const loadEfs = lazy(() => import("./efs-api"));
export const loadElbv2 = lazy(() => import("./elbv2-api"));
export const loadCloudFront = lazy(() => import("./cloudfront-api"));
export const loadIam = lazy(() => import("./iam-api"));
export const loadEks = lazy(() => import("./eks-api"));
export const loadSecurityHub = lazy(() => import("./securityhub-api"));
export const loadCloudWatchLogs = lazy(() => import("./logs-api"));
export const loadSts = lazy(() => import("./sts-api"));
export const loadOrganizations = lazy(() => import("./organizations-api"));
