import { z } from "zod";

/** The EventBridge envelope every Vigil input arrives in. `detail` is parsed per source. */
export const envelopeSchema = z.looseObject({
  version: z.string().optional(),
  id: z.string().min(1),
  "detail-type": z.string().min(1),
  source: z.string().min(1),
  account: z.string().min(1),
  time: z.string().min(1),
  region: z.string().min(1),
  resources: z.array(z.string()).optional(),
  detail: z.unknown(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const DETAIL_TYPES = {
  cloudTrail: "AWS API Call via CloudTrail",
  /** Things a service did on its own (e.g. Secrets Manager `RotationFailed`): CloudTrail's detail shape. */
  cloudTrailServiceEvent: "AWS Service Event via CloudTrail",
  /** `ConsoleLogin` from `signin.amazonaws.com`: CloudTrail's detail shape, its own detail-type. */
  cloudTrailConsoleSignIn: "AWS Console Sign In via CloudTrail",
  configChange: "Config Configuration Item Change",
} as const;
