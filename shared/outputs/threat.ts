import { z } from "zod";
import { severityFromGuardDuty } from "../checks/guardduty-findings/severity";
import type { Severity } from "../core/severity";
import type { Finding } from "../findings/model";

/**
 * Findings that relay a GuardDuty threat detection (VIGIL.GUARDDUTY.FINDING on an
 * `AWS::GuardDuty::Finding`), as opposed to configuration checks. The detector-tampering checks
 * (VIGIL.GUARDDUTY.DISABLED, …) judge the detector's configuration, so they are not threats here.
 */
export function isThreatDetection(finding: Pick<Finding, "checkId" | "resource">): boolean {
  return finding.resource.type === "AWS::GuardDuty::Finding" || finding.checkId === "VIGIL.GUARDDUTY.FINDING";
}

/** The parts of the GuardDuty check's evidence (shared/checks/guardduty-findings/finding.ts) the outputs use. */
const guardDutyEvidenceSchema = z.looseObject({
  type: z.string().optional(),
  severity: z.number().optional(),
  title: z.string().optional(),
  sample: z.boolean().optional(),
  eventFirstSeen: z.string().optional(),
  eventLastSeen: z.string().optional(),
  resource: z
    .looseObject({
      resourceType: z.string().optional(),
      instance: z.looseObject({ instanceId: z.string(), name: z.string().optional() }).optional(),
      accessKey: z
        .looseObject({ accessKeyId: z.string().optional(), userName: z.string().optional() })
        .optional(),
      s3Buckets: z.array(z.string()).optional(),
      eks: z.looseObject({ clusterName: z.string().optional() }).optional(),
      ecs: z.looseObject({ clusterName: z.string().optional(), taskArn: z.string().optional() }).optional(),
    })
    .optional(),
});
export type GuardDutyEvidence = z.infer<typeof guardDutyEvidenceSchema>;

/** The GuardDuty details of a threat finding, or undefined when its evidence doesn't have that shape. */
export function guardDutyEvidence(finding: Finding): GuardDutyEvidence | undefined {
  const parsed = guardDutyEvidenceSchema.safeParse(finding.evidence[0]);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The severity to report: GuardDuty's own rating for a threat finding (a resolved finding falls
 * back to the check's catalog severity in the store, which would misstate a Low finding as High),
 * else the finding's.
 */
export function reportedSeverity(finding: Finding): Severity {
  const rating = isThreatDetection(finding) ? guardDutyEvidence(finding)?.severity : undefined;
  return rating === undefined ? finding.severity : severityFromGuardDuty(rating);
}

/** The resource GuardDuty says was affected, named the way ASFF and OCSF name resources. */
export interface AffectedResource {
  /** ASFF resource type. */
  asffType: string;
  /** CloudFormation-style type for OCSF `resources[].type`. */
  type: string;
  /** ARN where one can be built; the access key id for access keys (as GuardDuty's own ASFF does). */
  id: string;
  name?: string;
}

export function affectedResource(
  evidence: GuardDutyEvidence | undefined,
  where: { partition: string; region: string; account: string },
): AffectedResource | undefined {
  const r = evidence?.resource;
  if (!r) return undefined;
  const { partition, region, account } = where;
  if (r.instance) {
    return {
      asffType: "AwsEc2Instance",
      type: "AWS::EC2::Instance",
      id: `arn:${partition}:ec2:${region}:${account}:instance/${r.instance.instanceId}`,
      ...(r.instance.name ? { name: r.instance.name } : {}),
    };
  }
  if (r.accessKey?.accessKeyId) {
    return {
      asffType: "AwsIamAccessKey",
      type: "AWS::IAM::AccessKey",
      id: r.accessKey.accessKeyId,
      ...(r.accessKey.userName ? { name: r.accessKey.userName } : {}),
    };
  }
  const bucket = r.s3Buckets?.[0];
  if (bucket)
    return { asffType: "AwsS3Bucket", type: "AWS::S3::Bucket", id: `arn:${partition}:s3:::${bucket}` };
  if (r.eks?.clusterName) {
    return {
      asffType: "AwsEksCluster",
      type: "AWS::EKS::Cluster",
      id: `arn:${partition}:eks:${region}:${account}:cluster/${r.eks.clusterName}`,
      name: r.eks.clusterName,
    };
  }
  if (r.ecs?.taskArn) return { asffType: "AwsEcsTask", type: "AWS::ECS::Task", id: r.ecs.taskArn };
  return undefined;
}

/**
 * ASFF `Types` namespace/category for a GuardDuty threat purpose (the part of the finding type
 * before `:`), after the mapping GuardDuty uses when it sends its findings to Security Hub (e.g.
 * `UnauthorizedAccess:EC2/SSHBruteForce` -> `TTPs/Initial Access/UnauthorizedAccess:EC2-SSHBruteForce`).
 */
const THREAT_PURPOSE_TYPES: Record<string, string> = {
  Backdoor: "TTPs/Command and Control",
  Behavior: "Unusual Behaviors/VM",
  CredentialAccess: "TTPs/Credential Access",
  CryptoCurrency: "Effects/Resource Consumption",
  DefenseEvasion: "TTPs/Defense Evasion",
  Discovery: "TTPs/Discovery",
  Execution: "TTPs/Execution",
  Exfiltration: "Effects/Data Exfiltration",
  Impact: "Effects/Resource Consumption",
  InitialAccess: "TTPs/Initial Access",
  PenTest: "TTPs/Discovery",
  Persistence: "TTPs/Persistence",
  Policy: "Software and Configuration Checks/Policy",
  PrivilegeEscalation: "TTPs/Privilege Escalation",
  Recon: "TTPs/Discovery",
  Stealth: "TTPs/Defense Evasion",
  Trojan: "TTPs/Command and Control",
  UnauthorizedAccess: "TTPs/Initial Access",
};

/** GuardDuty type -> ASFF type; `Unusual Behaviors` for an unknown threat purpose. */
export function asffThreatType(guardDutyType: string | undefined): string {
  if (!guardDutyType) return "Unusual Behaviors";
  const purpose = guardDutyType.split(":")[0] ?? "";
  // ASFF uses `/` as its separator, so GuardDuty's `/` becomes `-` (as GuardDuty itself does).
  const classifier = guardDutyType.replaceAll("/", "-");
  const prefix = THREAT_PURPOSE_TYPES[purpose];
  if (prefix) return `${prefix}/${classifier}`;
  // IAM-user behaviour findings sit under Unusual Behaviors/User in GuardDuty's mapping.
  return guardDutyType.includes(":IAMUser/") ? `Unusual Behaviors/User/${classifier}` : "Unusual Behaviors";
}
