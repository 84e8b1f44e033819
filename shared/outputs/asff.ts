import type {
  AwsSecurityFinding,
  ComplianceStatus,
  Partition,
  RecordState,
  Resource,
  SeverityLabel,
  WorkflowStatus,
} from "@aws-sdk/client-securityhub";
import { checkById } from "../checks/catalog";
import type { Severity } from "../core/severity";
import type { Finding, FindingStatus } from "../findings/model";
import type { ScanReport } from "../sweep/report";
import { asffResourceType } from "./asff-resource-types";
import { mapControls } from "./controls";
import { findingProductFields } from "./asff-product-fields";
import { isoTime, latestTime, partitionOf, truncate } from "./text";
import {
  affectedResource,
  asffThreatType,
  guardDutyEvidence,
  isThreatDetection,
  reportedSeverity,
} from "./threat";

/**
 * Vigil findings in the AWS Security Finding Format (ASFF), for Security Hub's BatchImportFindings
 * as a custom integration. Field limits from the Security Hub API reference (AwsSecurityFinding).
 */
export const ASFF_SCHEMA_VERSION = "2018-10-08";
const LIMITS = { id: 512, generatorId: 512, title: 256, description: 1024, recommendation: 512 } as const;

export interface AsffContext {
  /** The account that imports the finding (its product ARN); default: the finding's resource account. */
  account?: string;
  /** The Region the finding is imported into; default: the finding's resource Region. */
  region?: string;
  /** Default: the partition of the resource ARN, else `aws`. */
  partition?: string;
  /** Default: the custom-integration ARN `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`. */
  productArn?: string;
  /** GeneratorId prefix (default `vigil`): GeneratorId = `<prefix>/<check id>`. */
  generatorPrefix?: string;
  /** When this export updates the record (UpdatedAt). */
  now: Date;
}

/**
 * Lifecycle mapping (decided here, documented in the report):
 * - OPEN: the check fails now -> FAILED, NEW, ACTIVE.
 * - SUPPRESSED: the resource still fails but an exemption covers it -> FAILED (true), SUPPRESSED,
 *   ACTIVE. WARNING would claim the check could not run, which is not the case.
 * - REMEDIATED (Vigil fixed it) and RESOLVED (fixed or gone) -> PASSED, RESOLVED, ARCHIVED.
 * Security Hub keeps Workflow as first imported (BatchImportFindings can't change it later), but
 * it moves a finding's workflow back to NEW when RecordState goes ARCHIVED -> ACTIVE or the
 * compliance status leaves PASSED, so a reopened finding is NEW again.
 */
const LIFECYCLE: Record<
  FindingStatus,
  { compliance: ComplianceStatus; workflow: WorkflowStatus; record: RecordState }
> = {
  OPEN: { compliance: "FAILED", workflow: "NEW", record: "ACTIVE" },
  SUPPRESSED: { compliance: "FAILED", workflow: "SUPPRESSED", record: "ACTIVE" },
  REMEDIATED: { compliance: "PASSED", workflow: "RESOLVED", record: "ARCHIVED" },
  RESOLVED: { compliance: "PASSED", workflow: "RESOLVED", record: "ARCHIVED" },
};

/** Normalized (deprecated) as Security Hub itself derives it from a Label (API reference, Severity). */
const NORMALIZED: Record<Severity, number> = {
  INFORMATIONAL: 0,
  LOW: 1,
  MEDIUM: 40,
  HIGH: 70,
  CRITICAL: 90,
};

const PARTITIONS: readonly Partition[] = ["aws", "aws-cn", "aws-us-gov", "aws-us-iso", "aws-us-iso-b"];
const asPartition = (value: string): Partition | undefined => PARTITIONS.find((p) => p === value);

function findingTypes(finding: Finding, threatType: string | undefined): string[] {
  if (threatType !== undefined) return [threatType];
  const check = checkById(finding.checkId);
  const types = ["Software and Configuration Checks/AWS Security Best Practices"];
  if (mapControls(finding.controls).cis)
    types.push(
      "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark",
    );
  if (finding.checkId === "VIGIL.IMAGE.VULNERABILITIES")
    types.push("Software and Configuration Checks/Vulnerabilities/CVE");
  if (/SECRETS$/.test(finding.checkId)) types.push("Sensitive Data Identifications/Security");
  // Turning off logging or detection is an intruder's first move, whatever else it is.
  if (check?.tampering) types.push("TTPs/Defense Evasion");
  return types;
}

function severityOf(finding: Finding, guardDutySeverity: number | undefined): AwsSecurityFinding["Severity"] {
  const severity = reportedSeverity(finding);
  const label: SeverityLabel = severity;
  return {
    Label: label,
    Normalized: NORMALIZED[severity],
    // GuardDuty-derived findings keep GuardDuty's own 0-10 rating as the original.
    Original: guardDutySeverity !== undefined ? guardDutySeverity.toFixed(1) : severity,
  };
}

