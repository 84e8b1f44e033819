import type { ECRClient, GetRegistryScanningConfigurationCommandOutput, Tag } from "@aws-sdk/client-ecr";
import { loadEcr } from "../../aws/sdk";
import { parseRepositoryPolicy } from "./policy";
import type { EcrRepositoryState, RegistryScanning } from "./state";

/**
 * Lifecycle policies are usually put by IaC seconds after CreateRepository; a live read that soon
 * may run before it lands, so for a repository younger than this "no policy" means "not known yet".
 */
const LIFECYCLE_GRACE_MS = 10 * 60_000;

function errorName(error: unknown): string {
  return (error as { name?: string } | undefined)?.name ?? "";
}

export const isRepositoryGone = (error: unknown) => errorName(error) === "RepositoryNotFoundException";

/** Runs a read; the named "not found" errors give `fallback` instead of failing. */
async function orWhenMissing<T, F>(read: Promise<T>, missing: string, fallback: F): Promise<T | F> {
  try {
    return await read;
  } catch (error) {
    if (errorName(error) === missing) return fallback;
    throw error;
  }
}

export function tagsFromApi(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key ?? "", t.Value ?? ""]),
  );
}

/**
 * A repository's tags, where exemptions live for the repository and for its images. A deleted
 * repository has none (and nothing left to remediate).
 */
export async function readRepositoryTags(
  ecr: ECRClient,
  repositoryArn: string,
): Promise<Record<string, string>> {
  const { ListTagsForResourceCommand } = await loadEcr();
  try {
    const out = await ecr.send(new ListTagsForResourceCommand({ resourceArn: repositoryArn }));
    return tagsFromApi(out.tags);
  } catch (error) {
    if (isRepositoryGone(error)) return {};
    throw error;
  }
}

function registryScanningFromApi(out: GetRegistryScanningConfigurationCommandOutput): RegistryScanning {
  const configuration = out.scanningConfiguration;
  return {
    // A registry that was never configured uses basic scanning with no rules.
    scanType: configuration?.scanType ?? "BASIC",
    rules: (configuration?.rules ?? []).map((rule) => ({
      scanFrequency: rule.scanFrequency ?? "MANUAL",
      filters: (rule.repositoryFilters ?? []).flatMap((f) => (f.filter ? [f.filter] : [])),
    })),
  };
}

/**
 * The scanning configuration of the caller's registry. Undefined when that is not the repository's
 * registry (the API has no registry parameter): then nothing can be confirmed.
 */
export async function readRegistryScanning(
  ecr: ECRClient,
  registryId: string,
): Promise<RegistryScanning | undefined> {
  const { GetRegistryScanningConfigurationCommand } = await loadEcr();
  const out = await ecr.send(new GetRegistryScanningConfigurationCommand({}));
  if (out.registryId && out.registryId !== registryId) return undefined;
  return registryScanningFromApi(out);
}

/**
 * The whole repository as it is now: settings, lifecycle policy, repository policy, tags and the
 * registry's scanning. Undefined state = the repository no longer exists. `complete` is false when
 * part of it can't be known (an unreadable policy, the registry's scanning); a lifecycle policy that
 * may still be on its way is left to ECR.3 to call undecided.
 */
export async function readWholeRepository(
  ecr: ECRClient,
  target: { registryId: string; repositoryName: string; repositoryArn: string },
  now: Date,
): Promise<{ state: EcrRepositoryState | undefined; complete: boolean }> {
  const {
    DescribeRepositoriesCommand,
    GetLifecyclePolicyCommand,
    GetRepositoryPolicyCommand,
    ListTagsForResourceCommand,
  } = await loadEcr();
  const { registryId, repositoryName, repositoryArn } = target;
  const gone = Symbol("gone");
  const reads = await Promise.all([
    orWhenMissing(
      ecr.send(new DescribeRepositoriesCommand({ registryId, repositoryNames: [repositoryName] })),
      "RepositoryNotFoundException",
      gone,
    ),
    orWhenMissing(
      ecr.send(new GetLifecyclePolicyCommand({ registryId, repositoryName })),
      "LifecyclePolicyNotFoundException",
      undefined,
    ).catch((error: unknown) => (isRepositoryGone(error) ? gone : Promise.reject(error))),
    orWhenMissing(
      ecr.send(new GetRepositoryPolicyCommand({ registryId, repositoryName })),
      "RepositoryPolicyNotFoundException",
      undefined,
    ).catch((error: unknown) => (isRepositoryGone(error) ? gone : Promise.reject(error))),
    orWhenMissing(
      ecr.send(new ListTagsForResourceCommand({ resourceArn: repositoryArn })),
      "RepositoryNotFoundException",
      gone,
    ),
    readRegistryScanning(ecr, registryId),
  ]);
  const [described, lifecycle, policyOut, tagsOut, registryScanning] = reads;
  const repository = described === gone ? undefined : described.repositories?.[0];
  if (!repository || lifecycle === gone || policyOut === gone || tagsOut === gone)
    return { state: undefined, complete: true };

  const hasPolicyText = Boolean(lifecycle?.lifecyclePolicyText);
  const young = repository.createdAt
    ? now.getTime() - repository.createdAt.getTime() < LIFECYCLE_GRACE_MS
    : false;
  const lifecycleKnown = hasPolicyText || !young;
  const policy = parseRepositoryPolicy(policyOut?.policyText);
  const encryption = repository.encryptionConfiguration;
  const state: EcrRepositoryState = {
    repositoryName,
    registryId,
    repositoryArn: repository.repositoryArn ?? repositoryArn,
    tags: tagsFromApi(tagsOut.tags),
    scanOnPush: repository.imageScanningConfiguration?.scanOnPush ?? false,
    ...(registryScanning ? { registryScanning } : {}),
    ...(repository.imageTagMutability
      ? {
          tagMutability: {
            setting: repository.imageTagMutability,
            exclusionFilters: (repository.imageTagMutabilityExclusionFilters ?? []).flatMap((f) =>
              f.filter ? [f.filter] : [],
            ),
          },
        }
      : {}),
    ...(encryption?.encryptionType
      ? {
          encryption: {
            type: encryption.encryptionType,
            ...(encryption.kmsKey ? { kmsKey: encryption.kmsKey } : {}),
          },
        }
      : {}),
    ...(lifecycleKnown ? { hasLifecyclePolicy: hasPolicyText } : {}),
    ...(policy ? { policy } : {}),
  };
  const scanningKnown = state.scanOnPush === true || registryScanning !== undefined;
  // An unknown lifecycle policy leaves only ECR.3 undecided (the check says so), not the whole view.
  return { state, complete: policy !== undefined && scanningKnown };
}
