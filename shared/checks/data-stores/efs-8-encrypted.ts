import { efsFileSystemReadActions } from "../../resources/efs-file-system/adapter";
import { defineCheck } from "../define";
import { undecidedFileSystem, unencryptedFileSystem } from "./efs-encryption";
import { efsFileSystemTriggers } from "./triggers";

export default defineCheck({
  id: "EFS.8",
  title: "EFS file systems should be encrypted at rest",
  severity: "MEDIUM",
  resourceType: "AWS::EFS::FileSystem",
  controls: ["FSBP EFS.8", "CIS 5.0.0 2.3.1"],
  description:
    "The file system stores its data unencrypted. It can't be encrypted in place: create an encrypted file system and move the data, e.g. with AWS DataSync, then delete this one.",
  triggers: efsFileSystemTriggers,
  iamActions: efsFileSystemReadActions,
  undecided: undecidedFileSystem,
  evaluate: unencryptedFileSystem,
});
