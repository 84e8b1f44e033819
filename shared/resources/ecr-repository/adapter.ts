import { defineResourceAdapter } from "../adapter";
import { fromRepositoryCall } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { readRegistryScanning, readRepositoryTags, readWholeRepository } from "./live";
import { ECR_REPOSITORY_TYPE } from "./ref";

/** The reads this adapter makes (tags, refresh): every repository check lists them as its iamActions. */
export const ecrRepositoryReadActions = [
  "ecr:ListTagsForResource",
  "ecr:GetRegistryScanningConfiguration",
  "ecr:DescribeRepositories",
  "ecr:GetLifecyclePolicy",
  "ecr:GetRepositoryPolicy",
];

export default defineResourceAdapter({
  resourceType: ECR_REPOSITORY_TYPE,
  fromCloudTrail: fromRepositoryCall,
  fromConfigItem,
  async readTags(observation, clients) {
    return readRepositoryTags(await clients.ecr(), observation.resource.arn);
  },
  async refresh(observation, clients) {
    const state = observation.state;
    if (!state?.pendingRead) return { ...observation, needsRefresh: false };
    const { pendingRead, ...known } = state;
    const ecr = await clients.ecr();
    if (pendingRead === "registry-scanning") {
      const registryScanning = await readRegistryScanning(ecr, state.registryId);
      return {
        ...observation,
        state: { ...known, ...(registryScanning ? { registryScanning } : {}) },
        // Without the registry's rules a Config item no longer says everything about ECR.1.
        complete: observation.complete && registryScanning !== undefined,
        needsRefresh: false,
      };
    }
    const live = await readWholeRepository(ecr, state, new Date());
    return { ...observation, ...live, tagsKnown: true, needsRefresh: false };
  },
});
