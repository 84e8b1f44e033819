import {
  DescribeRepositoriesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  type Repository,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { credentials } from "./data-context";

/** The ECR client the ECR collectors' tests stub, and answers they share. */
export const ecr = new ECRClient({ region: "us-east-1", credentials });
export const ecrMock = mockClient(ecr);

export const REGISTRY = "111122223333";

export function repository(name: string, scanOnPush: boolean, extra: Partial<Repository> = {}): Repository {
  return {
    repositoryName: name,
    registryId: REGISTRY,
    repositoryArn: `arn:aws:ecr:us-east-1:${REGISTRY}:repository/${name}`,
    imageTagMutability: "MUTABLE",
    imageScanningConfiguration: { scanOnPush },
    encryptionConfiguration: { encryptionType: "AES256" },
    createdAt: new Date("2024-05-01T00:00:00Z"),
    ...extra,
  };
}

/** The registry's rules as PutRegistryScanningConfiguration (basic, prod-* on push) leaves them. */
export function registryScanning(): void {
  ecrMock.on(GetRegistryScanningConfigurationCommand).resolves({
    registryId: REGISTRY,
    scanningConfiguration: {
      scanType: "BASIC",
      rules: [
        { scanFrequency: "SCAN_ON_PUSH", repositoryFilters: [{ filter: "prod-*", filterType: "WILDCARD" }] },
      ],
    },
  });
}

/** What `readWholeRepository` reads for one repository: no lifecycle or repository policy, one tag. */
export function wholeRepository(repo: Repository): void {
  const repositoryName = repo.repositoryName ?? "";
  ecrMock
    .on(DescribeRepositoriesCommand, { repositoryNames: [repositoryName] })
    .resolves({ repositories: [repo] });
  ecrMock
    .on(GetLifecyclePolicyCommand, { repositoryName })
    .rejects(Object.assign(new Error("no lifecycle policy"), { name: "LifecyclePolicyNotFoundException" }));
  ecrMock
    .on(GetRepositoryPolicyCommand, { repositoryName })
    .rejects(Object.assign(new Error("no repository policy"), { name: "RepositoryPolicyNotFoundException" }));
  ecrMock
    .on(ListTagsForResourceCommand, { resourceArn: repo.repositoryArn })
    .resolves({ tags: [{ Key: "team", Value: "orders" }] });
}
