/** Placeholder: the image-scan work replaces this with the real state. */
export interface EcrImageScanState {
  repositoryName: string;
  imageDigest: string;
  tags?: Record<string, string>;
}
