import { z } from "zod";
import { severitySchema } from "../core/severity";

/** An SNS topic ARN in any partition. */
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;
/** A channel id (`C0123ABCD`, `G…` private) or a name (`#sec-alerts`); chat.update needs the id, Vigil keeps it. */
const CHANNEL = /^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$/;

const windowMinutes = z.number().int().min(0).max(1440);

/**
 * What a route matches; every given field must match (AND), a missing one matches anything.
 * Check patterns use `*` for any run of characters (`EC2.*`, `VIGIL.IAM.*`). A tag rule matches a
 * value exactly, or any value with `*`; a finding whose resource tags were not read does not match it.
 */
const routeMatchSchema = z
  .object({
    severities: z.array(severitySchema).min(1).optional(),
    /** At this severity or above. */
    minSeverity: severitySchema.optional(),
    accounts: z
      .array(z.string().regex(/^\d{12}$/, "a 12-digit account id"))
      .min(1)
      .optional(),
    checks: z.array(z.string().min(1)).min(1).optional(),
    tags: z.record(z.string().min(1).max(128), z.string().max(256)).optional(),
  })
  .strict();

const routeSchema = z
  .object({
    /** Shown in logs. */
    name: z.string().min(1).max(64).optional(),
    match: routeMatchSchema.prefault({}),
    /** Slack channels (bot token mode); ids are best, names are resolved by Slack on post. */
    slackChannels: z
      .array(z.string().regex(CHANNEL, 'a channel id like "C0123ABCD" or a name like "#sec"'))
      .default([]),
    /** The stack grants sns:Publish on exactly these (and its own topic). */
    snsTopicArns: z.array(z.string().regex(TOPIC_ARN, "an SNS topic ARN")).default([]),
    /** Overrides the global digest window for this route's Slack channels. */
    digestWindowMinutes: windowMinutes.optional(),
    /** Keep matching the next routes too (by default the first matching route wins). */
    continue: z.boolean().default(false),
  })
  .strict()
  .refine((route) => route.slackChannels.length + route.snsTopicArns.length > 0, {
    message: "a route needs at least one Slack channel or SNS topic",
  });

/**
 * Where alerts go (the `notifications` section). Routes are tried in order per finding; a finding no
 * route matches goes to the default route: the stack's topic plus the Slack webhook (or, with a bot
 * token, `slack.defaultChannel`). Digests and the rate limit apply to Slack only; CRITICAL findings
 * and tampering alerts (logging or detection turned off) are never held back by either.
 */
export const notificationSettingsSchema = z
  .object({
    routes: z.array(routeSchema).max(50).default([]),
    /** Within this many minutes, further new findings of one check to one channel merge into one message; 0 = off. */
    digestWindowMinutes: windowMinutes.default(0),
    /** New messages per Slack channel per minute, across all functions; over it alerts fold into a digest. */
    maxPerMinute: z.number().int().min(1).max(600).default(60),
    slack: z
      .object({
        /**
         * Bot token mode: the stack creates an empty secret for the token (`xoxb-…`) and messages are
         * updated in place when a finding changes (needs the chat:write scope; invite the bot to the channels).
         */
        botToken: z.boolean().default(false),
        /** Bot token mode: where the default route posts (a channel id, e.g. "C0123ABCD"). */
        defaultChannel: z.string().regex(CHANNEL, 'a channel id like "C0123ABCD"').optional(),
        /** Slack interactivity is set up (H5's function URL): dry-run alerts carry an Approve button. */
        interactivity: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export type NotificationSettings = z.infer<typeof notificationSettingsSchema>;
export type NotificationRoute = NotificationSettings["routes"][number];
export type RouteMatch = NotificationRoute["match"];
