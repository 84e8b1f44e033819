import { z } from "zod";

/** A Slack member id as Slack sends it in `user.id` (`U…`, or `W…` on Enterprise Grid). */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * Approval of dry-run remediations (the `approval` section). `vigil approve <finding-id>` works for
 * whoever can run it with AWS access. The Slack Approve button is served when
 * `notifications.slack.interactivity` is on (the stack then deploys a function URL), and only the
 * members listed here may use it: with interactivity on, the list must not be empty.
 */
export const approvalSettingsSchema = z
  .object({
    /** Slack member ids allowed to approve from the button; anyone else gets a polite refusal. */
    slackApprovers: z
      .array(z.string().regex(SLACK_USER_ID, 'a Slack member id like "U0123ABCD"'))
      .max(100)
      .default([]),
  })
  .strict()
  .prefault({});

export type ApprovalSettings = z.infer<typeof approvalSettingsSchema>;
