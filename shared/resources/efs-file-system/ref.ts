import type { ResourceRef } from "../../core/resource";

export const EFS_FILE_SYSTEM_TYPE = "AWS::EFS::FileSystem";

const FILE_SYSTEM_ID = /^fs-[0-9a-f]{8,40}$/;

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function isFileSystemId(value: string): boolean {
  return FILE_SYSTEM_ID.test(value);
}

/** Findings key on the file-system id (`fs-…`), Config's resource id. */
export function fileSystemRef(
  fileSystemId: string,
  scope: { account: string; region: string },
  fileSystemArn?: string,
): ResourceRef {
  const arn =
    fileSystemArn ??
    `arn:${partitionOf(scope.region)}:elasticfilesystem:${scope.region}:${scope.account}:file-system/${fileSystemId}`;
  return { type: EFS_FILE_SYSTEM_TYPE, id: fileSystemId, arn, ...scope, name: fileSystemId };
}
