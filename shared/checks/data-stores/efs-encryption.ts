import type { Violation } from "../define";
import type { EfsFileSystemState } from "../../resources/efs-file-system/state";

/**
 * EFS.1 and EFS.8 fail on the same fact: EFS encrypts only with KMS keys, so "encrypted" and
 * "encrypted with AWS KMS" coincide (neither control names a key here). Each control keeps its finding.
 */
export function unencryptedFileSystem(state: EfsFileSystemState): Violation[] {
  if (state.encrypted !== false) return [];
  return [
    {
      summary: `EFS file system ${state.fileSystemId} is not encrypted at rest`,
      evidence: { fileSystemId: state.fileSystemId, fileSystemArn: state.fileSystemArn, encrypted: false },
    },
  ];
}

export function undecidedFileSystem(state: EfsFileSystemState): string | undefined {
  return state.encrypted === undefined
    ? "this event does not say whether the file system is encrypted"
    : undefined;
}
