import { describe, expect, it } from "vitest";
import { isOlderThan, minorVersion } from "../../shared/checks/eks/kubernetes-version";
import { vigilConfigSchema } from "../../shared/config/schema";
import { baseState, eksCheck, judge, KEY_ARN } from "./support";

const CLUSTER_CALLS = (...names: string[]) => ["CreateCluster", ...names, "DeleteCluster"];
const reads = ["eks:DescribeAddon", "eks:DescribeCluster", "eks:ListTagsForResource"];
const source = "eks.amazonaws.com";

describe("EKS cluster checks: catalog metadata", () => {
  it.each([
    ["EKS.1", "HIGH", ["FSBP EKS.1"], CLUSTER_CALLS("UpdateClusterConfig"), ["AWS::EKS::Cluster"], undefined],
    [
      "EKS.2",
      "HIGH",
      ["FSBP EKS.2"],
      CLUSTER_CALLS("UpdateClusterVersion"),
      ["AWS::EKS::Cluster"],
      undefined,
    ],
    [
      "EKS.3",
      "MEDIUM",
      ["FSBP EKS.3"],
      CLUSTER_CALLS("AssociateEncryptionConfig"),
      ["AWS::EKS::Cluster"],
      undefined,
    ],
    [
      "EKS.8",
      "MEDIUM",
      ["FSBP EKS.8"],
      CLUSTER_CALLS("UpdateClusterConfig"),
      ["AWS::EKS::Cluster"],
      { id: "enable-eks-audit-logging", defaultMode: "dry-run" },
    ],
    [
      "VIGIL.EKS.NETWORK_POLICY_DISABLED",
      "MEDIUM",
      [],
      ["CreateAddon", "UpdateAddon", "DeleteAddon", "DeleteCluster"],
      [],
      undefined,
    ],
  ])("%s", (id, severity, controls, eventNames, config, remediation) => {
    const check = eksCheck(id);
    expect(check).toMatchObject({
      severity,
      controls,
      resourceType: "AWS::EKS::Cluster",
      triggers: { cloudTrail: [{ eventSource: source, eventNames }], config },
      iamActions: reads,
    });
    expect(check?.remediation).toEqual(remediation);
  });
});

describe("EKS.1 public endpoint (pure)", () => {
  it("non-compliant: public and open to the world is CRITICAL", () => {
    const endpoint = { publicAccess: true, privateAccess: false, publicAccessCidrs: ["0.0.0.0/0"] };
    expect(judge("EKS.1", { ...baseState, endpoint })).toEqual([
      {
        summary: "EKS cluster payments-prod has a public API server endpoint open to 0.0.0.0/0",
        evidence: {
          clusterName: "payments-prod",
          setting: "endpointPublicAccess",
          endpointPublicAccess: true,
          endpointPrivateAccess: false,
          publicAccessCidrs: ["0.0.0.0/0"],
        },
        severity: "CRITICAL",
      },
    ]);
  });

  it("non-compliant: public but limited to known networks keeps the control's HIGH", () => {
    const endpoint = { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] };
    const [violation, ...rest] = judge("EKS.1", { ...baseState, endpoint }) as {
      severity?: string;
      summary: string;
    }[];
    expect(rest).toEqual([]);
    expect(violation?.severity).toBeUndefined();
    expect(violation?.summary).toMatch(/allowed from 203\.0\.113\.0\/24/);
  });

  it("an IPv6 world range counts as the world too", () => {
    const endpoint = { publicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "::/0"] };
    expect(judge("EKS.1", { ...baseState, endpoint })).toMatchObject([{ severity: "CRITICAL" }]);
  });

  it("compliant: a private-only endpoint", () => {
    expect(judge("EKS.1", { ...baseState, endpoint: { publicAccess: false, privateAccess: true } })).toEqual(
      [],
    );
  });

  it("undecided when the view doesn't say whether, or from where, it is public", () => {
    expect(judge("EKS.1", baseState)).toMatch(/does not say/);
    expect(judge("EKS.1", { ...baseState, endpoint: { publicAccessCidrs: ["203.0.113.0/24"] } })).toMatch(
      /does not say/,
    );
    expect(judge("EKS.1", { ...baseState, endpoint: { publicAccess: true } })).toMatch(/does not say/);
  });
});

