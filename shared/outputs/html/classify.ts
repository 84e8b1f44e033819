/**
 * Where a check belongs in the report: the compliance framework of each of its controls (from the
 * control's prefix) and one area (from its resource type, or its id where the type says too little).
 */

export interface ControlRef {
  framework: string;
  /** The requirement within the framework, e.g. `EC2.19` or `5.2`. */
  id: string;
}

/** The framework of checks that map to no published control. */
export const VIGIL_FRAMEWORK = "Vigil";

/** Framework order in the report; others follow in alphabetical order. */
export const FRAMEWORK_ORDER = ["AWS FSBP", "CIS v3.0.0", "Security Hub", "CIS v5.0.0", "CIS v1.2.0"];

/**
 * `FSBP EC2.19`, `SecurityHub EC2.53`, `CIS 5.2` (v3.0.0 unless a version follows: `CIS 1.2.0 4.1`),
 * `Dockle CIS-DI-0001`, `Kubernetes PSS Baseline`.
 */
export function parseControl(control: string): ControlRef {
  const words = control.trim().split(/\s+/);
  const [prefix = "", ...rest] = words;
  switch (prefix) {
    case "FSBP":
      return { framework: "AWS FSBP", id: rest.join(" ") };
    case "SecurityHub":
      return { framework: "Security Hub", id: rest.join(" ") };
    case "CIS": {
      const [first = "", ...after] = rest;
      // A three-part version (`1.2.0`) names an older or newer benchmark; bare numbers are v3.0.0.
      if (/^\d+\.\d+\.\d+$/.test(first) && after.length > 0)
        return { framework: `CIS v${first}`, id: after.join(" ") };
      return { framework: "CIS v3.0.0", id: rest.join(" ") };
    }
    case "Kubernetes":
      return rest[0] === "PSS"
        ? { framework: "Kubernetes PSS", id: rest.slice(1).join(" ") }
        : { framework: "Kubernetes", id: rest.join(" ") };
    default:
      return rest.length > 0
        ? { framework: prefix, id: rest.join(" ") }
        : { framework: "Other", id: control };
  }
}

/** Checks whose resource type alone would put them in the wrong area. */
const AREA_BY_CHECK: Record<string, string> = {
  "VIGIL.S3.DEFAULT_ENCRYPTION_REMOVED": "Encryption",
  "EC2.6": "Logging",
  "VIGIL.VPC.FLOW_LOG_DELETED": "Logging",
};

/** Resource type (exact, or a `AWS::Service::` prefix) to area; the first match wins. */
const AREA_BY_TYPE: readonly [string, string][] = [
  ["AWS::EC2::Instance", "Compute"],
  ["AWS::Lambda::", "Compute"],
  ["AWS::EC2::Volume", "Encryption"],
  ["AWS::EC2::EbsEncryptionByDefault", "Encryption"],
  ["AWS::KMS::", "Encryption"],
  ["AWS::RDS::", "Encryption"],
  ["AWS::SQS::", "Encryption"],
  ["AWS::SNS::", "Encryption"],
  ["AWS::EFS::", "Encryption"],
  ["AWS::EC2::", "Network"],
  ["AWS::ElasticLoadBalancingV2::", "Network"],
  ["AWS::CloudFront::", "Network"],
  ["AWS::S3::", "Storage"],
  ["AWS::IAM::", "IAM"],
  ["AWS::::Account", "IAM"],
  ["AWS::CloudTrail::", "Logging"],
  ["AWS::Config::", "Logging"],
  ["AWS::GuardDuty::", "Threat detection"],
  ["AWS::ECR::", "Containers"],
  ["AWS::ECS::", "Containers"],
  ["AWS::EKS::", "Containers"],
  ["AWS::SecretsManager::", "Secrets"],
];

export function areaOf(checkId: string, resourceType: string): string {
  const byCheck = AREA_BY_CHECK[checkId];
  if (byCheck) return byCheck;
  const match = AREA_BY_TYPE.find(([pattern]) =>
    pattern.endsWith("::") ? resourceType.startsWith(pattern) : resourceType === pattern,
  );
  if (match) return match[1];
  // An unmapped type still lands somewhere readable: its service name.
  return resourceType.split("::")[1] || "Other";
}
