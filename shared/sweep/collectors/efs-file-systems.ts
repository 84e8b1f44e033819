import { loadEfs } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { EFS_FILE_SYSTEM_TYPE, fileSystemRef } from "../../resources/efs-file-system/ref";
import type { EfsFileSystemState } from "../../resources/efs-file-system/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeFileSystems pages of up to 100 (its default and cap). */
const PAGE_SIZE = 100;

/**
 * Every EFS file system of the Region: encryption, key and tags are all in DescribeFileSystems'
 * answer, the whole file system as a Config item has it.
 */
export function efsFileSystemsCollector(pageSize = PAGE_SIZE): Collector<"AWS::EFS::FileSystem"> {
  return defineCollector({
    resourceType: EFS_FILE_SYSTEM_TYPE,
    scope: "regional",
    iamActions: ["elasticfilesystem:DescribeFileSystems"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::EFS::FileSystem">> {
      const [efs, { paginateDescribeFileSystems }] = await Promise.all([ctx.clients.efs(), loadEfs()]);
      const observedAt = ctx.now.toISOString();
      const scope = { account: ctx.account, region: ctx.region };
      for await (const page of paginateDescribeFileSystems({ client: efs, pageSize }, {})) {
        for (const fs of page.FileSystems ?? []) {
          if (!fs.FileSystemId) continue;
          const resource = fileSystemRef(fs.FileSystemId, scope, fs.FileSystemArn);
          const state: EfsFileSystemState = {
            fileSystemId: fs.FileSystemId,
            fileSystemArn: resource.arn,
            ...(typeof fs.Encrypted === "boolean" ? { encrypted: fs.Encrypted } : {}),
            ...(fs.KmsKeyId ? { kmsKeyId: fs.KmsKeyId } : {}),
            tags: Object.fromEntries((fs.Tags ?? []).map((t) => [t.Key, t.Value])),
          };
          yield { resource, state, complete: true, observedAt, tagsKnown: true };
        }
      }
    },
  });
}

export default efsFileSystemsCollector();
