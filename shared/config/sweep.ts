import { z } from "zod";

/** `rate(6 hours)`, `rate(1 day)` or a `cron(...)` expression, as EventBridge Scheduler takes them. */
const SCHEDULE_EXPRESSION = /^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\([^()]+\))$/;
/** An AWS Region name: `us-east-1`, `eu-central-2`, `us-gov-west-1`, `ap-southeast-5`. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * The scheduled sweep (the `sweep` section of Vigil's config): every resource of every collector's
 * type is listed and judged, so drift the events missed (or that predates Vigil) is found too.
 */
export const sweepSettingsSchema = z
  .object({
    /** When the sweep runs (EventBridge Scheduler expression, UTC). */
    schedule: z
      .string()
      .regex(
        SCHEDULE_EXPRESSION,
        'an EventBridge Scheduler expression like "rate(6 hours)" or "cron(0 3 * * ? *)"',
      )
      .default("rate(6 hours)"),
    /**
     * Regions to sweep; the first is the home Region, where global types (IAM, S3, CloudFront) are
     * listed. Empty: the stack's Region only.
     */
    regions: z.array(z.string().regex(REGION, 'an AWS Region like "eu-west-1"')).max(30).default([]),
    /**
     * Sweep units processed at once in one account and Region (each one resource type there): the
     * APIs' rate limits apply per account and Region, so this is what keeps a sweep under them.
     */
    maxConcurrency: z.number().int().min(2).max(20).default(4),
    /**
     * (Account, Region) pairs swept at once (the Distributed Map's concurrency). At most
     * `maxAccountRegions` x `maxConcurrency` worker invocations run together: keep it well under the
     * account's Lambda concurrency.
     */
    maxAccountRegions: z.number().int().min(1).max(50).default(10),
    /**
     * Whether the sweep remediates in the checks' modes, as events do (default). The first sweep
     * after a deploy meets every violation that predates Vigil at once: set false to have the sweep
     * only report until you have reviewed them.
     */
    remediate: z.boolean().default(true),
  })
  .strict()
  .prefault({});

export type SweepSettings = z.infer<typeof sweepSettingsSchema>;

/** The Regions a sweep covers: the configured ones, else the stack's, without repeats, home first. */
export function sweepRegions(settings: SweepSettings, stackRegion: string): string[] {
  return settings.regions.length ? [...new Set(settings.regions)] : [stackRegion];
}

/** The configuration a sweep judges with: every mode off when the sweep must only report. */
export function sweepRuntimeConfig<T extends { sweep: SweepSettings; modeOverride?: unknown }>(config: T): T {
  return config.sweep.remediate ? config : { ...config, modeOverride: "off" };
}
