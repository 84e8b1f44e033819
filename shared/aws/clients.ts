import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import type { AwsCredentialIdentityProvider } from "@smithy/types";
import type { RemediationClients } from "../remediations/define";
import type { ReadClients } from "../resources/adapter";
import { lazy } from "../core/lazy";
import {
  loadConfigService,
  loadCredentials,
  loadEc2,
  loadEcr,
  loadEcs,
  loadInspector2,
  loadCloudTrail,
  loadGuardDuty,
  loadKms,
  loadLambda,
  loadSecretsManager,
  loadS3,
  loadS3Control,
  loadRds,
  loadSqs,
  loadSns,
  loadEfs,
  loadDynamoDb,
  loadElbv2,
  loadCloudFront,
  loadIam,
  loadEks,
} from "./sdk";

/**
 * Clients take region, endpoint (`AWS_ENDPOINT_URL`) and credentials from the SDK's standard
 * configuration; Vigil never sets an endpoint itself.
 *
 * Standard retry (exponential backoff with jitter), not adaptive: adaptive mode's client-side rate
 * limiter slows every later call after one throttle, which would put up to seconds between a
 * throttled tag read and the revoke that closes the exposure window. One invocation makes few
 * calls, so backoff alone is enough to ride out throttling.
 */
export const standardClientConfig = {
  retryMode: "standard",
  maxAttempts: 5,
  // Without a timeout a stalled connection holds the invocation until Lambda kills it; a retry is better.
  requestHandler: { requestTimeout: 3_000, connectionTimeout: 1_000, throwOnRequestTimeout: true },
} as const;
const standard = standardClientConfig;

type ClientSettings = Omit<typeof standardClientConfig, "retryMode"> & {
  retryMode: "standard" | "adaptive";
  credentials?: AwsCredentialIdentityProvider;
  /** Default: the SDK's (AWS_REGION). */
  region?: string;
};

/** Every client Vigil reads with, each loaded (SDK code and all) and created on first use. */
function clientSet(settings: ClientSettings): ReadClients {
  return {
    ec2: lazy(async () => new (await loadEc2()).EC2Client(settings)),
    ecr: lazy(async () => new (await loadEcr()).ECRClient(settings)),
    ecs: lazy(async () => new (await loadEcs()).ECSClient(settings)),
    lambda: lazy(async () => new (await loadLambda()).LambdaClient(settings)),
    secretsManager: lazy(async () => new (await loadSecretsManager()).SecretsManagerClient(settings)),
    inspector2: lazy(async () => new (await loadInspector2()).Inspector2Client(settings)),
    kms: lazy(async () => new (await loadKms()).KMSClient(settings)),
    cloudTrail: lazy(async () => new (await loadCloudTrail()).CloudTrailClient(settings)),
    guardDuty: lazy(async () => new (await loadGuardDuty()).GuardDutyClient(settings)),
    s3: lazy(async () => new (await loadS3()).S3Client(settings)),
    s3Control: lazy(async () => new (await loadS3Control()).S3ControlClient(settings)),
    rds: lazy(async () => new (await loadRds()).RDSClient(settings)),
    sqs: lazy(async () => new (await loadSqs()).SQSClient(settings)),
    sns: lazy(async () => new (await loadSns()).SNSClient(settings)),
    efs: lazy(async () => new (await loadEfs()).EFSClient(settings)),
    dynamoDb: lazy(async () => new (await loadDynamoDb()).DynamoDBClient(settings)),
    elbv2: lazy(async () => new (await loadElbv2()).ElasticLoadBalancingV2Client(settings)),
    cloudFront: lazy(async () => new (await loadCloudFront()).CloudFrontClient(settings)),
    iam: lazy(async () => new (await loadIam()).IAMClient(settings)),
    eks: lazy(async () => new (await loadEks()).EKSClient(settings)),
    configService: lazy(async () => new (await loadConfigService()).ConfigServiceClient(settings)),
  };
}