describe("EKS.2 supported version (pure)", () => {
  it("compares minor versions as numbers, not text", () => {
    expect(minorVersion("1.32")).toEqual([1, 32]);
    expect(minorVersion("v1.9.3")).toEqual([1, 9]);
    expect(minorVersion("latest")).toBeUndefined();
    expect(isOlderThan("1.9", "1.30")).toBe(true);
    expect(isOlderThan("1.100", "1.32")).toBe(false);
    expect(isOlderThan("1.32", "1.32")).toBe(false);
    expect(isOlderThan("2.0", "1.32")).toBe(false);
  });

  it("non-compliant: older than the default oldest supported version", () => {
    expect(vigilConfigSchema.parse({}).eksClusters.oldestSupportedVersion).toBe("1.34");
    expect(judge("EKS.2", { ...baseState, version: "1.29" })).toEqual([
      {
        summary: "EKS cluster payments-prod runs Kubernetes 1.29, older than the oldest supported 1.34",
        evidence: {
          clusterName: "payments-prod",
          setting: "version",
          version: "1.29",
          oldestSupportedVersion: "1.34",
        },
      },
    ]);
  });

  it("compliant at or above it; the setting moves the line", () => {
    expect(judge("EKS.2", { ...baseState, version: "1.34" })).toEqual([]);
    expect(judge("EKS.2", { ...baseState, version: "1.35" })).toEqual([]);
    expect(judge("EKS.2", { ...baseState, version: "1.33" })).toHaveLength(1);
    expect(
      judge("EKS.2", { ...baseState, version: "1.35" }, { eksClusters: { oldestSupportedVersion: "1.36" } }),
    ).toHaveLength(1);
    expect(
      judge("EKS.2", { ...baseState, version: "1.33" }, { eksClusters: { oldestSupportedVersion: "1.32" } }),
    ).toEqual([]);
  });

  it("undecided without a version, or with one it can't compare", () => {
    expect(judge("EKS.2", baseState)).toMatch(/does not say/);
    expect(judge("EKS.2", { ...baseState, version: "next" })).toMatch(/can compare/);
  });

  it("the setting must be a minor version", () => {
    expect(() => vigilConfigSchema.parse({ eksClusters: { oldestSupportedVersion: "1.30.2" } })).toThrow();
    expect(() => vigilConfigSchema.parse({ eksClusters: { oldestSupportedVersion: "latest" } })).toThrow();
    expect(() => vigilConfigSchema.parse({ eksClusters: { oldest: "1.30" } } as never)).toThrow();
  });
});

describe("EKS.3 secrets encryption (pure)", () => {
  it("non-compliant without a KMS key for secrets", () => {
    expect(judge("EKS.3", { ...baseState, secretsKeyArn: null })).toEqual([
      {
        summary: "EKS cluster payments-prod does not encrypt Kubernetes secrets with a KMS key",
        evidence: { clusterName: "payments-prod", setting: "secretsEncryption", encrypted: false },
      },
    ]);
  });
  it("compliant with one; undecided when unknown", () => {
    expect(judge("EKS.3", { ...baseState, secretsKeyArn: KEY_ARN })).toEqual([]);
    expect(judge("EKS.3", baseState)).toMatch(/does not say/);
  });
});

describe("EKS.8 audit logging (pure)", () => {
  it("non-compliant when audit is off, whatever the other types", () => {
    expect(judge("EKS.8", { ...baseState, logTypes: { api: true, audit: false } })).toEqual([
      {
        summary: "EKS cluster payments-prod does not send its Kubernetes audit log to CloudWatch Logs",
        evidence: { clusterName: "payments-prod", setting: "logging", logType: "audit", enabled: false },
      },
    ]);
  });
  it("compliant when on; undecided when the view doesn't name audit (e.g. a scheduler-only update)", () => {
    expect(judge("EKS.8", { ...baseState, logTypes: { audit: true, api: false } })).toEqual([]);
    expect(judge("EKS.8", { ...baseState, logTypes: { scheduler: false } })).toMatch(/does not say/);
  });
});

describe("VIGIL.EKS.NETWORK_POLICY_DISABLED (pure)", () => {
  const id = "VIGIL.EKS.NETWORK_POLICY_DISABLED";
  it("non-compliant when the managed vpc-cni doesn't enforce policies", () => {
    expect(judge(id, { ...baseState, vpcCni: { managed: true, networkPolicy: false } })).toEqual([
      {
        summary: "EKS cluster payments-prod: the vpc-cni add-on does not enforce network policies",
        evidence: {
          clusterName: "payments-prod",
          setting: "enableNetworkPolicy",
          addon: "vpc-cni",
          enableNetworkPolicy: false,
        },
      },
    ]);
  });
  it("compliant when it does", () => {
    expect(judge(id, { ...baseState, vpcCni: { managed: true, networkPolicy: true } })).toEqual([]);
  });
  it("undecided: no add-on in view, an unmanaged (deleted) add-on, an unreadable configuration", () => {
    expect(judge(id, baseState)).toMatch(/does not show/);
    expect(judge(id, { ...baseState, vpcCni: { managed: false } })).toMatch(/not an EKS managed add-on/);
    expect(judge(id, { ...baseState, vpcCni: { managed: true, unreadable: "CloudTrail hid it" } })).toMatch(
      /can't be read: CloudTrail hid it/,
    );
  });
});
