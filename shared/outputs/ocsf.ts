import { checkById } from "../checks/catalog";
import type { Severity } from "../core/severity";
import type { Finding, FindingStatus } from "../findings/model";
import type { ScanReport } from "../sweep/report";
import { mapControls } from "./controls";
import { latestTime, partitionOf } from "./text";
import { affectedResource, guardDutyEvidence, isThreatDetection, reportedSeverity } from "./threat";

/**
 * Vigil findings as OCSF 1.1.0 events (the version AWS Security Lake ingests): configuration
 * checks as Compliance Finding (2003), GuardDuty-derived threats as Detection Finding (2004), both
 * with the Cloud profile. Required fields per the ocsf-schema definitions: base event (activity_id,
 * category_uid, class_uid, type_uid, severity_id, time, metadata{product{vendor_name}, version}),
 * finding (finding_info{uid, title}), compliance finding (compliance{standards}), Cloud profile
 * (cloud{provider}); recommended ones (status_id, compliance.status_id, resources, remediation{desc}) too.
 */
export const OCSF_VERSION = "1.1.0";
export const OCSF_CATEGORY = { uid: 2, name: "Findings" } as const;
export const OCSF_CLASSES = {
  compliance: { uid: 2003, name: "Compliance Finding" },
  detection: { uid: 2004, name: "Detection Finding" },
} as const;

export const OCSF_ACTIVITIES = { 1: "Create", 2: "Update", 3: "Close" } as const;
export type OcsfActivityId = keyof typeof OCSF_ACTIVITIES;

/** base_event severity_id: 1 Informational … 5 Critical (0 Unknown, 6 Fatal, 99 Other unused). */
export const OCSF_SEVERITIES: Record<Severity, { id: number; name: string }> = {
  INFORMATIONAL: { id: 1, name: "Informational" },
  LOW: { id: 2, name: "Low" },
  MEDIUM: { id: 3, name: "Medium" },
  HIGH: { id: 4, name: "High" },
  CRITICAL: { id: 5, name: "Critical" },
};

/**
 * Vigil lifecycle -> finding status_id (1 New, 3 Suppressed, 4 Resolved) and compliance
 * status_id (1 Pass, 3 Fail). SUPPRESSED still fails the check: an exemption covers it.
 */
export const OCSF_STATUSES: Record<
  FindingStatus,
  { id: number; name: string; compliance: { id: number; name: string } }
> = {
  OPEN: { id: 1, name: "New", compliance: { id: 3, name: "Fail" } },
  SUPPRESSED: { id: 3, name: "Suppressed", compliance: { id: 3, name: "Fail" } },
  REMEDIATED: { id: 4, name: "Resolved", compliance: { id: 1, name: "Pass" } },
  RESOLVED: { id: 4, name: "Resolved", compliance: { id: 1, name: "Pass" } },
};

export interface OcsfResource {
  uid: string;
  name?: string;
  type: string;
  region?: string;
  cloud_partition?: string;
  data?: Record<string, unknown>;
}

interface OcsfFindingBase {
  activity_id: OcsfActivityId;
  activity_name: string;
  category_uid: 2;
  category_name: string;
  class_name: string;
  type_uid: number;
  type_name: string;
  severity_id: number;
  severity: string;
  status_id: number;
  status: string;
  /** ms since the epoch: the finding's latest change. */
  time: number;
  start_time?: number;
  end_time?: number;
  message: string;
  metadata: {
    version: string;
    product: { name: string; vendor_name: string; feature: { name: string } };
    profiles: string[];
  };
  cloud: { provider: "AWS"; region: string; account: { uid: string; type: string; type_id: number } };
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    types: string[];
    created_time?: number;
    first_seen_time?: number;
    last_seen_time?: number;
    modified_time?: number;
    analytic: { uid: string; name: string; type_id: 1; type: "Rule" };
  };
  resources: OcsfResource[];
  remediation?: { desc: string };
  /** Vigil's own fields (status, remediation record, suppression, actor, evidence). */
  unmapped: { vigil: Record<string, unknown> };
}

export interface OcsfComplianceFinding extends OcsfFindingBase {
  class_uid: 2003;
  compliance: {
    standards: string[];
    requirements?: string[];
    control: string;
    status_id: number;
    status: string;
  };
}

export interface OcsfDetectionFinding extends OcsfFindingBase {
  class_uid: 2004;
  is_alert: boolean;
}

export type OcsfFinding = OcsfComplianceFinding | OcsfDetectionFinding;

const ms = (iso: string | undefined): number | undefined => {
  const value = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(value) ? undefined : value;
};
const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function activityOf(finding: Finding): OcsfActivityId {
  if (finding.status === "RESOLVED" || finding.status === "REMEDIATED") return 3;
  return finding.history.length <= 1 ? 1 : 2;
}