export function readClients(): ReadClients {
  return clientSet(standard);
}

export function configServiceClient(): () => Promise<ConfigServiceClient> {
  return lazy(async () => new (await loadConfigService()).ConfigServiceClient(standard));
}

/**
 * A role Vigil assumes: its own remediation role, or the role in a member account (organisation
 * mode), whose trust requires the ExternalId.
 */
export interface RoleTarget {
  roleArn: string;
  externalId?: string;
}

function roleTarget(role: RoleTarget | string): RoleTarget {
  return typeof role === "string" ? { roleArn: role } : role;
}

/** Credentials of `role`, assumed on first use (only the Lambda functions and the CLI's scan do this). */
function assumedRole(role: RoleTarget | string): AwsCredentialIdentityProvider {
  const { roleArn, externalId } = roleTarget(role);
  let provider: AwsCredentialIdentityProvider | undefined;
  return async (props) => {
    if (!provider) {
      const { fromTemporaryCredentials } = await loadCredentials();
      provider = fromTemporaryCredentials({
        params: {
          RoleArn: roleArn,
          RoleSessionName: "vigil-remediation",
          DurationSeconds: 900,
          ...(externalId ? { ExternalId: externalId } : {}),
        },
      });
    }
    return provider(props);
  };
}

/** Sessions are renewed this long before they expire, so no call goes out with credentials about to lapse. */
const RENEW_BEFORE_MS = 5 * 60_000;

/**
 * Credentials of `role` assumed once and shared by every client (and Region) that uses them,
 * assumed again shortly before they expire. A failed AssumeRole is not kept: the next call retries.
 * The event path resolves them up front so a role it can't assume is known before any read.
 */
export function sharedRoleCredentials(role: RoleTarget | string): AwsCredentialIdentityProvider {
  const assume = assumedRole(role);
  let current: ReturnType<AwsCredentialIdentityProvider> | undefined;
  return async (props) => {
    const cached = current && (await current.catch(() => undefined));
    const fresh =
      cached && (!cached.expiration || cached.expiration.getTime() - Date.now() > RENEW_BEFORE_MS);
    if (!fresh || !current) {
      const attempt = assume(props);
      current = attempt;
      attempt.catch(() => {
        if (current === attempt) current = undefined;
      });
    }
    return current;
  };
}

/** The event path's clients (standard retry) addressing `region`, with `credentials` or the SDK's default chain. */
export function regionalClients(region: string, credentials?: AwsCredentialIdentityProvider): ReadClients {
  return clientSet({ ...standard, region, ...(credentials ? { credentials } : {}) });
}

export function remediationClients(
  role: RoleTarget | string | undefined,
  shared: ReadClients,
): RemediationClients {
  if (!role) return shared;
  return clientSet({ ...standard, credentials: assumedRole(role) });
}

/**
 * The sweep's clients: adaptive retry, unlike the event path. A sweep unit makes hundreds of list
 * and describe calls in a row, where the client-side rate limiter slowing down after a throttle is
 * what keeps it under the API's rate (nothing waits on one call the way a revoke does).
 */
export function sweepClientConfig(region: string) {
  return { ...standardClientConfig, retryMode: "adaptive" as const, region };
}

/** Read clients addressing `region` for one sweep unit; in a member account, as its role. */
export function sweepReadClients(region: string, as?: RoleTarget): ReadClients {
  return clientSet({ ...sweepClientConfig(region), ...(as ? { credentials: assumedRole(as) } : {}) });
}

/** The remediation role's clients addressing `region` (the shared read clients when no role is assumed). */
export function sweepRemediationClients(
  role: RoleTarget | string | undefined,
  region: string,
  shared: ReadClients,
): RemediationClients {
  if (!role) return shared;
  return clientSet({ ...sweepClientConfig(region), credentials: assumedRole(role) });
}
