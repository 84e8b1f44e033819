import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  ListTagsForResourceCommand,
  UpdateClusterConfigCommand,
} from "@aws-sdk/client-eks";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { CLUSTER, CLUSTER_ARN, awsError, describedCluster, eksEvent, idFor } from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.status] as const).sort();
const NETWORK_POLICY = "VIGIL.EKS.NETWORK_POLICY_DISABLED";
const accepted = { update: { id: "0d9c8b7a-6f5e-4d3c-8b2a-1f0e9d8c7b6a", status: "InProgress" as const } };

/**
 * The samples were recorded in March 2025, when 1.33 was the newest version: pinned as the oldest
 * supported one so "a supported version" stays true of them as the default moves with the calendar.
 */
const SAMPLES_ERA = { eksClusters: { oldestSupportedVersion: "1.33" } };

describe("EKS cluster posture through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  async function run(name: string, change?: (event: ReturnType<typeof eksEvent>) => void) {
    const event = eksEvent(name);
    change?.(event);
    return processEvent(event, t.runtime);
  }

  describe("CreateCluster", () => {
    it("non-compliant: EKS's defaults on an old version open EKS.1 (CRITICAL), .2, .3 and .8 in one alert; audit is only planned", async () => {
      t = await testRuntime();
      const report = await run("CreateCluster-defaults-old-version");
      expect(report.outcome).toBe("processed");
      expect(await statuses(t)).toEqual([
        ["EKS.1", "OPEN"],
        ["EKS.2", "OPEN"],
        ["EKS.3", "OPEN"],
        ["EKS.8", "OPEN"],
      ]);
      expect(await t.runtime.store.get(idFor("EKS.1", "legacy-batch"))).toMatchObject({
        severity: "CRITICAL",
        controls: ["FSBP EKS.1"],
        resource: {
          type: "AWS::EKS::Cluster",
          id: "legacy-batch",
          arn: CLUSTER_ARN.replace(CLUSTER, "legacy-batch"),
        },
        actor: { arn: "arn:aws:sts::111122223333:assumed-role/platform-admin/dana.okafor" },
      });
      expect(await t.runtime.store.get(idFor("EKS.2", "legacy-batch"))).toMatchObject({
        severity: "HIGH",
        evidence: [{ version: "1.29", oldestSupportedVersion: "1.34" }],
      });
      expect(await t.runtime.store.get(idFor("EKS.8", "legacy-batch"))).toMatchObject({
        severity: "MEDIUM",
        remediation: { remediationId: "enable-eks-audit-logging", mode: "dry-run", result: "planned" },
      });
      // The call carries the new cluster's tags: no tag read; dry-run: no write.
      expect(t.eks.commandCalls(ListTagsForResourceCommand)).toEqual([]);
      expect(t.eks.commandCalls(UpdateClusterConfigCommand)).toEqual([]);
      expect(t.notifier.alerts).toHaveLength(1);
    });

    it("compliant: a private, encrypted, audited cluster on a supported version opens nothing", async () => {
      t = await testRuntime({ config: SAMPLES_ERA });
      await run("CreateCluster-private-encrypted-audited");
      expect(await statuses(t)).toEqual([]);
      expect(t.notifier.alerts).toEqual([]);
      expect(t.eks.calls()).toEqual([]);
    });
  });

  describe("EKS.8 audit logging", () => {
    it("non-compliant: UpdateClusterConfig turning audit off opens EKS.8 (dry-run by default); nothing else", async () => {
      t = await testRuntime();
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      await run("UpdateClusterConfig-disable-audit-logging");
      expect(await statuses(t)).toEqual([["EKS.8", "OPEN"]]);
      expect(await t.runtime.store.get(idFor("EKS.8"))).toMatchObject({
        evidence: [{ clusterName: CLUSTER, setting: "logging", logType: "audit", enabled: false }],
        remediation: { mode: "dry-run", result: "planned" },
      });
      expect(t.eks.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([
        { resourceArn: CLUSTER_ARN },
      ]);
      expect(t.eks.commandCalls(UpdateClusterConfigCommand)).toEqual([]);
    });

    it("--mode auto turns exactly audit back on and the finding is REMEDIATED with an undo", async () => {
      t = await testRuntime({ config: { modes: { "EKS.8": "auto" } } });
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      t.eks.on(UpdateClusterConfigCommand).resolves(accepted);
      await run("UpdateClusterConfig-disable-audit-logging");
      expect(t.eks.commandCalls(UpdateClusterConfigCommand).map((c) => c.args[0].input)).toEqual([
        { name: CLUSTER, logging: { clusterLogging: [{ types: ["audit"], enabled: true }] } },
      ]);
      expect(await t.runtime.store.get(idFor("EKS.8"))).toMatchObject({
        status: "REMEDIATED",
        remediation: {
          mode: "auto",
          result: "succeeded",
          undo: {
            remediationId: "enable-eks-audit-logging",
            params: { clusterName: CLUSTER, exemptChecks: ["EKS.8"], exemptionTagKey: "vigil:exempt" },
          },
        },
      });
    });

    it("an update in progress fails the event so it is retried", async () => {
      t = await testRuntime({ config: { modes: { "EKS.8": "auto" } } });
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      t.eks
        .on(UpdateClusterConfigCommand)
        .rejects(awsError("ResourceInUseException", "Update already in progress"));
      await expect(run("UpdateClusterConfig-disable-audit-logging")).rejects.toThrow(/update in progress/);
      expect(await t.runtime.store.get(idFor("EKS.8"))).toMatchObject({
        status: "OPEN",
        remediation: { result: "failed" },
      });
    });

    it("compliant: turning audit on resolves the open finding", async () => {
      t = await testRuntime();
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      await run("UpdateClusterConfig-disable-audit-logging");
      await run("UpdateClusterConfig-enable-audit-logging");
      expect(await statuses(t)).toEqual([["EKS.8", "RESOLVED"]]);
    });

    it("not applicable: a change to another log type neither opens nor resolves EKS.8", async () => {
      t = await testRuntime();
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      await run("UpdateClusterConfig-disable-scheduler-logging");
      expect(await statuses(t)).toEqual([]);
      await run("UpdateClusterConfig-disable-audit-logging");
      await run("UpdateClusterConfig-disable-scheduler-logging");
      expect(await statuses(t)).toEqual([["EKS.8", "OPEN"]]);
    });

    it("a cluster tagged exempt from EKS.8: SUPPRESSED, never remediated", async () => {
      t = await testRuntime({ config: { modes: { "EKS.8": "auto" } } });
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: { "vigil:exempt": "EKS.8" } });
      await run("UpdateClusterConfig-disable-audit-logging");
      expect(await statuses(t)).toEqual([["EKS.8", "SUPPRESSED"]]);
      expect(t.eks.commandCalls(UpdateClusterConfigCommand)).toEqual([]);
    });
  });

  describe("EKS.1 public endpoint", () => {
    it("non-compliant: public to 0.0.0.0/0 is CRITICAL; compliant: going private resolves it", async () => {
      t = await testRuntime();
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      await run("UpdateClusterConfig-public-endpoint-world");
      expect(await t.runtime.store.get(idFor("EKS.1"))).toMatchObject({
        status: "OPEN",
        severity: "CRITICAL",
        evidence: [
          { endpointPublicAccess: true, endpointPrivateAccess: true, publicAccessCidrs: ["0.0.0.0/0"] },
        ],
      });
      expect(await statuses(t)).toEqual([["EKS.1", "OPEN"]]);
      await run("UpdateClusterConfig-private-endpoint");
      expect(await statuses(t)).toEqual([["EKS.1", "RESOLVED"]]);
    });

    it("public but limited to an office range: HIGH", async () => {
      t = await testRuntime();
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      await run("UpdateClusterConfig-public-endpoint-office");
      expect(await t.runtime.store.get(idFor("EKS.1"))).toMatchObject({ status: "OPEN", severity: "HIGH" });
    });

    it("a CIDR-only change is judged with the endpoint setting read live", async () => {
      t = await testRuntime();
      t.eks.on(DescribeClusterCommand).resolves(describedCluster());
      await run("UpdateClusterConfig-public-access-cidrs-only");
      expect(t.eks.commandCalls(DescribeClusterCommand).map((c) => c.args[0].input)).toEqual([
        { name: CLUSTER },
      ]);
      // The live tags came with the read: no second call for them.
      expect(t.eks.commandCalls(ListTagsForResourceCommand)).toEqual([]);
      expect(await t.runtime.store.get(idFor("EKS.1"))).toMatchObject({
        status: "OPEN",
        severity: "HIGH",
        evidence: [{ publicAccessCidrs: ["203.0.113.0/24", "198.51.100.0/24"] }],
      });
    });

    it("offline (no AWS access), a CIDR-only change is skipped as needing AWS, not judged", async () => {
      t = await testRuntime();
      t.runtime = { ...t.runtime, readClients: undefined };
      const report = await run("UpdateClusterConfig-public-access-cidrs-only");
      expect(report.outcome).toBe("ignored");
      expect(await statuses(t)).toEqual([]);
    });
  });

  describe("EKS.2, EKS.3 and Config items", () => {
    it("non-compliant Config item opens EKS.1/.2/.3/.8 with the item's tags; a compliant one resolves them all", async () => {
      t = await testRuntime({ config: SAMPLES_ERA });
      await run("config-item-noncompliant");
      expect(await statuses(t)).toEqual([
        ["EKS.1", "OPEN"],
        ["EKS.2", "OPEN"],
        ["EKS.3", "OPEN"],
        ["EKS.8", "OPEN"],
      ]);
      expect(t.eks.calls()).toEqual([]);
      await run("config-item-compliant");
      expect(await statuses(t)).toEqual([
        ["EKS.1", "RESOLVED"],
        ["EKS.2", "RESOLVED"],
        ["EKS.3", "RESOLVED"],
        ["EKS.8", "RESOLVED"],
      ]);
    });

    it("UpdateClusterVersion and AssociateEncryptionConfig resolve EKS.2 and EKS.3 only", async () => {
      t = await testRuntime({ config: SAMPLES_ERA });
      await run("config-item-noncompliant");
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      await run("UpdateClusterVersion", (e) => {
        (e.detail as Record<string, string>).eventTime = "2025-03-18T10:00:00Z";
      });
      await run("AssociateEncryptionConfig", (e) => {
        (e.detail as Record<string, string>).eventTime = "2025-03-18T10:05:00Z";
      });
      expect(await statuses(t)).toEqual([
        ["EKS.1", "OPEN"],
        ["EKS.2", "RESOLVED"],
        ["EKS.3", "RESOLVED"],
        ["EKS.8", "OPEN"],
      ]);
    });

    it("the oldest supported version is configurable (by default 1.34: a 1.33 cluster fails)", async () => {
      t = await testRuntime();
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      await run("UpdateClusterVersion");
      expect(await t.runtime.store.get(idFor("EKS.2"))).toMatchObject({
        status: "OPEN",
        evidence: [{ version: "1.33", oldestSupportedVersion: "1.34" }],
      });
    });

    it("a Config item without Logging or EncryptionConfig is completed by DescribeCluster before judging", async () => {
      t = await testRuntime({ config: SAMPLES_ERA });
      t.eks.on(DescribeClusterCommand).resolves(
        describedCluster({
          encryptionConfig: undefined,
          logging: {
            clusterLogging: [
              { types: ["api", "audit", "authenticator", "controllerManager", "scheduler"], enabled: false },
            ],
          },
        }),
      );
      await run("config-item-without-logging-or-encryption");
      expect(t.eks.commandCalls(DescribeClusterCommand)).toHaveLength(1);
      expect(await statuses(t)).toEqual([
        ["EKS.3", "OPEN"],
        ["EKS.8", "OPEN"],
      ]);
    });

    it("DeleteCluster (and a deleted Config item) resolve every finding of the cluster", async () => {
      t = await testRuntime();
      await run("config-item-noncompliant");
      await run("DeleteCluster", (e) => {
        (e.detail as Record<string, string>).eventTime = "2025-03-18T11:00:00Z";
      });
      expect((await statuses(t)).map(([, s]) => s)).toEqual(["RESOLVED", "RESOLVED", "RESOLVED", "RESOLVED"]);
      expect(t.eks.calls()).toEqual([]);
    });
  });

  describe("VIGIL.EKS.NETWORK_POLICY_DISABLED", () => {
    it("non-compliant: vpc-cni created without network policy; compliant: UpdateAddon enabling it resolves", async () => {
      t = await testRuntime();
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      await run("CreateAddon-vpc-cni-without-network-policy");
      expect(await t.runtime.store.get(idFor(NETWORK_POLICY))).toMatchObject({
        status: "OPEN",
        severity: "MEDIUM",
        controls: [],
        evidence: [{ addon: "vpc-cni", enableNetworkPolicy: false }],
      });
      expect(await statuses(t)).toEqual([[NETWORK_POLICY, "OPEN"]]);
      await run("UpdateAddon-vpc-cni-enable-network-policy");
      expect(await statuses(t)).toEqual([[NETWORK_POLICY, "RESOLVED"]]);
    });

    it("an UpdateAddon that keeps the values is judged on DescribeAddon's", async () => {
      t = await testRuntime();
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      t.eks
        .on(DescribeAddonCommand)
        .resolves({ addon: { addonName: "vpc-cni", configurationValues: '{"env":{}}' } });
      await run("UpdateAddon-vpc-cni-version-only");
      expect(t.eks.commandCalls(DescribeAddonCommand).map((c) => c.args[0].input)).toEqual([
        { clusterName: CLUSTER, addonName: "vpc-cni" },
      ]);
      expect(await statuses(t)).toEqual([[NETWORK_POLICY, "OPEN"]]);
    });

    it("DeleteAddon leaves the finding as it was (a preserved CNI keeps running unseen)", async () => {
      t = await testRuntime();
      t.eks.on(ListTagsForResourceCommand).resolves({ tags: {} });
      await run("UpdateAddon-vpc-cni-disable-network-policy");
      await run("DeleteAddon-vpc-cni-preserve");
      expect(await statuses(t)).toEqual([[NETWORK_POLICY, "OPEN"]]);
    });

    it("not applicable: another add-on, and YAML values that enable it, open nothing", async () => {
      t = await testRuntime();
      expect((await run("CreateAddon-coredns")).resources).toEqual([]);
      await run("CreateAddon-vpc-cni-network-policy-yaml");
      expect(await statuses(t)).toEqual([]);
      expect(t.eks.calls()).toEqual([]);
    });
  });

  describe("bad input", () => {
    it.each([
      ["no requestParameters", (e: ReturnType<typeof eksEvent>) => (e.detail.requestParameters = null)],
      [
        "a logging setting of the wrong shape",
        (e: ReturnType<typeof eksEvent>) =>
          (e.detail.requestParameters = { name: CLUSTER, logging: { clusterLogging: "audit" } }),
      ],
      ["no eventTime", (e: ReturnType<typeof eksEvent>) => delete e.detail.eventTime],
    ])("%s: invalid, nothing stored, nothing called", async (_, change) => {
      t = await testRuntime({ config: { modes: { "EKS.8": "auto" } } });
      const report = await run("UpdateClusterConfig-disable-audit-logging", change);
      expect(report.outcome).toBe("invalid");
      expect(await statuses(t)).toEqual([]);
      expect(t.eks.calls()).toEqual([]);
      expect(t.notifier.alerts).toEqual([]);
    });

    it("a failed call changed nothing: ignored", async () => {
      t = await testRuntime();
      const report = await run("UpdateClusterConfig-disable-audit-logging", (e) => {
        Object.assign(e.detail, { errorCode: "ResourceInUseException", responseElements: null });
      });
      expect(report.outcome).toBe("ignored");
      expect(await statuses(t)).toEqual([]);
    });

    it("a malformed Config item is invalid", async () => {
      t = await testRuntime();
      const report = await run("config-item-compliant", (e) => {
        (e.detail as { configurationItem: { configuration: unknown } }).configurationItem.configuration = {
          ResourcesVpcConfig: { EndpointPublicAccess: "sometimes" },
        };
      });
      expect(report.outcome).toBe("invalid");
      expect(await statuses(t)).toEqual([]);
    });
  });
});
