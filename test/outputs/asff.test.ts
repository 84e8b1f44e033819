import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { checks } from "../../shared/checks/catalog";
import { FINDING_STATUSES, type Finding } from "../../shared/findings/model";
import { formatAsff, toAsff } from "../../shared/outputs/asff";
import { mapControls } from "../../shared/outputs/controls";
import { truncate } from "../../shared/outputs/text";
import { asffThreatType } from "../../shared/outputs/threat";
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

const NOW = new Date("2025-03-20T10:00:00.000Z");

/** Timestamps as the Security Hub API reference accepts them (RFC 3339, Z or an offset). */
const timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/);
const nonEmpty = (max: number) => z.string().max(max).regex(/\S/);
const NAMESPACES = [
  "Software and Configuration Checks",
  "TTPs",
  "Effects",
  "Unusual Behaviors",
  "Sensitive Data Identifications",
];

/** The AwsSecurityFinding fields BatchImportFindings requires, with their documented limits and enums. */
const asffSchema = z.object({
  SchemaVersion: z.literal("2018-10-08"),
  Id: nonEmpty(512),
  ProductArn: z.string().regex(/^arn:aws[a-z-]*:securityhub:[a-z0-9-]+:\d{12}:product\/\d{12}\/default$/),
  GeneratorId: nonEmpty(512),
  AwsAccountId: z.string().regex(/^\d{12}$/),
  Types: z
    .array(z.string().refine((t) => NAMESPACES.includes(t.split("/")[0] ?? ""), "an ASFF type namespace"))
    .min(1)
    .max(50),
  CreatedAt: timestamp,
  UpdatedAt: timestamp,
  FirstObservedAt: timestamp,
  LastObservedAt: timestamp,
  Severity: z.object({
    Label: z.enum(["INFORMATIONAL", "LOW", "MEDIUM", "HIGH", "CRITICAL"]),
    Normalized: z.number().int().min(0).max(100),
    Original: z.string().min(1),
  }),
  Title: nonEmpty(256),
  Description: nonEmpty(1024),
  Remediation: z.object({ Recommendation: z.object({ Text: nonEmpty(512) }) }).optional(),
  ProductFields: z
    .record(z.string().min(1).max(128), z.string().max(2048))
    .refine((fields) => Object.keys(fields).length <= 50, "at most 50 product fields"),
  Resources: z
    .array(
      z.object({
        Type: z.string().regex(/^(Aws[A-Za-z0-9]+|Other)$/),
        Id: z.string().min(1),
        Partition: z.enum(["aws", "aws-cn", "aws-us-gov"]),
        Region: z.string().min(1),
      }),
    )
    .min(1)
    .max(32),
  Compliance: z.object({
    Status: z.enum(["PASSED", "WARNING", "FAILED", "NOT_AVAILABLE"]),
    SecurityControlId: z.string().optional(),
    RelatedRequirements: z.array(z.string().min(1)).max(32).optional(),
  }),
  Workflow: z.object({ Status: z.enum(["NEW", "NOTIFIED", "RESOLVED", "SUPPRESSED"]) }),
  RecordState: z.enum(["ACTIVE", "ARCHIVED"]),
});

