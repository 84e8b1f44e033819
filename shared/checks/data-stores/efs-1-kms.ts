import { efsFileSystemReadActions } from "../../resources/efs-file-system/adapter";
import { defineCheck } from "../define";
import { undecidedFileSystem, unencryptedFileSystem } from "./efs-encryption";
import { efsFileSystemTriggers } from "./triggers";

export default defineCheck({
  id: "EFS.1",
  title: "Elastic File System should be configured to encrypt file data at-rest using AWS KMS",
  severity: "MEDIUM",
  resourceType: "AWS::EFS::FileSystem",
  controls: ["FSBP EFS.1", "CIS 2.4.1"],
  description:
    "The file system's data is not encrypted with a KMS key. Encryption is chosen at creation: create an encrypted file system (aws/elasticfilesystem or a customer key) and move the data, e.g. with AWS DataSync.",
  triggers: efsFileSystemTriggers,
  iamActions: efsFileSystemReadActions,
  undecided: undecidedFileSystem,
  evaluate: unencryptedFileSystem,
});
