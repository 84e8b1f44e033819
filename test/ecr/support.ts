import {
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  type PutImageScanningConfigurationCommandInput,
  type Repository,
} from "@aws-sdk/client-ecr";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { parseConfig } from "../../shared/config/load";
import { findingId } from "../../shared/findings/id";
import type { EcrRepositoryState } from "../../shared/resources/ecr-repository/state";
import { loadEvent } from "../support/events";
import type { TestRuntime } from "../support/runtime";

export const ACCOUNT = "111122223333";
export const REPO = "orders/api";
export const REPO_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${REPO}`;
export const CMK = "arn:aws:kms:us-east-1:111122223333:key/5c1e7a2b-9d4f-4e3a-8b6c-0f2d4a6b8c1e";
/** The account's AWS managed key for ECR (`aws/ecr`), by ARN: it looks like any customer key's. */
export const AWS_ECR_KEY = "arn:aws:kms:us-east-1:111122223333:key/0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b";
export const context = { config: parseConfig({}) };

export const ecrEvent = (name: string) => loadEvent(`ecr/${name}.json`);

export const idFor = (checkId: string, resourceId = REPO) =>
  findingId({ account: ACCOUNT, region: "us-east-1", checkId, resourceId });

export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(`${name}: simulated`), { name, $metadata: {}, ...extra });
}

/** A repository state as the adapters build it; every aspect compliant unless overridden. */
export function repo(overrides: Partial<EcrRepositoryState> = {}): EcrRepositoryState {
  return {
    repositoryName: REPO,
    registryId: ACCOUNT,
    repositoryArn: REPO_ARN,
    tags: {},
    scanOnPush: true,
    registryScanning: { scanType: "BASIC", rules: [] },
    tagMutability: { setting: "IMMUTABLE", exclusionFilters: [] },
    encryption: { type: "KMS", kmsKey: CMK, keyManager: "CUSTOMER" },
    hasLifecyclePolicy: true,
    policy: { kind: "none" },
    ...overrides,
  };
}

export function stubRegistry(
  t: TestRuntime,
  scanType = "BASIC",
  rules: { scanFrequency: "SCAN_ON_PUSH" | "CONTINUOUS_SCAN" | "MANUAL"; filters: string[] }[] = [],
): void {
  t.ecr.on(GetRegistryScanningConfigurationCommand).resolves({
    registryId: ACCOUNT,
    scanningConfiguration: {
      scanType: scanType as "BASIC",
      rules: rules.map((r) => ({
        scanFrequency: r.scanFrequency,
        repositoryFilters: r.filters.map((filter) => ({ filter, filterType: "WILDCARD" as const })),
      })),
    },
  });
}

/** What ECR answers to PutImageScanningConfiguration: the configuration it now has. */
export function stubScanningAnswer(t: TestRuntime): void {
  t.ecr
    .on(PutImageScanningConfigurationCommand)
    .callsFake((input: PutImageScanningConfigurationCommandInput) => ({
      registryId: input.registryId,
      repositoryName: input.repositoryName,
      imageScanningConfiguration: input.imageScanningConfiguration,
    }));
}

export function stubTags(t: TestRuntime, tags: Record<string, string> = { team: "orders" }): void {
  t.ecr
    .on(ListTagsForResourceCommand)
    .resolves({ tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) });
}

export const LIFECYCLE =
  '{"rules":[{"rulePriority":1,"selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":14},"action":{"type":"expire"}}]}';

/** The live repository (DescribeRepositories & co.), compliant unless overridden; `policyText: null` = none. */
export function stubLiveRepository(
  t: TestRuntime,
  options: {
    repository?: Partial<Repository>;
    lifecycle?: string | null;
    policyText?: string | null;
    tags?: Record<string, string>;
    ageMs?: number;
  } = {},
): void {
  t.ecr.on(DescribeRepositoriesCommand).resolves({
    repositories: [
      {
        repositoryName: REPO,
        repositoryArn: REPO_ARN,
        registryId: ACCOUNT,
        createdAt: new Date(Date.now() - (options.ageMs ?? 30 * 86_400_000)),
        imageTagMutability: "IMMUTABLE",
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: "KMS", kmsKey: CMK },
        ...options.repository,
      },
    ],
  });
  if (options.lifecycle === null)
    t.ecr.on(GetLifecyclePolicyCommand).rejects(awsError("LifecyclePolicyNotFoundException"));
  else t.ecr.on(GetLifecyclePolicyCommand).resolves({ lifecyclePolicyText: options.lifecycle ?? LIFECYCLE });
  if (options.policyText === undefined || options.policyText === null)
    t.ecr.on(GetRepositoryPolicyCommand).rejects(awsError("RepositoryPolicyNotFoundException"));
  else t.ecr.on(GetRepositoryPolicyCommand).resolves({ policyText: options.policyText });
  stubTags(t, options.tags);
  stubRegistry(t);
  stubKeys(t);
}

/**
 * What KMS answers to DescribeKey, by KeyId exactly as sent: a key manager, or an error to throw.
 * A KeyId not listed gets NotFoundException. By default CMK is customer managed and AWS_ECR_KEY is
 * AWS managed.
 */
export function stubKeys(
  t: TestRuntime,
  keys: Record<string, "AWS" | "CUSTOMER" | Error> = { [CMK]: "CUSTOMER", [AWS_ECR_KEY]: "AWS" },
): void {
  t.kms.reset();
  t.kms.on(DescribeKeyCommand).rejects(awsError("NotFoundException"));
  for (const [keyId, answer] of Object.entries(keys)) {
    if (answer instanceof Error) t.kms.on(DescribeKeyCommand, { KeyId: keyId }).rejects(answer);
    else
      t.kms.on(DescribeKeyCommand, { KeyId: keyId }).resolves({
        KeyMetadata: {
          KeyId: keyId.split("/").pop(),
          Arn: keyId.startsWith("arn:") ? keyId : undefined,
          KeyManager: answer,
        },
      });
  }
}
