import { defineResourceAdapter, type Observation, type ReadClients } from "../adapter";
import { fromRepositoryCall } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { withKeyManager } from "./kms-key";
import { readRegistryScanning, readRepositoryTags, readWholeRepository } from "./live";
import { ECR_REPOSITORY_TYPE } from "./ref";
import type { EcrRepositoryState } from "./state";

/** The reads this adapter makes (tags, refresh): every repository check lists them as its iamActions. */
export const ecrRepositoryReadActions = [
  "ecr:ListTagsForResource",
  "ecr:GetRegistryScanningConfiguration",
  "ecr:DescribeRepositories",
  "ecr:GetLifecyclePolicy",
  "ecr:GetRepositoryPolicy",
];

/** The KMS read the refresh adds when a repository names a key that only KMS can tell apart (ECR.5). */
export const ecrRepositoryKeyReadActions = ["kms:DescribeKey"];

type RepositoryObservation = Observation<"AWS::ECR::Repository">;

/** The state with its KMS key's manager read, when the check needs it (a KMS key not known to be aws/ecr). */
async function withKeyRead(state: EcrRepositoryState, clients: ReadClients): Promise<EcrRepositoryState> {
  if (!state.encryption) return state;
  const encryption = await withKeyManager(() => clients.kms(), state.encryption);
  return encryption === state.encryption ? state : { ...state, encryption };
}

/** What the event left to read: the registry's scanning rules and/or the key's manager (side by side). */
async function readPending(
  observation: RepositoryObservation,
  state: EcrRepositoryState,
  clients: ReadClients,
): Promise<RepositoryObservation> {
  const { pendingRead, ...known } = state;
  const [registryScanning, withKey] = await Promise.all([
    pendingRead === "registry-scanning"
      ? Promise.resolve(clients.ecr()).then((ecr) => readRegistryScanning(ecr, state.registryId))
      : undefined,
    withKeyRead(known, clients),
  ]);
  return {
    ...observation,
    state: { ...withKey, ...(registryScanning ? { registryScanning } : {}) },
    // Without the registry's rules a Config item no longer says everything about ECR.1.
    complete: observation.complete && (pendingRead !== "registry-scanning" || registryScanning !== undefined),
  };
}

export default defineResourceAdapter({
  resourceType: ECR_REPOSITORY_TYPE,
  fromCloudTrail: fromRepositoryCall,
  fromConfigItem,
  async readTags(observation, clients) {
    return readRepositoryTags(await clients.ecr(), observation.resource.arn);
  },
  async refresh(observation, clients) {
    const state = observation.state;
    if (!state) return { ...observation, needsRefresh: false };
    let refreshed: RepositoryObservation;
    if (state.pendingRead === "whole-repository") {
      const live = await readWholeRepository(await clients.ecr(), state, new Date());
      // The key is only known once the live read names it.
      const liveState = live.state && (await withKeyRead(live.state, clients));
      refreshed = { ...observation, state: liveState, complete: live.complete, tagsKnown: true };
    } else {
      refreshed = await readPending(observation, state, clients);
    }
    // A key whose manager KMS won't tell leaves ECR.5 undecided (the check says so), not the whole view.
    return { ...refreshed, needsRefresh: false };
  },
});