describe("ASFF from pipeline findings", () => {
  let findings: Finding[];
  beforeAll(async () => {
    findings = await pipelineFindings();
  });

  it("every sample finding is a valid ASFF finding, every lifecycle status covered", () => {
    expect(new Set(findings.map((f) => f.status))).toEqual(
      new Set(["OPEN", "REMEDIATED", "RESOLVED", "SUPPRESSED"]),
    );
    for (const finding of findings) {
      const asff = toAsff(finding, { now: NOW });
      expect(() => asffSchema.parse(asff), finding.checkId).not.toThrow();
      expect(Date.parse(asff.UpdatedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(asff.CreatedAt ?? ""));
    }
  });

  it("REMEDIATED world-open SSH: stable id, custom product, FSBP control, passed and archived, who did it", () => {
    const finding = byCheck(findings, "EC2.19", SSH_GROUP);
    const asff = toAsff(finding, { now: NOW });
    expect(asff).toMatchObject({
      Id: `vigil/${finding.id}`,
      ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      GeneratorId: "vigil/EC2.19",
      AwsAccountId: ACCOUNT,
      Types: ["Software and Configuration Checks/AWS Security Best Practices"],
      CreatedAt: "2025-03-11T14:02:18.000Z",
      UpdatedAt: "2025-03-20T10:00:00.000Z",
      Severity: { Label: "CRITICAL", Normalized: 90, Original: "CRITICAL" },
      FindingProviderFields: { Severity: { Label: "CRITICAL" }, Types: asff.Types },
      Title: "Security groups should not allow unrestricted access to ports with high risk",
      Description: `${SSH_GROUP} allows tcp 22 from 0.0.0.0/0 (high-risk ports 22)`,
      Resources: [
        {
          Type: "AwsEc2SecurityGroup",
          Id: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${SSH_GROUP}`,
          Partition: "aws",
          Region: "us-east-1",
        },
      ],
      Compliance: { Status: "PASSED", SecurityControlId: "EC2.19" },
      Workflow: { Status: "RESOLVED" },
      RecordState: "ARCHIVED",
    });
    expect(asff.Remediation?.Recommendation?.Text).toMatch(/\S/);
    expect(asff.ProductFields).toMatchObject({
      "vigil/Status": "REMEDIATED",
      "vigil/CheckId": "EC2.19",
      "vigil/Remediation/Id": "revoke-security-group-ingress",
      "vigil/Remediation/Mode": "auto",
      "vigil/Remediation/Result": "succeeded",
      "vigil/Remediation/Action": expect.stringContaining("sgr-0d27a9c4e81f35b60"),
      "vigil/Actor/Type": "IAMUser",
      "vigil/Actor/Arn": `arn:aws:iam::${ACCOUNT}:user/alice.ops`,
      "vigil/Actor/SourceIp": "198.51.100.23",
      "vigil/Actor/UserAgent": expect.stringContaining("aws-cli/2.22.35"),
    });
    // The undo payload (rules, exemption tag key) is Vigil-internal and stays out.
    expect(JSON.stringify(asff)).not.toContain("exemptChecks");
  });

  it("SUPPRESSED (tag exemption): still FAILED, workflow SUPPRESSED, active, with the CIS requirement and why", () => {
    const asff = toAsff(byCheck(findings, "EC2.53", BASTION_GROUP), { now: NOW });
    expect(asff).toMatchObject({
      Types: [
        "Software and Configuration Checks/AWS Security Best Practices",
        "Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark",
      ],
      Compliance: {
        Status: "FAILED",
        SecurityControlId: "EC2.53",
        RelatedRequirements: ["CIS AWS Foundations Benchmark v3.0.0/5.2"],
      },
      Workflow: { Status: "SUPPRESSED" },
      RecordState: "ACTIVE",
      ProductFields: {
        "vigil/Status": "SUPPRESSED",
        "vigil/Suppression/Source": "tag",
        "vigil/Suppression/Reason": "partner SFTP, ticket SEC-1422",
      },
    });
  });

  it("OPEN GuardDuty threat: TTP/effect type from the finding type, the instance as resource, GuardDuty's rating", () => {
    const finding = byCheck(findings, "VIGIL.GUARDDUTY.FINDING", BITCOIN_FINDING);
    const asff = toAsff(finding, { now: NOW });
    expect(asff).toMatchObject({
      GeneratorId: "vigil/VIGIL.GUARDDUTY.FINDING",
      Types: ["Effects/Resource Consumption/CryptoCurrency:EC2-BitcoinTool.B"],
      FirstObservedAt: "2025-03-16T08:02:13.000Z",
      LastObservedAt: "2025-03-16T08:09:56.000Z",
      Severity: { Label: "HIGH", Original: "8.0" },
      Resources: [
        {
          Type: "AwsEc2Instance",
          Id: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0c5e7a9b1d3f24680`,
          Details: { Other: { GuardDutyFindingArn: finding.resource.arn, Name: "legacy-reporting-01" } },
        },
      ],
      Compliance: { Status: "FAILED" },
      Workflow: { Status: "NEW" },
      RecordState: "ACTIVE",
    });
    expect(asff.Title).toMatch(/^GuardDuty CryptoCurrency:EC2\/BitcoinTool\.B: /);
  });

  it("RESOLVED GuardDuty threat (archived in GuardDuty): passed, archived, still rated by GuardDuty (Low, 2.0)", () => {
    const finding = byCheck(findings, "VIGIL.GUARDDUTY.FINDING", SSH_FINDING);
    expect(finding.status).toBe("RESOLVED");
    expect(toAsff(finding, { now: NOW })).toMatchObject({
      Types: ["TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce"],
      Severity: { Label: "LOW", Normalized: 1, Original: "2.0" },
      Compliance: { Status: "PASSED" },
      Workflow: { Status: "RESOLVED" },
      RecordState: "ARCHIVED",
    });
  });

  it("OPEN tampering (CloudTrail logging stopped): defense evasion type too, the trail as resource", () => {
    const asff = toAsff(byCheck(findings, "VIGIL.CLOUDTRAIL.LOGGING_STOPPED", TRAIL_ARN), { now: NOW });
    expect(asff.Types).toEqual([
      "Software and Configuration Checks/AWS Security Best Practices",
      "TTPs/Defense Evasion",
    ]);
    expect(asff.Resources).toMatchObject([{ Type: "AwsCloudTrailTrail", Id: TRAIL_ARN }]);
    expect(asff).toMatchObject({
      Severity: { Label: "CRITICAL" },
      Workflow: { Status: "NEW" },
      RecordState: "ACTIVE",
    });
    expect(asff.ProductFields?.["vigil/Actor/UserName"]).toBe("build-bot");
  });

  it("formatAsff: a JSON array, one ASFF finding per report finding, UpdatedAt = the sweep's end", () => {
    const parsed: unknown = JSON.parse(formatAsff(reportOf(findings)));
    const array = z.array(asffSchema).parse(parsed);
    expect(array.map((f) => f.Id)).toEqual(findings.map((f) => `vigil/${f.id}`));
    expect(new Set(array.map((f) => f.UpdatedAt))).toEqual(new Set(["2025-03-15T08:00:42.000Z"]));
  });

  it("context: product ARN, partition and generator prefix can be set; partition otherwise follows the resource ARN", () => {
    const base = byCheck(findings, "EC2.19", SSH_GROUP);
    const china: Finding = {
      ...base,
      resource: {
        ...base.resource,
        region: "cn-north-1",
        arn: base.resource.arn.replace("arn:aws:", "arn:aws-cn:"),
      },
    };
    expect(toAsff(china, { now: NOW })).toMatchObject({
      ProductArn: `arn:aws-cn:securityhub:cn-north-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      Resources: [{ Partition: "aws-cn", Region: "cn-north-1" }],
    });
    const custom = toAsff(base, {
      now: NOW,
      productArn: "arn:aws:securityhub:eu-west-1:444455556666:product/444455556666/default",
      generatorPrefix: "acme-vigil",
    });
    expect(custom.ProductArn).toBe("arn:aws:securityhub:eu-west-1:444455556666:product/444455556666/default");
    expect(custom.GeneratorId).toBe("acme-vigil/EC2.19");
  });

  it("long text is cut to the ASFF limits without breaking a surrogate pair; evidence never leaves Vigil", () => {
    const base = byCheck(findings, "EC2.19", SSH_GROUP);
    const long: Finding = {
      ...base,
      summary: `${"a".repeat(1022)}😀 and more`,
      evidence: [{ note: "EVIDENCE-MARKER" }],
      resource: { ...base.resource, type: "AWS::Made::Up" },
    };
    const asff = toAsff(long, { now: NOW });
    expect(asff.Description?.length).toBeLessThanOrEqual(1024);
    expect(asff.Description?.endsWith("…")).toBe(true);
    expect(asff.Description).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(asff.Resources?.[0]?.Type).toBe("Other");
    expect(JSON.stringify(asff)).not.toContain("EVIDENCE-MARKER");
  });
});

/** A finding of `checkId` as the store holds one, for checks without a sample event here. */
function syntheticFinding(check: (typeof checks)[number], status: Finding["status"]): Finding {
  return {
    id: "vf-0123456789abcdef01234567",
    checkId: check.id,
    title: check.title,
    controls: check.controls,
    severity: check.severity,
    resource: {
      type: check.resourceType,
      id: "resource-1",
      arn: `arn:aws:example:us-east-1:${ACCOUNT}:thing/resource-1`,
      account: ACCOUNT,
      region: "us-east-1",
    },
    status,
    evidence: [],
    summary: `resource-1 fails ${check.id}`,
    eventIds: ["e-1"],
    firstSeen: "2025-03-11T14:02:18.000Z",
    lastSeen: "2025-03-12T14:02:18.000Z",
    history: [{ from: null, to: status, at: "2025-03-11T14:02:18.000Z" }],
    version: 1,
  };
}

describe("ASFF for every check in the catalog", () => {
  it("each check, in each lifecycle status, maps to a valid ASFF finding", () => {
    for (const check of checks) {
      for (const status of FINDING_STATUSES) {
        const asff = toAsff(syntheticFinding(check, status), { now: NOW });
        expect(() => asffSchema.parse(asff), `${check.id} ${status}`).not.toThrow();
      }
    }
  });

  it("account-level resources are named as Security Hub names the account", () => {
    const iam4 = checks.find((c) => c.id === "IAM.4");
    if (!iam4) throw new Error("IAM.4 is in the catalog");
    expect(toAsff(syntheticFinding(iam4, "OPEN"), { now: NOW }).Resources).toMatchObject([
      { Type: "AwsAccount", Id: `AWS::::Account:${ACCOUNT}` },
    ]);
  });
});

describe("ASFF helpers", () => {
  it("truncate keeps short text, cuts long text with an ellipsis and never splits a surrogate pair", () => {
    expect(truncate("short", 10)).toBe("short");
    expect(truncate("abcdefghij", 5)).toBe("abcd…");
    const cut = truncate(`abc😀def`, 5);
    expect(cut).toBe("abc…");
    expect(cut.length).toBeLessThanOrEqual(5);
  });

  it("controls: FSBP/SecurityHub ids, CIS versions (v3.0.0 when unversioned), other frameworks as written", () => {
    expect(mapControls(["SecurityHub EC2.13", "CIS 1.2.0 4.1"])).toEqual({
      securityControlIds: ["EC2.13"],
      standards: ["CIS AWS Foundations Benchmark v1.2.0"],
      requirements: ["CIS AWS Foundations Benchmark v1.2.0/4.1"],
      cis: true,
    });
    expect(mapControls(["FSBP EFS.8", "CIS 5.0.0 2.3.1"]).requirements).toEqual([
      "CIS AWS Foundations Benchmark v5.0.0/2.3.1",
    ]);
    expect(mapControls(["Dockle CIS-DI-0001"])).toEqual({
      securityControlIds: [],
      standards: [],
      requirements: ["Dockle CIS-DI-0001"],
      cis: false,
    });
  });

  it("a check covering several Security Hub controls names the first and lists the rest", () => {
    const finding = {
      id: "vf-000000000000000000000000",
      checkId: "VIGIL.GUARDDUTY.PROTECTION_DISABLED",
      title: "GuardDuty protection plans should stay enabled",
      controls: ["FSBP GuardDuty.5", "FSBP GuardDuty.6"],
      severity: "HIGH",
      resource: {
        type: "AWS::GuardDuty::Detector",
        id: "6ac8e2f4b1d3a5c7e9f0b2d4a6c8e0f2",
        arn: `arn:aws:guardduty:us-east-1:${ACCOUNT}:detector/6ac8e2f4b1d3a5c7e9f0b2d4a6c8e0f2`,
        account: ACCOUNT,
        region: "us-east-1",
      },
      status: "OPEN",
      evidence: [],
      summary: "S3 protection turned off",
      eventIds: [],
      firstSeen: "2025-03-11T14:02:18.000Z",
      lastSeen: "2025-03-11T14:02:18.000Z",
      history: [],
      version: 1,
    } satisfies Finding;
    expect(toAsff(finding, { now: NOW })).toMatchObject({
      Types: ["Software and Configuration Checks/AWS Security Best Practices", "TTPs/Defense Evasion"],
      Resources: [{ Type: "AwsGuardDutyDetector" }],
      Compliance: { SecurityControlId: "GuardDuty.5", RelatedRequirements: ["Security Hub GuardDuty.6"] },
    });
  });

  it("GuardDuty types map by threat purpose; unknown purposes fall back to Unusual Behaviors", () => {
    expect(asffThreatType("Recon:EC2/PortProbeUnprotectedPort")).toBe(
      "TTPs/Discovery/Recon:EC2-PortProbeUnprotectedPort",
    );
    expect(asffThreatType("UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS")).toBe(
      "TTPs/Initial Access/UnauthorizedAccess:IAMUser-InstanceCredentialExfiltration.OutsideAWS",
    );
    expect(asffThreatType("Something:New/Thing")).toBe("Unusual Behaviors");
    expect(asffThreatType(undefined)).toBe("Unusual Behaviors");
  });
});
