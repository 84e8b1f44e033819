/** Attachment states in which the volume serves an instance (or is about to). */
const IN_USE = new Set(["attaching", "attached", "busy"]);

export interface AttachmentView {
  /** The instance, or for a volume attached to a Fargate task, the task's ARN. */
  target?: string;
  /** Undefined when the source doesn't say: a listed attachment is then taken as in use. */
  state?: string;
}

/**
 * The instances (or Fargate tasks) a volume is attached to, sorted: EC2.3 judges only attached
 * volumes, so `detaching`/`detached` attachments don't count.
 */
export function attachedTargets(attachments: readonly AttachmentView[]): string[] {
  const targets = attachments
    .filter((a) => a.state === undefined || IN_USE.has(a.state))
    .map((a) => a.target ?? "(unnamed attachment)");
  return [...new Set(targets)].sort();
}
