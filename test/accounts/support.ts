import { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { EC2Client } from "@aws-sdk/client-ec2";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import type { ReadClients } from "../../shared/resources/adapter";

/** A client set whose EC2 and Config clients are stubs of its own (to tell which set a call went through); the rest refuse. */
export interface StubbedSet {
  clients: ReadClients;
  ec2: AwsClientStub<EC2Client>;
  configService: AwsClientStub<ConfigServiceClient>;
  region: string;
  credentials?: AwsCredentialIdentityProvider;
}

const refuse = (): Promise<never> => Promise.reject(new Error("this test set serves EC2 and Config only"));

export function stubbedSet(region: string, credentials?: AwsCredentialIdentityProvider): StubbedSet {
  const client = new EC2Client({ region });
  const config = new ConfigServiceClient({ region });
  const clients: ReadClients = {
    ec2: () => client,
    ecr: refuse,
    ecs: refuse,
    lambda: refuse,
    secretsManager: refuse,
    inspector2: refuse,
    kms: refuse,
    cloudTrail: refuse,
    guardDuty: refuse,
    s3: refuse,
    s3Control: refuse,
    rds: refuse,
    sqs: refuse,
    sns: refuse,
    efs: refuse,
    dynamoDb: refuse,
    elbv2: refuse,
    cloudFront: refuse,
    iam: refuse,
    eks: refuse,
    configService: () => config,
  };
  return {
    clients,
    ec2: mockClient(client),
    configService: mockClient(config),
    region,
    ...(credentials ? { credentials } : {}),
  };
}

/** A role's credentials as a provider that counts its calls, or fails the way STS does. */
export function fakeRole(failure?: Error): AwsCredentialIdentityProvider & { calls: number } {
  const provider = Object.assign(
    async (): Promise<AwsCredentialIdentity> => {
      provider.calls++;
      if (failure) throw failure;
      return { accessKeyId: "ASIAMEMBER", secretAccessKey: "secret", sessionToken: "token" };
    },
    { calls: 0 },
  );
  return provider;
}

/** An STS error as the SDK throws it. */
export function stsError(name: string, message: string, status: number): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}
