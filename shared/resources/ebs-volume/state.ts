/**
 * One EBS volume as EC2.3 judges it: encrypted or not, and attached or not. Aspects are optional:
 * `undefined` means "this source did not say" (a CloudTrail call before the live read), and the
 * check stays undecided (its finding is left as it is).
 */
export interface EbsVolumeState {
  volumeId: string;
  encrypted?: boolean;
  /** The KMS key that encrypts it, when it is encrypted. Never needed to judge, shown in findings. */
  kmsKeyId?: string;
  /**
   * Instances the volume is attached (or being attached) to; `[]` when it is attached to nothing
   * (`available`, or only `detaching`/`detached` attachments). More than one with Multi-Attach.
   */
  attachedTo?: string[];
  /** EC2's volume state (`creating`, `available`, `in-use`, ...), for the finding. */
  volumeState?: string;
  tags?: Record<string, string>;
}