function resourcesOf(finding: Finding, partition: string, threat: boolean): Resource[] {
  const r = finding.resource;
  const resourcePartition = asPartition(partitionOf(r.arn) ?? partition);
  const base = {
    ...(resourcePartition ? { Partition: resourcePartition } : {}),
    Region: r.region,
  };
  if (threat) {
    const affected = affectedResource(guardDutyEvidence(finding), {
      partition: partitionOf(r.arn) ?? partition,
      region: r.region,
      account: r.account,
    });
    if (affected) {
      return [
        {
          Type: affected.asffType,
          Id: affected.id,
          ...base,
          Details: {
            Other: { GuardDutyFindingArn: r.arn, ...(affected.name ? { Name: affected.name } : {}) },
          },
        },
      ];
    }
  }
  const type = asffResourceType(r.type);
  return [
    {
      Type: type,
      // Account-level findings name the account the way Security Hub's own do.
      Id: type === "AwsAccount" ? `AWS::::Account:${r.account}` : r.arn,
      ...base,
      // ASFF has no field for Vigil's CloudFormation type and the service's own id: keep them here.
      Details: {
        Other: {
          CloudFormationType: r.type,
          ResourceId: r.id,
          ...(type === "AwsAccount" ? { Arn: r.arn } : {}),
          ...(r.name ? { Name: r.name } : {}),
        },
      },
    },
  ];
}

function complianceOf(finding: Finding, status: ComplianceStatus): AwsSecurityFinding["Compliance"] {
  const { securityControlIds, requirements } = mapControls(finding.controls);
  return {
    Status: status,
    ...(securityControlIds[0] ? { SecurityControlId: securityControlIds[0] } : {}),
    // Every control, including further Security Hub ones (a check can cover several), max 32 items.
    ...(requirements.length || securityControlIds.length > 1
      ? {
          RelatedRequirements: [
            ...requirements,
            ...securityControlIds.slice(1).map((id) => `Security Hub ${id}`),
          ].slice(0, 32),
        }
      : {}),
  };
}

export function toAsff(finding: Finding, context: AsffContext): AwsSecurityFinding {
  const account = context.account ?? finding.resource.account;
  const region = context.region ?? finding.resource.region;
  const partition = context.partition ?? partitionOf(finding.resource.arn) ?? "aws";
  const productArn =
    context.productArn ?? `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
  const threat = isThreatDetection(finding);
  const guardDuty = threat ? guardDutyEvidence(finding) : undefined;
  const check = checkById(finding.checkId);
  const lifecycle = LIFECYCLE[finding.status];
  const types = findingTypes(finding, threat ? asffThreatType(guardDuty?.type) : undefined);
  const severity = severityOf(finding, guardDuty?.severity);

  const createdAt = isoTime(finding.firstSeen) ?? context.now.toISOString();
  const lastChange = latestTime(finding.lastSeen, finding.history.at(-1)?.at, finding.remediation?.time);
  // UpdatedAt is when this record was last updated by us (this export), never before CreatedAt.
  const updatedAt = latestTime(context.now.toISOString(), createdAt) ?? createdAt;
  const firstObserved = isoTime(guardDuty?.eventFirstSeen) ?? createdAt;
  const lastObserved =
    isoTime(guardDuty?.eventLastSeen) ?? latestTime(finding.observedAt, lastChange) ?? createdAt;

  const title =
    threat && guardDuty?.title
      ? `GuardDuty ${guardDuty.type ?? "finding"}: ${guardDuty.title}`
      : finding.title;
  const description = finding.summary.trim() || check?.description || finding.title;
  const recommendation = check?.description;

  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: truncate(`vigil/${finding.id}`, LIMITS.id),
    ProductArn: productArn,
    ProductName: "Vigil",
    CompanyName: "Vigil",
    GeneratorId: truncate(`${context.generatorPrefix ?? "vigil"}/${finding.checkId}`, LIMITS.generatorId),
    AwsAccountId: finding.resource.account,
    Types: types,
    CreatedAt: createdAt,
    UpdatedAt: updatedAt,
    FirstObservedAt: firstObserved,
    LastObservedAt: lastObserved,
    Severity: severity,
    // Security Hub takes later changes to severity and types from here, not from the top level.
    FindingProviderFields: {
      Severity: { Label: severity?.Label, Original: severity?.Original },
      Types: types,
    },
    Title: truncate(title, LIMITS.title),
    Description: truncate(description, LIMITS.description),
    ...(recommendation
      ? { Remediation: { Recommendation: { Text: truncate(recommendation, LIMITS.recommendation) } } }
      : {}),
    ProductFields: findingProductFields(finding),
    Resources: resourcesOf(finding, partition, threat),
    Compliance: complianceOf(finding, lifecycle.compliance),
    Workflow: { Status: lifecycle.workflow },
    RecordState: lifecycle.record,
    ...(guardDuty?.sample ? { Sample: true } : {}),
  };
}

/** A sweep's findings as a JSON array of ASFF findings; UpdatedAt is the sweep's end. */
export function formatAsff(report: ScanReport, context: Omit<AsffContext, "now"> = {}): string {
  const now = new Date(report.finishedAt);
  const stamp = Number.isNaN(now.getTime()) ? new Date() : now;
  return JSON.stringify(
    report.findings.map((finding) => toAsff(finding, { ...context, now: stamp })),
    null,
    2,
  );
}
