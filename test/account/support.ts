import { findingId } from "../../shared/findings/id";
import type { CheckDefinition, CheckContext } from "../../shared/checks/define";
import { checkById } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import { cloudTrailDetailSchema, type CloudTrailDetail } from "../../shared/events/cloudtrail";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const EBS_ID = `${ACCOUNT}:${REGION}`;
export const RECORDER = "default";

export const accountEvent = (file: string) => loadEvent(file);

export const idFor = (checkId: string, resourceId: string, region = REGION) =>
  findingId({ account: ACCOUNT, region, checkId, resourceId });

/** The CloudTrail detail of a sample, changed by `change`, as intake parses it. */
export function detailOf(
  file: string,
  change: (detail: Record<string, unknown>) => void = () => {},
): CloudTrailDetail {
  const event = loadEvent(file);
  change(event.detail);
  return cloudTrailDetailSchema.parse(event.detail);
}

export const context: CheckContext = { config: parseConfig({}) };

/** A check from the catalog, typed loosely so a test can hand it any state of its resource type. */
export function check(id: string): {
  evaluate(state: unknown, ctx: CheckContext): ReturnType<CheckDefinition["evaluate"]>;
  undecided?(state: unknown, ctx: CheckContext): string | undefined;
  definition: CheckDefinition;
} {
  const found = checkById(id);
  if (!found) throw new Error(`no check ${id}`);
  const c = found as unknown as {
    evaluate(state: unknown, ctx: CheckContext): ReturnType<CheckDefinition["evaluate"]>;
    undecided?(state: unknown, ctx: CheckContext): string | undefined;
  };
  return { evaluate: (s, ctx) => c.evaluate(s, ctx), undecided: c.undecided?.bind(c), definition: found };
}

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: {}, ...extra });
}
