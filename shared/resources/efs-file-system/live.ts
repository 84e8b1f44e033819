import type { EFSClient, FileSystemDescription } from "@aws-sdk/client-efs";
import { errorName } from "../../aws/errors";
import { loadEfs } from "../../aws/sdk";

/** The file system as EFS describes it now (encryption and tags), or undefined when it is gone. */
export async function describeFileSystem(
  efs: EFSClient,
  fileSystemId: string,
): Promise<FileSystemDescription | undefined> {
  const { DescribeFileSystemsCommand } = await loadEfs();
  try {
    const out = await efs.send(new DescribeFileSystemsCommand({ FileSystemId: fileSystemId }));
    return out.FileSystems?.find((fs) => fs.FileSystemId === fileSystemId);
  } catch (error) {
    if (errorName(error) === "FileSystemNotFound") return undefined;
    throw error;
  }
}

export function tagsOf(description: FileSystemDescription | undefined): Record<string, string> {
  return Object.fromEntries((description?.Tags ?? []).map((t) => [t.Key, t.Value]));
}
