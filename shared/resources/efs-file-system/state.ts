/** What one event says about one EFS file system. Encryption at rest is set at creation and can't change. */
export interface EfsFileSystemState {
  fileSystemId: string;
  fileSystemArn: string;
  /** Undefined when the source doesn't say. EFS encrypts only with KMS keys (aws/elasticfilesystem or a customer key). */
  encrypted?: boolean;
  kmsKeyId?: string;
  tags?: Record<string, string>;
}
