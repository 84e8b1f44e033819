import { defineResourceAdapter } from "../adapter";
import { fromFileSystemCall } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { describeFileSystem, tagsOf } from "./live";
import { EFS_FILE_SYSTEM_TYPE } from "./ref";

/** The one read this adapter makes (tags, and encryption when an event leaves it open). */
export const efsFileSystemReadActions = ["elasticfilesystem:DescribeFileSystems"];

export default defineResourceAdapter({
  resourceType: EFS_FILE_SYSTEM_TYPE,
  fromCloudTrail: fromFileSystemCall,
  fromConfigItem,
  async readTags(observation, clients) {
    return tagsOf(await describeFileSystem(await clients.efs(), observation.resource.id));
  },
  async refresh(observation, clients) {
    const known = observation.state;
    if (!known) return { ...observation, needsRefresh: false };
    const live = await describeFileSystem(await clients.efs(), known.fileSystemId);
    if (!live) return { ...observation, state: undefined, needsRefresh: false };
    const state = {
      ...known,
      ...(typeof live.Encrypted === "boolean" ? { encrypted: live.Encrypted } : {}),
      ...(live.KmsKeyId ? { kmsKeyId: live.KmsKeyId } : {}),
      tags: tagsOf(live),
    };
    return { ...observation, state, tagsKnown: true, needsRefresh: false };
  },
});
