import type { Actor } from "../../shared/core/actor";
import type { Severity } from "../../shared/core/severity";
import { checkById } from "../../shared/checks/catalog";
import { findingId } from "../../shared/findings/id";
import type { Finding, FindingStatus, RemediationRecord } from "../../shared/findings/model";
import type { CheckTally, ScanReport } from "../../shared/sweep/report";

/** A fixture account swept in two Regions: checks passing and failing across FSBP, CIS and Vigil's own. */
export const ACCOUNT = "111122223333";
export const XSS = "<script>alert(1)</script>";
const STARTED = "2026-11-27T02:00:00.000Z";
const FINISHED = "2026-11-27T02:03:12.000Z";

const alice: Actor = {
  type: "IAMUser",
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  principalId: "AIDAEXAMPLEALICE00001",
  accountId: ACCOUNT,
  userName: "alice",
  accessKeyId: "AKIAEXAMPLEALICE0001",
  sourceIp: "203.0.113.24",
  userAgent: "aws-cli/2.17.4 md/awscrt#0.20.11 ua/2.0 os/linux#6.8.0",
  mfaAuthenticated: true,
};

const deployRole: Actor = {
  type: "AssumedRole",
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/ci-deploy/GitHubActions`,
  principalId: "AROAEXAMPLEDEPLOY0001:GitHubActions",
  accountId: ACCOUNT,
  sessionIssuerArn: `arn:aws:iam::${ACCOUNT}:role/ci-deploy`,
  sourceIp: "198.51.100.7",
  // A hostile user agent: actors are finding strings too.
  userAgent: `Boto3/1.34.0 ${XSS}`,
};

interface FindingSpec {
  checkId: string;
  status: FindingStatus;
  type: string;
  id: string;
  name?: string;
  arn: string;
  region?: string;
  summary: string;
  evidence: Record<string, unknown>[];
  actor?: Actor;
  remediation?: RemediationRecord;
  suppression?: Finding["suppression"];
  severity?: Severity;
  resolvedAt?: string;
}

function finding(spec: FindingSpec): Finding {
  const check = checkById(spec.checkId);
  if (!check) throw new Error(`fixture: unknown check ${spec.checkId}`);
  const region = spec.region ?? "eu-west-1";
  const firstSeen = "2026-11-20T09:14:03.000Z";
  const history: Finding["history"] = [{ from: null, to: "OPEN", at: firstSeen }];
  if (spec.status !== "OPEN") history.push({ from: "OPEN", to: spec.status, at: spec.resolvedAt ?? STARTED });
  return {
    id: findingId({ account: ACCOUNT, region, checkId: spec.checkId, resourceId: spec.id }),
    checkId: spec.checkId,
    title: check.title,
    controls: check.controls,
    severity: spec.severity ?? check.severity,
    resource: { type: spec.type, id: spec.id, arn: spec.arn, account: ACCOUNT, region, name: spec.name },
    status: spec.status,
    evidence: spec.evidence,
    summary: spec.summary,
    actor: spec.actor,
    eventIds: ["0d1e7c0e-5c3a-4b47-9a3e-7e1f2b3c4d5e"],
    eventTime: spec.actor ? "2026-11-20T09:13:58Z" : undefined,
    firstSeen,
    lastSeen: FINISHED,
    remediation: spec.remediation,
    suppression: spec.suppression,
    history,
    version: 3,
  };
}

const sg = (id: string, name: string, region = "eu-west-1") => ({
  type: "AWS::EC2::SecurityGroup",
  id,
  name,
  region,
  arn: `arn:aws:ec2:${region}:${ACCOUNT}:security-group/${id}`,
});

export const findings: Finding[] = [
  finding({
    checkId: "EC2.19",
    status: "OPEN",
    ...sg("sg-0a1b2c3d4e5f60718", XSS),
    summary: `Security group ${XSS} allows 0.0.0.0/0 on tcp 3306 (MySQL)`,
    evidence: [
      {
        ruleId: "sgr-0d27a9c4e81f35b60",
        protocol: "tcp",
        fromPort: 3306,
        toPort: 3306,
        cidr: "0.0.0.0/0",
        note: XSS,
      },
    ],
    actor: alice,
    remediation: {
      remediationId: "revoke-security-group-ingress",
      mode: "dry-run",
      action: "revoke sgr-0d27a9c4e81f35b60 (tcp 3306 from 0.0.0.0/0)",
      result: "planned",
      time: "2026-11-20T09:14:04.000Z",
    },
  }),
  finding({
    checkId: "EC2.19",
    status: "OPEN",
    ...sg("sg-07c1e5a9d3b2f4068", "legacy-db", "us-east-1"),
    summary: "Security group legacy-db allows ::/0 on tcp 5432 (PostgreSQL)",
    evidence: [
      { ruleId: "sgr-01a2b3c4d5e6f7a8b", protocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv6: "::/0" },
    ],
  }),
  finding({
    checkId: "EC2.53",
    status: "OPEN",
    ...sg("sg-0f1e2d3c4b5a69788", "bastion"),
    summary: "Security group bastion allows 0.0.0.0/0 on tcp 22 (SSH)",
    evidence: [
      { ruleId: "sgr-0aa1bb2cc3dd4ee5f", protocol: "tcp", fromPort: 22, toPort: 22, cidr: "0.0.0.0/0" },
    ],
    actor: deployRole,
    remediation: {
      remediationId: "revoke-security-group-ingress",
      mode: "auto",
      action: "revoke sgr-0aa1bb2cc3dd4ee5f (tcp 22 from 0.0.0.0/0)",
      result: "failed",
      time: "2026-11-20T09:14:05.000Z",
      detail: "UnauthorizedOperation: You are not authorized to perform this operation.",
    },
  }),
  finding({
    checkId: "EC2.2",
    status: "SUPPRESSED",
    ...sg("sg-0123456789abcdef0", "default"),
    summary: "The default security group of vpc-0abc allows inbound traffic from itself",
    evidence: [{ direction: "ingress", protocol: "-1", sourceGroup: "sg-0123456789abcdef0" }],
    suppression: { source: "tag", reason: "legacy VPC, tracked in SEC-142", until: "2027-01-31" },
  }),
  finding({
    checkId: "S3.8",
    status: "OPEN",
    type: "AWS::S3::Bucket",
    id: "acme-public-assets",
    arn: "arn:aws:s3:::acme-public-assets",
    summary:
      "Bucket acme-public-assets has Block Public Access turned off (BlockPublicPolicy, RestrictPublicBuckets)",
    evidence: [
      {
        BlockPublicAcls: true,
        IgnorePublicAcls: true,
        BlockPublicPolicy: false,
        RestrictPublicBuckets: false,
      },
    ],
    actor: alice,
  }),
  finding({
    checkId: "EC2.8",
    status: "OPEN",
    type: "AWS::EC2::Instance",
    id: "i-0abc1234def567890",
    name: "web-1",
    arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0abc1234def567890`,
    summary: "Instance web-1 allows IMDSv1 (HttpTokens optional)",
    evidence: [{ HttpTokens: "optional", HttpEndpoint: "enabled" }],
    remediation: {
      remediationId: "require-imdsv2",
      mode: "dry-run",
      action: "set HttpTokens=required on i-0abc1234def567890",
      result: "planned",
      time: "2026-11-27T02:01:10.000Z",
    },
  }),
  finding({
    checkId: "IAM.5",
    status: "OPEN",
    type: "AWS::IAM::User",
    id: "AIDAEXAMPLEBOB000001",
    name: "bob",
    region: "us-east-1",
    arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
    summary: "IAM user bob has a console password and no MFA device",
    evidence: [{ passwordEnabled: true, mfaDevices: 0 }],
  }),
  finding({
    checkId: "VIGIL.CLOUDTRAIL.LOGGING_STOPPED",
    status: "OPEN",
    type: "AWS::CloudTrail::Trail",
    id: "org-trail",
    name: "org-trail",
    region: "us-east-1",
    arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/org-trail`,
    summary: "Trail org-trail stopped logging (StopLogging)",
    evidence: [{ eventName: "StopLogging", isLogging: false }],
    actor: deployRole,
    remediation: {
      remediationId: "restore-cloudtrail-logging",
      mode: "auto",
      action: "StartLogging on org-trail",
      result: "failed",
      time: "2026-11-20T09:14:06.000Z",
      detail: "AccessDeniedException",
    },
  }),
  finding({
    checkId: "VIGIL.IMAGE.ROOT_USER",
    status: "SUPPRESSED",
    type: "AWS::ECR::Image",
    id: "builder@sha256:9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a0",
    name: "builder:1.4.2",
    arn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/builder`,
    summary: "Image builder:1.4.2 runs as root (no USER)",
    evidence: [{ user: "" }],
    suppression: { source: "config", reason: "build image, never deployed" },
  }),
  // Fixed since the last sweep.
  finding({
    checkId: "KMS.4",
    status: "RESOLVED",
    type: "AWS::KMS::Key",
    id: "1234abcd-12ab-34cd-56ef-1234567890ab",
    arn: `arn:aws:kms:eu-west-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
    summary: "Key rotation is off for 1234abcd-12ab-34cd-56ef-1234567890ab",
    evidence: [{ KeyRotationEnabled: false }],
    resolvedAt: "2026-11-27T02:02:30.000Z",
  }),
  finding({
    checkId: "S3.5",
    status: "RESOLVED",
    type: "AWS::S3::Bucket",
    id: "acme-logs",
    arn: "arn:aws:s3:::acme-logs",
    summary: "Bucket acme-logs accepts plain HTTP requests",
    evidence: [{ secureTransportDeny: false }],
    resolvedAt: "2026-11-27T02:02:41.000Z",
  }),
  finding({
    checkId: "CloudTrail.4",
    status: "REMEDIATED",
    type: "AWS::CloudTrail::Trail",
    id: "audit-trail",
    name: "audit-trail",
    arn: `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/audit-trail`,
    summary: "Trail audit-trail has log file validation off",
    evidence: [{ LogFileValidationEnabled: false }],
    actor: alice,
    remediation: {
      remediationId: "restore-cloudtrail-logging",
      mode: "auto",
      action: "UpdateTrail audit-trail --enable-log-file-validation",
      result: "succeeded",
      time: "2026-11-27T02:01:55.000Z",
    },
    resolvedAt: "2026-11-27T02:01:55.000Z",
  }),
];

/** Resources evaluated per check; failed / suppressed are counted from the findings above. */
const EVALUATED: Record<string, number> = {
  "EC2.19": 14,
  "EC2.53": 14,
  "EC2.13": 14,
  "EC2.2": 3,
  "S3.8": 9,
  "S3.5": 9,
  "EC2.8": 6,
  "IAM.5": 12,
  "KMS.4": 4,
  "CloudTrail.4": 2,
  "VIGIL.CLOUDTRAIL.LOGGING_STOPPED": 2,
  "VIGIL.IMAGE.ROOT_USER": 5,
  "RDS.3": 3,
  // Nothing of its type in the account: not evaluated.
  "EKS.1": 0,
};

function tally(checkId: string, evaluated: number): CheckTally {
  const check = checkById(checkId);
  if (!check) throw new Error(`fixture: unknown check ${checkId}`);
  const mine = findings.filter((f) => f.checkId === checkId);
  return {
    checkId,
    title: check.title,
    severity: check.severity,
    controls: check.controls,
    resourceType: check.resourceType,
    evaluated,
    failed: mine.filter((f) => f.status === "OPEN").length,
    suppressed: mine.filter((f) => f.status === "SUPPRESSED").length,
  };
}

export function fixtureReport(): ScanReport {
  const regions = ["eu-west-1", "us-east-1"];
  return {
    startedAt: STARTED,
    finishedAt: FINISHED,
    scope: { accounts: [ACCOUNT], regions },
    units: [
      ...regions.map((region) => ({
        account: ACCOUNT,
        region,
        resourceType: "AWS::EC2::SecurityGroup",
        outcome: "completed" as const,
        resources: 7,
        deletedResources: 0,
        durationMs: 1840,
      })),
      {
        account: ACCOUNT,
        region: "us-east-1",
        resourceType: "AWS::RDS::DBCluster",
        outcome: "failed",
        resources: 0,
        deletedResources: 0,
        durationMs: 312,
        error: "AccessDeniedException: not authorized to perform rds:DescribeDBClusters",
      },
    ],
    checks: Object.entries(EVALUATED).map(([id, n]) => tally(id, n)),
    findings,
  };
}
