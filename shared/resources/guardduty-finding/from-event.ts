import { z } from "zod";
import type { Envelope } from "../../events/envelope";
import { UnusableEventError, type Observation } from "../adapter";
import { findingAction } from "./action-details";
import { findingDetailSchema, type FindingDetail } from "./detail-schema";
import { affectedResource } from "./resource-details";
import { findingArn, guardDutyFindingRef } from "./ref";
import type { GuardDutyFindingState } from "./state";
import { compact, cut, LIMITS } from "./trim";

export const GUARDDUTY_SOURCE = "aws.guardduty";
export const GUARDDUTY_FINDING_DETAIL_TYPE = "GuardDuty Finding";

type AdditionalInfo = FindingDetail["service"]["additionalInfo"];

/** Sample findings say so in `additionalInfo.sample`, or only inside its JSON `value` string. */
function isSample(info: AdditionalInfo): boolean {
  if (info?.sample === true || info?.sample === "true") return true;
  const value = info?.value;
  if (typeof value !== "string" || value.length > 100_000 || !value.includes("sample")) return false;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === "object" && parsed !== null && (parsed as { sample?: unknown }).sample === true;
  } catch {
    return false;
  }
}

/** Whole-second ISO times, as the rest of Vigil shows them; the input is known to parse. */
const iso = (value: string | null | undefined) =>
  value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : undefined;

export function stateFromDetail(detail: FindingDetail, receivedInAccount: string): GuardDutyFindingState {
  const service = detail.service;
  const detectorId = service.detectorId ?? undefined;
  const type = cut(detail.type, 200) ?? "Unknown";
  const count = service.count;
  return compact({
    findingId: detail.id,
    findingArn: findingArn({
      arn: detail.arn ?? undefined,
      findingId: detail.id,
      detectorId,
      account: detail.accountId,
      region: detail.region,
    }),
    detectorId,
    accountId: detail.accountId,
    receivedInAccount,
    region: detail.region,
    type,
    severity: detail.severity,
    title: cut(detail.title, LIMITS.title) ?? type,
    description: cut(detail.description, LIMITS.description) ?? "",
    createdAt: iso(detail.createdAt),
    updatedAt: iso(detail.updatedAt) ?? detail.updatedAt,
    count: typeof count === "number" && Number.isInteger(count) && count > 0 ? count : 1,
    eventFirstSeen: iso(service.eventFirstSeen),
    eventLastSeen: iso(service.eventLastSeen),
    archived: service.archived === true,
    sample: isSample(service.additionalInfo),
    resourceRole: cut(service.resourceRole, 16),
    featureName: cut(service.featureName, 64),
    resource: affectedResource(detail.resource),
    action: findingAction(service.action),
    // GuardDuty findings can't be tagged: exemptions come from the configuration only (a tag on the
    // affected instance, which an intruder may be able to write, must not silence a threat finding).
    tags: {},
  });
}

/**
 * "GuardDuty Finding": the whole finding as GuardDuty holds it now (`complete`), so an archived
 * finding resolves its Vigil finding, and an older copy delivered late (`updatedAt`) changes nothing.
 */
export function fromFindingEvent(envelope: Envelope): Observation<"AWS::GuardDuty::Finding">[] {
  if (envelope.source !== GUARDDUTY_SOURCE || envelope["detail-type"] !== GUARDDUTY_FINDING_DETAIL_TYPE) {
    throw new UnusableEventError(
      `not a GuardDuty finding event: ${envelope.source} "${envelope["detail-type"]}"`,
    );
  }
  const parsed = findingDetailSchema.safeParse(envelope.detail);
  if (!parsed.success) {
    throw new UnusableEventError(
      `GuardDuty Finding detail: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`,
    );
  }
  const state = stateFromDetail(parsed.data, envelope.account);
  return [
    {
      resource: guardDutyFindingRef({
        findingId: state.findingId,
        arn: state.findingArn,
        account: state.accountId,
        region: state.region,
        name: `${state.sample ? "[SAMPLE] " : ""}${state.type}`,
      }),
      state,
      complete: true,
      observedAt: state.updatedAt,
      tagsKnown: true,
    },
  ];
}
