import { z } from "zod";
import { remediationModeSchema } from "../core/modes";
import { severitySchema } from "../core/severity";
import { FINDING_STATUSES, type Finding } from "./model";

/**
 * How a Finding is stored as a DynamoDB item, and back. Pure functions, no AWS calls, so the
 * size guard and the validation can be tested without a table.
 */

/** DynamoDB rejects items over 400 KB; stay well below so our size estimate may be off a little. */
export const MAX_ITEM_BYTES = 350 * 1024;

/** Attributes written only for humans and queries; they are not part of the Finding. */
const STORAGE_ONLY_ATTRIBUTES = ["resourceId"] as const;

// Loose objects keep fields this schema does not know yet, so a field added to the model
// later is never silently dropped on a read-modify-write round trip.
const statusSchema = z.enum(FINDING_STATUSES);
const isoish = z.string().min(1);

const findingSchema = z.looseObject({
  id: z.string().min(1),
  checkId: z.string().min(1),
  title: z.string(),
  controls: z.array(z.string()),
  severity: severitySchema,
  resource: z.looseObject({
    type: z.string(),
    id: z.string(),
    arn: z.string(),
    account: z.string(),
    region: z.string(),
    name: z.string().optional(),
  }),
  status: statusSchema,
  evidence: z.array(z.record(z.string(), z.unknown())),
  summary: z.string(),
  actor: z
    .looseObject({
      type: z.string(),
      arn: z.string().optional(),
      principalId: z.string().optional(),
      accountId: z.string().optional(),
      userName: z.string().optional(),
      sessionIssuerArn: z.string().optional(),
      accessKeyId: z.string().optional(),
      sourceIp: z.string().optional(),
      userAgent: z.string().optional(),
      invokedBy: z.string().optional(),
      mfaAuthenticated: z.boolean().optional(),
      fromConsole: z.boolean().optional(),
    })
    .optional(),
  eventIds: z.array(z.string()),
  eventTime: isoish.optional(),
  observedAt: isoish.optional(),
  firstSeen: isoish,
  lastSeen: isoish,
  remediation: z
    .looseObject({
      remediationId: z.string(),
      mode: remediationModeSchema,
      action: z.string(),
      result: z.enum(["succeeded", "already-gone", "planned", "skipped", "failed", "undone"]),
      time: z.string(),
      detail: z.string().optional(),
      undo: z
        .looseObject({ remediationId: z.string(), params: z.record(z.string(), z.unknown()) })
        .optional(),
    })
    .optional(),
  remediationTimes: z.array(z.string()).optional(),
  suppression: z
    .looseObject({
      source: z.enum(["tag", "config"]),
      reason: z.string().optional(),
      until: z.string().optional(),
    })
    .optional(),
  notificationPending: z.boolean().optional(),
  // An approved dry-run remediation (shared/approvals): who, through what, the plan and the outcome.
  approval: z
    .looseObject({
      by: z.string().min(1),
      principal: z.string().optional(),
      via: z.enum(["cli", "slack"]),
      at: isoish,
      plan: z.looseObject({ remediationId: z.string(), action: z.string(), time: z.string() }),
      outcome: z.enum(["remediated", "resolved", "suppressed", "held-back", "failed"]).optional(),
      detail: z.string().optional(),
      approvedFindingId: z.string().optional(),
    })
    .optional(),
  history: z.array(
    z.looseObject({
      from: statusSchema.nullable(),
      to: statusSchema,
      at: z.string(),
      eventId: z.string().optional(),
    }),
  ),
  version: z.number().int().nonnegative(),
});

// Compile-time drift guard: fails to type-check if the schema and the Finding model disagree
// (a required field missing on either side, or an enum value only one side knows).
// Index signatures (from the loose objects) are dropped first: interfaces have none.
type Known<T> = T extends readonly (infer E)[]
  ? Known<E>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Known<T[K]> }
    : T;
type Extends<A, B> = [Known<A>] extends [Known<B>] ? true : false;
type Unvalidated = Exclude<keyof Finding, keyof Known<z.output<typeof findingSchema>>>;
const _schemaMatchesModel: [
  Extends<z.output<typeof findingSchema>, Finding>,
  Extends<Finding, z.input<typeof findingSchema>>,
  // A new optional model field would otherwise pass through unvalidated (the loose objects keep it).
  [Unvalidated] extends [never] ? true : Unvalidated,
] = [true, true, true];

export type FindingItem = Record<string, unknown>;

export type DecodeResult =
  { ok: true; finding: Finding } | { ok: false; id: string | undefined; problems: string[] };