function resourcesOf(finding: Finding, threat: boolean): OcsfResource[] {
  const r = finding.resource;
  const partition = partitionOf(r.arn) ?? "aws";
  const own: OcsfResource = defined({
    uid: r.arn,
    name: r.name,
    type: r.type,
    region: r.region,
    cloud_partition: partition,
    data: { resource_id: r.id, account: r.account },
  });
  if (!threat) return [own];
  const affected = affectedResource(guardDutyEvidence(finding), {
    partition,
    region: r.region,
    account: r.account,
  });
  if (!affected) return [own];
  // The affected resource first (what an analyst acts on), then the GuardDuty finding itself.
  return [
    defined({
      uid: affected.id,
      name: affected.name,
      type: affected.type,
      region: r.region,
      cloud_partition: partition,
    }),
    own,
  ];
}

function vigilFields(finding: Finding): Record<string, unknown> {
  return defined({
    finding_id: finding.id,
    check_id: finding.checkId,
    status: finding.status,
    controls: finding.controls,
    remediation: finding.remediation && {
      id: finding.remediation.remediationId,
      mode: finding.remediation.mode,
      result: finding.remediation.result,
      action: finding.remediation.action,
      time: finding.remediation.time,
      detail: finding.remediation.detail,
    },
    suppression: finding.suppression,
    // Identifiers only (principal, source IP, user agent): Vigil's Actor never carries secrets.
    actor: finding.actor,
    event_time: finding.eventTime,
    event_ids: finding.eventIds,
    evidence: finding.evidence,
  });
}

export function toOcsf(finding: Finding): OcsfFinding {
  const threat = isThreatDetection(finding);
  const cls = threat ? OCSF_CLASSES.detection : OCSF_CLASSES.compliance;
  const activity = activityOf(finding);
  const severity = OCSF_SEVERITIES[reportedSeverity(finding)];
  const status = OCSF_STATUSES[finding.status];
  const check = checkById(finding.checkId);
  const guardDuty = threat ? guardDutyEvidence(finding) : undefined;
  const changed = latestTime(finding.lastSeen, finding.history.at(-1)?.at, finding.remediation?.time);
  const time = ms(changed) ?? ms(finding.firstSeen) ?? 0;

  const base: OcsfFindingBase = {
    activity_id: activity,
    activity_name: OCSF_ACTIVITIES[activity],
    category_uid: OCSF_CATEGORY.uid,
    category_name: OCSF_CATEGORY.name,
    class_name: cls.name,
    type_uid: cls.uid * 100 + activity,
    type_name: `${cls.name}: ${OCSF_ACTIVITIES[activity]}`,
    severity_id: severity.id,
    severity: severity.name,
    status_id: status.id,
    status: status.name,
    time,
    ...defined({
      start_time: ms(guardDuty?.eventFirstSeen ?? finding.firstSeen),
      end_time: ms(guardDuty?.eventLastSeen ?? changed),
    }),
    message: finding.summary || finding.title,
    metadata: {
      version: OCSF_VERSION,
      product: { name: "Vigil", vendor_name: "Vigil", feature: { name: finding.checkId } },
      profiles: ["cloud"],
    },
    cloud: {
      provider: "AWS",
      region: finding.resource.region,
      account: { uid: finding.resource.account, type: "AWS Account", type_id: 10 },
    },
    finding_info: {
      uid: finding.id,
      title: threat && guardDuty?.title ? guardDuty.title : finding.title,
      desc: finding.summary || finding.title,
      types: threat && guardDuty?.type ? [guardDuty.type] : [finding.checkId],
      ...defined({
        created_time: ms(finding.firstSeen),
        first_seen_time: ms(guardDuty?.eventFirstSeen ?? finding.firstSeen),
        last_seen_time: ms(guardDuty?.eventLastSeen ?? finding.observedAt ?? finding.lastSeen),
        modified_time: ms(changed),
      }),
      analytic: { uid: finding.checkId, name: finding.title, type_id: 1, type: "Rule" },
    },
    resources: resourcesOf(finding, threat),
    ...(check?.description ? { remediation: { desc: check.description } } : {}),
    unmapped: { vigil: vigilFields(finding) },
  };

  if (threat) return { ...base, class_uid: 2004, is_alert: finding.status === "OPEN" };
  const { securityControlIds, standards, requirements } = mapControls(finding.controls);
  return {
    ...base,
    class_uid: 2003,
    compliance: {
      // `standards` is required: checks outside any standard name Vigil's own.
      standards: standards.length ? standards : ["Vigil"],
      ...(requirements.length ? { requirements } : {}),
      control: securityControlIds[0] ?? finding.checkId,
      status_id: status.compliance.id,
      status: status.compliance.name,
    },
  };
}

/** A sweep's findings as a JSON array of OCSF events. */
export function formatOcsf(report: ScanReport): string {
  return JSON.stringify(report.findings.map(toOcsf), null, 2);
}
