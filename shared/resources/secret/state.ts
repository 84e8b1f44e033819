/** Placeholder: the Secrets Manager work replaces this with the real state. */
export interface SecretState {
  secretId: string;
  tags?: Record<string, string>;
}
