/** Placeholder: the image-configuration work replaces this with the real state. */
export interface EcrImageState {
  repositoryName: string;
  imageDigest: string;
  tags?: Record<string, string>;
}
