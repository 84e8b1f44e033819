import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { checks } from "../../shared/checks/catalog";
import { FINDING_STATUSES, type Finding } from "../../shared/findings/model";
import { formatOcsf, toOcsf } from "../../shared/outputs/ocsf";
import {
  ACCOUNT,
  BASTION_GROUP,
  BITCOIN_FINDING,
  SSH_FINDING,
  SSH_GROUP,
  TRAIL_ARN,
  byCheck,
  pipelineFindings,
  reportOf,
} from "./output-samples";

/**
 * OCSF 1.1.0, as the ocsf-schema definitions mark it: the base event's required attributes
 * (activity_id, category_uid, class_uid, type_uid, severity_id, time, metadata with product.vendor_name
 * and version), the Finding class's (finding_info with uid and title), the Cloud profile's (cloud with
 * provider), and the enums' allowed values. Compliance Finding adds compliance (standards required).
 */
const timestamp = z.number().int().positive();
const base = z.object({
  activity_id: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3), z.literal(99)]),
  category_uid: z.literal(2),
  type_uid: z.number().int(),
  severity_id: z.union([0, 1, 2, 3, 4, 5, 6, 99].map((n) => z.literal(n))),
  time: timestamp,
  status_id: z.union([0, 1, 2, 3, 4, 99].map((n) => z.literal(n))).optional(),
  metadata: z.object({
    version: z.string().regex(/^1\.(1|[2-9])\.\d+$/),
    product: z.object({ vendor_name: z.string().min(1), name: z.string().optional() }),
    profiles: z.array(z.string()).optional(),
  }),
  finding_info: z.object({
    uid: z.string().min(1),
    title: z.string().min(1),
    created_time: timestamp.optional(),
    first_seen_time: timestamp.optional(),
    last_seen_time: timestamp.optional(),
    modified_time: timestamp.optional(),
    analytic: z.object({ type_id: z.union([0, 1, 2, 3, 4, 99].map((n) => z.literal(n))) }).optional(),
  }),
  cloud: z.object({
    provider: z.string().min(1),
    region: z.string().optional(),
    account: z.object({ uid: z.string().regex(/^\d{12}$/) }).optional(),
  }),
  resources: z.array(z.object({ uid: z.string().min(1), type: z.string().optional() })).min(1),
  remediation: z.object({ desc: z.string().min(1) }).optional(),
});
const complianceFinding = base.extend({
  class_uid: z.literal(2003),
  compliance: z.object({
    standards: z.array(z.string().min(1)).min(1),
    requirements: z.array(z.string()).optional(),
    control: z.string().optional(),
    status_id: z.union([0, 1, 2, 3, 99].map((n) => z.literal(n))),
  }),
});
const detectionFinding = base.extend({ class_uid: z.literal(2004), is_alert: z.boolean().optional() });
const ocsfFinding = z
  .discriminatedUnion("class_uid", [complianceFinding, detectionFinding])
  .refine(
    (e) => e.type_uid === e.class_uid * 100 + e.activity_id,
    "type_uid = class_uid * 100 + activity_id",
  );

