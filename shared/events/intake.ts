import { z } from "zod";
import type { CheckDefinition } from "../checks/define";
import type { VigilConfig } from "../config/schema";
import { cloudTrailDetailSchema, type CloudTrailDetail } from "./cloudtrail";
import { configChangeDetailSchema, type ConfigChangeDetail } from "./config-item";
import { DETAIL_TYPES, envelopeSchema, type Envelope } from "./envelope";

export type Intake =
  | { kind: "cloudtrail"; envelope: Envelope; detail: CloudTrailDetail; resourceTypes: string[] }
  | { kind: "config"; envelope: Envelope; detail: ConfigChangeDetail; resourceType: string }
  /** A service's own event (ECR push or scan, Inspector finding) that some check's `triggers.events` names. */
  | { kind: "service"; envelope: Envelope; resourceTypes: string[] }
  /** Well-formed but not for Vigil: failed calls, read-only calls, Vigil's own calls, unwatched events. */
  | { kind: "ignored"; reason: string; eventId?: string }
  /** Malformed or of an unknown shape: logged as an error, never acted on, never retried. */
  | { kind: "invalid"; reason: string; eventId?: string };

function problems(error: z.ZodError): string {
  return z.prettifyError(error).replace(/\n/g, "; ");
}

/** Vigil's own remediation calls come back through the same rules; match the stable role ARN, not the session. */
export function isVigilsOwnCall(detail: CloudTrailDetail, config: VigilConfig): boolean {
  const issuer = detail.userIdentity.sessionContext?.sessionIssuer?.arn;
  if (!issuer) return false;
  if (config.remediationRoleArn && issuer === config.remediationRoleArn) return true;
  const roleName = issuer.split("/").pop() ?? "";
  return roleName.startsWith(config.remediationRoleNamePrefix);
}

function classifyCloudTrail(
  envelope: Envelope,
  checks: readonly CheckDefinition[],
  config: VigilConfig,
): Intake {
  const eventId = envelope.id;
  const parsed = cloudTrailDetailSchema.safeParse(envelope.detail);
  if (!parsed.success)
    return { kind: "invalid", eventId, reason: `CloudTrail detail: ${problems(parsed.error)}` };
  const detail = parsed.data;
  const call = `${detail.eventSource} ${detail.eventName}`;
  if (detail.errorCode)
    return { kind: "ignored", eventId, reason: `${call} failed (${detail.errorCode}): nothing changed` };
  if (detail.readOnly === true) return { kind: "ignored", eventId, reason: `${call} is read-only` };
  if (isVigilsOwnCall(detail, config))
    return { kind: "ignored", eventId, reason: `${call} was made by Vigil's remediation role` };
  const resourceTypes = [
    ...new Set(
      checks
        .filter((check) =>
          check.triggers.cloudTrail.some(
            (t) => t.eventSource === detail.eventSource && t.eventNames.includes(detail.eventName),
          ),
        )
        .map((check) => check.resourceType),
    ),
  ];
  if (!resourceTypes.length) return { kind: "ignored", eventId, reason: `no check watches ${call}` };
  return { kind: "cloudtrail", envelope, detail, resourceTypes };
}

function classifyConfig(envelope: Envelope, checks: readonly CheckDefinition[]): Intake {
  const eventId = envelope.id;
  const parsed = configChangeDetailSchema.safeParse(envelope.detail);
  if (!parsed.success)
    return { kind: "invalid", eventId, reason: `Config change detail: ${problems(parsed.error)}` };
  const detail = parsed.data;
  const resourceType =
    detail.messageType === "ConfigurationItemChangeNotification"
      ? detail.configurationItem.resourceType
      : detail.configurationItemSummary.resourceType;
  if (!checks.some((check) => check.triggers.config.includes(resourceType))) {
    return { kind: "ignored", eventId, reason: `no check watches Config items of ${resourceType}` };
  }
  return { kind: "config", envelope, detail, resourceType };
}

function classifyServiceEvent(envelope: Envelope, checks: readonly CheckDefinition[]): Intake | undefined {
  const resourceTypes = [
    ...new Set(
      checks
        .filter((check) =>
          (check.triggers.events ?? []).some(
            (t) => t.source === envelope.source && t.detailType === envelope["detail-type"],
          ),
        )
        .map((check) => check.resourceType),
    ),
  ];
  return resourceTypes.length ? { kind: "service", envelope, resourceTypes } : undefined;
}

/** Decides what an incoming EventBridge event is, without any I/O. */
export function classifyEvent(raw: unknown, checks: readonly CheckDefinition[], config: VigilConfig): Intake {
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success)
    return { kind: "invalid", reason: `not an EventBridge event: ${problems(envelope.error)}` };
  const detailType = envelope.data["detail-type"];
  if (
    detailType === DETAIL_TYPES.cloudTrail ||
    detailType === DETAIL_TYPES.cloudTrailServiceEvent ||
    detailType === DETAIL_TYPES.cloudTrailConsoleSignIn
  )
    return classifyCloudTrail(envelope.data, checks, config);
  if (detailType === DETAIL_TYPES.configChange && envelope.data.source === "aws.config") {
    return classifyConfig(envelope.data, checks);
  }
  const service = classifyServiceEvent(envelope.data, checks);
  if (service) return service;
  return {
    kind: "invalid",
    eventId: envelope.data.id,
    reason: `unknown event type "${detailType}" from ${envelope.data.source}`,
  };
}
