/** Placeholder: the ECR repository work replaces this with the real state. */
export interface EcrRepositoryState {
  repositoryName: string;
  tags?: Record<string, string>;
}