describe("OCSF from pipeline findings", () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await pipelineFindings();
  });

  it("every sample validates; GuardDuty threats are Detection Findings, the rest Compliance Findings", () => {
    for (const finding of findings) {
      const event = ocsfFinding.parse(toOcsf(finding));
      expect(event.class_uid, finding.checkId).toBe(
        finding.checkId === "VIGIL.GUARDDUTY.FINDING" ? 2004 : 2003,
      );
    }
  });

  it("lifecycle: OPEN = New/Fail, SUPPRESSED = Suppressed/Fail, REMEDIATED and RESOLVED = Resolved/Pass and Close", () => {
    const cases: [Finding, { status_id: number; activity_id: number; compliance?: number }][] = [
      [
        byCheck(findings, "VIGIL.CLOUDTRAIL.LOGGING_STOPPED", TRAIL_ARN),
        { status_id: 1, activity_id: 1, compliance: 3 },
      ],
      [byCheck(findings, "EC2.53", BASTION_GROUP), { status_id: 3, activity_id: 1, compliance: 3 }],
      [byCheck(findings, "EC2.19", SSH_GROUP), { status_id: 4, activity_id: 3, compliance: 1 }],
      [byCheck(findings, "VIGIL.GUARDDUTY.FINDING", SSH_FINDING), { status_id: 4, activity_id: 3 }],
      [byCheck(findings, "VIGIL.GUARDDUTY.FINDING", BITCOIN_FINDING), { status_id: 1, activity_id: 1 }],
    ];
    for (const [finding, expected] of cases) {
      const event = toOcsf(finding);
      expect(event.status_id, `${finding.checkId} ${finding.status}`).toBe(expected.status_id);
      expect(event.activity_id, `${finding.checkId} ${finding.status}`).toBe(expected.activity_id);
      expect(event.type_uid).toBe(event.class_uid * 100 + expected.activity_id);
      if (expected.compliance !== undefined) {
        expect(event.class_uid).toBe(2003);
        if (event.class_uid === 2003) expect(event.compliance.status_id).toBe(expected.compliance);
      }
    }
  });

  it("a compliance finding names its standards, control and CIS requirement, and the resource", () => {
    const event = toOcsf(byCheck(findings, "EC2.53", BASTION_GROUP));
    expect(event).toMatchObject({
      class_uid: 2003,
      class_name: "Compliance Finding",
      category_name: "Findings",
      severity_id: 4,
      severity: "High",
      status: "Suppressed",
      metadata: { version: "1.1.0", product: { name: "Vigil", vendor_name: "Vigil" }, profiles: ["cloud"] },
      cloud: { provider: "AWS", region: "us-east-1", account: { uid: ACCOUNT, type_id: 10 } },
      compliance: {
        standards: ["CIS AWS Foundations Benchmark v3.0.0"],
        requirements: ["CIS AWS Foundations Benchmark v3.0.0/5.2"],
        control: "EC2.53",
        status_id: 3,
        status: "Fail",
      },
      resources: [
        {
          uid: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${BASTION_GROUP}`,
          name: "ops-bastion",
          type: "AWS::EC2::SecurityGroup",
          region: "us-east-1",
          cloud_partition: "aws",
        },
      ],
      unmapped: { vigil: { status: "SUPPRESSED", suppression: { source: "tag" } } },
    });
  });

  it("a detection finding leads with the affected instance and keeps GuardDuty's type, rating and times", () => {
    const finding = byCheck(findings, "VIGIL.GUARDDUTY.FINDING", BITCOIN_FINDING);
    const event = toOcsf(finding);
    expect(event).toMatchObject({
      class_uid: 2004,
      class_name: "Detection Finding",
      type_name: "Detection Finding: Create",
      is_alert: true,
      severity_id: 4,
      finding_info: {
        uid: finding.id,
        types: ["CryptoCurrency:EC2/BitcoinTool.B"],
        first_seen_time: Date.parse("2025-03-16T08:02:13.000Z"),
        last_seen_time: Date.parse("2025-03-16T08:09:56.000Z"),
        analytic: { uid: "VIGIL.GUARDDUTY.FINDING", type_id: 1 },
      },
      resources: [
        { uid: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0c5e7a9b1d3f24680`, type: "AWS::EC2::Instance" },
        { uid: finding.resource.arn, type: "AWS::GuardDuty::Finding" },
      ],
    });
    expect(event).not.toHaveProperty("compliance");
  });

  it("the detector-tampering checks are configuration checks: Compliance Findings under FSBP", () => {
    const trail = byCheck(findings, "VIGIL.CLOUDTRAIL.LOGGING_STOPPED", TRAIL_ARN);
    const detector: Finding = {
      ...trail,
      checkId: "VIGIL.GUARDDUTY.DISABLED",
      controls: ["FSBP GuardDuty.1"],
      resource: {
        type: "AWS::GuardDuty::Detector",
        id: "6ac8e2f4b1d3a5c7e9f0b2d4a6c8e0f2",
        arn: `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/6ac8e2f4b1d3a5c7e9f0b2d4a6c8e0f2`,
        account: ACCOUNT,
        region: "us-east-1",
      },
    };
    const event = complianceFinding.parse(toOcsf(detector));
    expect(event.compliance).toMatchObject({
      standards: ["AWS Foundational Security Best Practices v1.0.0"],
      control: "GuardDuty.1",
    });
  });

  it("every check in the catalog, in every status, makes a valid event of the right class", () => {
    const sample = byCheck(findings, "EC2.19", SSH_GROUP);
    for (const check of checks) {
      for (const status of FINDING_STATUSES) {
        const finding: Finding = {
          ...sample,
          checkId: check.id,
          title: check.title,
          controls: check.controls,
          severity: check.severity,
          resource: { ...sample.resource, type: check.resourceType },
          status,
          evidence: [],
        };
        const event = ocsfFinding.parse(toOcsf(finding));
        expect(event.class_uid, check.id).toBe(
          check.resourceType === "AWS::GuardDuty::Finding" ? 2004 : 2003,
        );
      }
    }
  });

  it("formatOcsf: a JSON array of valid events, one per finding", () => {
    const parsed: unknown = JSON.parse(formatOcsf(reportOf(findings)));
    const events = z.array(ocsfFinding).parse(parsed);
    expect(events.map((e) => e.finding_info.uid)).toEqual(findings.map((f) => f.id));
  });
});
