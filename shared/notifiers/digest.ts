import type { Severity } from "../core/severity";
import { highest } from "../core/severity";
import type { Finding } from "../findings/model";
import { approveCommand, findingOutcome, oneLine, truncate } from "./format";
import { escapeMrkdwn, type SlackBlock, type SlackPayload } from "./slack";

/** One finding as a digest or a held-back list names it: enough to find it, never its evidence. */
export interface DigestEntry {
  findingId: string;
  checkId: string;
  severity: Severity;
  resourceId: string;
  account: string;
  region: string;
  outcome: string;
  /** `npm run vigil -- approve …` while the finding's remediation is a dry-run plan. */
  approve?: string;
  [key: string]: unknown;
}

/** A digest window of one check on one Slack destination. */
export interface DigestState {
  checkId: string;
  /** Epoch ms; after it the next finding of the check starts a new message. */
  windowEnd: number;
  windowMinutes: number;
  /** Bot mode: the digest message, once posted. */
  ref?: { channel: string; ts: string };
  /** Newest last, at most MAX_ENTRIES; `count` keeps the true number. */
  entries: DigestEntry[];
  count: number;
  [key: string]: unknown;
}

/** Per Slack destination: this minute's new-message counter and alerts folded while over the limit. */
export interface DestinationState {
  minute: number;
  sent: number;
  held: DigestEntry[];
  heldCount: number;
  [key: string]: unknown;
}

export const MAX_ENTRIES = 25;
const LINE_MAX = 200;
const SECTION_TEXT_MAX = 3000;

export function digestEntry(finding: Finding): DigestEntry {
  const approve = approveCommand(finding);
  return {
    findingId: finding.id,
    checkId: finding.checkId,
    severity: finding.severity,
    resourceId: finding.resource.id,
    account: finding.resource.account,
    region: finding.resource.region,
    outcome: findingOutcome(finding),
    ...(approve ? { approve } : {}),
  };
}

/** Adds or refreshes entries (by finding id), keeping the newest MAX_ENTRIES; returns how many were new. */
export function mergeEntries(
  existing: readonly DigestEntry[],
  incoming: readonly DigestEntry[],
): { entries: DigestEntry[]; added: number } {
  const entries = [...existing];
  let added = 0;
  for (const entry of incoming) {
    const index = entries.findIndex((e) => e.findingId === entry.findingId);
    if (index >= 0) entries[index] = entry;
    else {
      entries.push(entry);
      added++;
    }
  }
  return { entries: entries.slice(-MAX_ENTRIES), added };
}

function entryLine(entry: DigestEntry, withCheck: boolean): string {
  const check = withCheck ? `${oneLine(entry.checkId, 64)} ` : "";
  const where =
    check +
    `${oneLine(entry.resourceId, 100)} (${oneLine(entry.account, 20)} / ${oneLine(entry.region, 30)})`;
  const approve = entry.approve ? `; approve: \`${entry.approve}\`` : "";
  return `• ${escapeMrkdwn(truncate(`${where}: ${entry.outcome}`, LINE_MAX))}${escapeMrkdwn(approve)}`;
}

/** Lines under a title, as many as fit, then "…and N more" counting what is not listed (also beyond the kept entries). */
export function entriesText(
  title: string,
  entries: readonly DigestEntry[],
  total: number,
  withCheck = false,
): string {
  let text = title;
  let shown = 0;
  for (const entry of entries) {
    const next = `${text}\n${entryLine(entry, withCheck)}`;
    if (next.length > SECTION_TEXT_MAX - 40) break;
    text = next;
    shown++;
  }
  const more = total - shown;
  return more > 0 ? `${text}\n_…and ${more} more_` : text;
}

/** The Block Kit message of a digest: the check, how many findings, where, and each one's outcome. */
export function digestPayload(state: DigestState, now: Date): SlackPayload {
  const severity = highest(state.entries.map((entry) => entry.severity));
  const check = oneLine(state.checkId, 64);
  const count = state.count === 1 ? "1 finding" : `${state.count} findings`;
  const until = new Date(state.windowEnd).toISOString().slice(11, 16);
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(`Vigil digest: ${check}, ${count}`, 150), emoji: true },
    },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: entriesText(`*${escapeMrkdwn(severity)}* · newest last`, state.entries, state.count),
      },
    },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: escapeMrkdwn(
            `Further ${check} findings to this channel until ${until} UTC are added here ` +
              `(digest window ${state.windowMinutes} min; CRITICAL and tampering alerts always post on their own). ` +
              `Updated ${now.toISOString().slice(11, 19)} UTC.`,
          ),
        },
      ],
    },
  ];
  return { text: escapeMrkdwn(`[${severity}] Vigil digest: ${check}, ${count}`), blocks };
}

/** The section a post carries for alerts folded earlier (rate limit, webhook digest): nothing is lost. */
export function heldBlocks(held: readonly DigestEntry[], heldCount: number): SlackBlock[] {
  if (!heldCount) return [];
  const title = `*And ${heldCount} more held back* (digest window or channel rate limit):`;
  return [{ type: "section", text: { type: "mrkdwn", text: entriesText(title, held, heldCount, true) } }];
}