/** Validates a stored item; never throws, so one bad record cannot break a listing. */
export function decodeFinding(item: FindingItem): DecodeResult {
  const rest = { ...item };
  for (const attribute of STORAGE_ONLY_ATTRIBUTES) delete rest[attribute];
  const parsed = findingSchema.safeParse(rest);
  if (parsed.success) return { ok: true, finding: parsed.data };
  return {
    ok: false,
    id: typeof item.id === "string" ? item.id : undefined,
    problems: parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".")}: ${issue.message}`),
  };
}

export interface TrimReport {
  originalBytes: number;
  storedBytes: number;
  omittedEvidence: number;
  droppedHistory: number;
  droppedEventIds: number;
  droppedRemediationTimes: number;
  /** True when even the harshest trim left the item above the limit (the write may be rejected). */
  stillTooLarge: boolean;
}

export interface EncodedFinding {
  item: FindingItem;
  /** Set only when the item had to be trimmed to fit. */
  trimmed?: TrimReport;
}

/** Progressively harsher caps on the append-only lists; evidence is refitted at each step. */
const NEWEST_KEPT = [100, 10, 1] as const;

/**
 * The finding as a top-level item: every Finding field plus `resourceId`. The value goes
 * through JSON so it is plain data (no undefined, no class instances), whichever marshall
 * options the injected client has. Oversized items are trimmed, never rejected.
 */
export function encodeFinding(finding: Finding, maxBytes = MAX_ITEM_BYTES): EncodedFinding {
  if (!finding.id || !finding.status || !finding.lastSeen) {
    // These are table / GSI keys: DynamoDB rejects empty strings there.
    throw new Error(`finding ${JSON.stringify(finding.id)} needs a non-empty id, status and lastSeen`);
  }
  const plain = JSON.parse(JSON.stringify(finding)) as Finding;
  const item: FindingItem = { ...plain, resourceId: plain.resource.id };
  const originalBytes = itemSize(item);
  if (originalBytes <= maxBytes) return { item };

  let trimmed = trim(plain, NEWEST_KEPT[0], maxBytes);
  for (const keep of NEWEST_KEPT.slice(1)) {
    if (itemSize(trimmed.item) <= maxBytes) break;
    trimmed = trim(plain, keep, maxBytes);
  }
  const storedBytes = itemSize(trimmed.item);
  return {
    item: trimmed.item,
    trimmed: {
      originalBytes,
      storedBytes,
      omittedEvidence: plain.evidence.length - trimmed.keptEvidence,
      droppedHistory: plain.history.length - Math.min(plain.history.length, trimmed.keep),
      droppedEventIds: plain.eventIds.length - Math.min(plain.eventIds.length, trimmed.keep),
      droppedRemediationTimes: Math.max(0, (plain.remediationTimes?.length ?? 0) - trimmed.keep),
      stillTooLarge: storedBytes > maxBytes,
    },
  };
}

/** Keeps the newest `keep` list entries (lists are newest last) and the leading evidence that fits. */
function trim(plain: Finding, keep: number, maxBytes: number) {
  const lists = {
    history: plain.history.slice(-keep),
    eventIds: plain.eventIds.slice(-keep),
    ...(plain.remediationTimes ? { remediationTimes: plain.remediationTimes.slice(-keep) } : {}),
  };
  const evidence = plain.evidence;
  // Size the rest with the largest marker it could get, so the result never overshoots.
  const marker = (omittedCount: number) => ({ truncated: true, omittedCount });
  const base = { ...plain, ...lists, resourceId: plain.resource.id };
  let budget = maxBytes - itemSize({ ...base, evidence: [marker(evidence.length)] });
  let keptEvidence = 0;
  for (const entry of evidence) {
    budget -= valueSize(entry) + 1;
    if (budget < 0) break;
    keptEvidence++;
  }
  const fitted =
    keptEvidence === evidence.length
      ? evidence
      : [...evidence.slice(0, keptEvidence), marker(evidence.length - keptEvidence)];
  return { item: { ...base, evidence: fitted }, keep, keptEvidence };
}

/**
 * DynamoDB's item size rules (attribute names + values; 1 byte per list/map element and 3 per
 * list/map; numbers ~1 byte per 2 digits + 1), rounded up so the estimate errs large.
 */
export function itemSize(item: FindingItem): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) size += Buffer.byteLength(name) + valueSize(value);
  }
  return size;
}

function valueSize(value: unknown): number {
  if (typeof value === "string") return Buffer.byteLength(value);
  if (typeof value === "number") return Math.ceil(String(value).length / 2) + 1;
  if (Array.isArray(value)) return value.reduce<number>((sum, v) => sum + 1 + valueSize(v), 3);
  if (value !== null && typeof value === "object") {
    let size = 3;
    for (const [key, v] of Object.entries(value)) {
      if (v !== undefined) size += Buffer.byteLength(key) + 1 + valueSize(v);
    }
    return size;
  }
  return 1; // boolean, null
}
