import { DescribeInstancesCommand, ModifyInstanceAttributeCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import type { VigilConfigInput } from "../../shared/config/schema";
import { alertText } from "../../shared/notifiers/format";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  BITCOIN_FINDING,
  CHECK_ID,
  ENI_ID,
  INSTANCE_ID,
  K8S_FINDING,
  QUARANTINE_GROUP,
  SAMPLE_FINDING,
  SSH_FINDING,
  WEB_GROUP,
  findingEvent,
  idFor,
  quarantineConfig,
} from "./support";

/** A clock that moves on by an hour per read, so `lastSeen` shows each update. */
function hourly(start = "2025-03-14T17:00:00.000Z") {
  let t = Date.parse(start);
  return () => {
    t += 3_600_000;
    return new Date(t);
  };
}

async function runtime(config: VigilConfigInput = {}): Promise<TestRuntime> {
  return testRuntime({ config, now: hourly() });
}

/** EC2 as DescribeInstances shows the instance: one interface unless told otherwise. */
function liveInstance(
  t: TestRuntime,
  groupsPerInterface: string[][] = [[WEB_GROUP]],
  tags: Record<string, string> = {},
) {
  t.ec2.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          {
            InstanceId: INSTANCE_ID,
            State: { Name: "running", Code: 16 },
            Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
            NetworkInterfaces: groupsPerInterface.map((groups, i) => ({
              NetworkInterfaceId: i === 0 ? ENI_ID : `eni-0c0ffee00000000${i}`,
              Attachment: { DeviceIndex: i },
              Groups: groups.map((GroupId) => ({ GroupId })),
            })),
          },
        ],
      },
    ],
  });
}
const modifyCalls = (t: TestRuntime) =>
  t.ec2.commandCalls(ModifyInstanceAttributeCommand).map((c) => c.args[0].input);

describe("GuardDuty findings through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: a finding opens with GuardDuty's severity, and the alert names type, resource and actor", async () => {
    t = await runtime();
    const report = await processEvent(findingEvent("ec2-ssh-bruteforce"), t.runtime);
    expect(report).toMatchObject({ outcome: "processed", resources: [{ alerted: true }] });

    const finding = await t.runtime.store.get(idFor(SSH_FINDING));
    expect(finding).toMatchObject({
      checkId: CHECK_ID,
      status: "OPEN",
      severity: "LOW",
      controls: [],
      resource: {
        type: "AWS::GuardDuty::Finding",
        id: SSH_FINDING,
        name: "UnauthorizedAccess:EC2/SSHBruteForce",
      },
      observedAt: "2025-03-14T16:58:14.903Z",
      evidence: [{ guardDutyFindingId: SSH_FINDING, count: 1, actor: { sourceIp: "203.0.113.66" } }],
      // Quarantine is off by default: nothing is planned, and the finding says why.
      remediation: {
        remediationId: "quarantine-instance",
        mode: "dry-run",
        result: "skipped",
        action: "no quarantine: quarantine is off (guardDuty.quarantine.enabled)",
      },
    });
    expect(t.ec2.calls()).toEqual([]);
    expect(t.notifier.alerts).toHaveLength(1);
    const text = alertText(t.notifier.alerts[0]!);
    expect(text).toContain(
      "[LOW] Vigil: 1 finding on AWS::GuardDuty::Finding e2c8a4f6b0d2e4a6c8e0f2b4d6a8c0e2 (UnauthorizedAccess:EC2/SSHBruteForce)",
    );
    expect(text).toContain("on instance i-0c5e7a9b1d3f24680 (legacy-reporting-01)");
    expect(text).toContain(
      "inbound TCP connection from 203.0.113.66 (Example Hosting, AS64512, Amsterdam, Netherlands) to port 22",
    );
  });

  it("republished (same id, higher count, later updatedAt): the finding is updated, no second alert", async () => {
    t = await runtime();
    await processEvent(findingEvent("ec2-ssh-bruteforce"), t.runtime);
    const first = await t.runtime.store.get(idFor(SSH_FINDING));
    const report = await processEvent(findingEvent("ec2-ssh-bruteforce-republished"), t.runtime);

    expect(report).toMatchObject({ outcome: "processed", resources: [{ alerted: false }] });
    const updated = await t.runtime.store.get(idFor(SSH_FINDING));
    expect(updated).toMatchObject({
      status: "OPEN",
      severity: "LOW",
      observedAt: "2025-03-14T22:58:35.112Z",
      evidence: [{ count: 14, eventLastSeen: "2025-03-14T22:51:02.000Z" }],
      notificationPending: false,
      firstSeen: first?.firstSeen,
    });
    expect(updated?.summary).toContain("seen 14 times, 2025-03-14T16:41:09Z to 2025-03-14T22:51:02Z");
    expect(Date.parse(updated?.lastSeen ?? "")).toBeGreaterThan(Date.parse(first?.lastSeen ?? ""));
    expect(updated?.eventIds).toHaveLength(2);
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("an older copy delivered after a newer one changes nothing", async () => {
    t = await runtime();
    await processEvent(findingEvent("ec2-ssh-bruteforce-republished"), t.runtime);
    await processEvent(findingEvent("ec2-ssh-bruteforce"), t.runtime);
    expect(await t.runtime.store.get(idFor(SSH_FINDING))).toMatchObject({ evidence: [{ count: 14 }] });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("republished with a higher severity: the finding takes the new severity and owes an alert", async () => {
    t = await runtime();
    await processEvent(findingEvent("ec2-ssh-bruteforce"), t.runtime);
    const escalated = findingEvent("ec2-ssh-bruteforce-republished");
    escalated.detail.severity = 8;
    await processEvent(escalated, t.runtime);
    expect(await t.runtime.store.get(idFor(SSH_FINDING))).toMatchObject({ status: "OPEN", severity: "HIGH" });
  });

  it("republished with a higher severity alerts again", async () => {
    t = await runtime();
    await processEvent(findingEvent("ec2-ssh-bruteforce"), t.runtime);
    const escalated = findingEvent("ec2-ssh-bruteforce-republished");
    escalated.detail.severity = 8;
    await processEvent(escalated, t.runtime);
    expect(t.notifier.alerts.map((a) => a.severity)).toEqual(["LOW", "HIGH"]);
    expect(await t.runtime.store.get(idFor(SSH_FINDING))).toMatchObject({ notificationPending: false });
  });

  it("compliant: archiving the finding in GuardDuty resolves the Vigil finding", async () => {
    t = await runtime();
    await processEvent(findingEvent("ec2-ssh-bruteforce"), t.runtime);
    await processEvent(findingEvent("ec2-ssh-bruteforce-archived"), t.runtime);
    const finding = await t.runtime.store.get(idFor(SSH_FINDING));
    expect(finding?.status).toBe("RESOLVED");
    expect(finding?.history.map((h) => h.to)).toEqual(["OPEN", "RESOLVED"]);
  });

  it("compliant: an archived finding never seen before, or one below guardDuty.minSeverity, opens nothing", async () => {
    t = await runtime({ guardDuty: { minSeverity: 4 } });
    expect((await processEvent(findingEvent("ec2-ssh-bruteforce-archived"), t.runtime)).outcome).toBe(
      "processed",
    );
    expect((await processEvent(findingEvent("ec2-ssh-bruteforce"), t.runtime)).outcome).toBe("processed");
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
  });

  it("a sample finding is labelled [SAMPLE] in the finding and the alert, and never quarantined", async () => {
    t = await runtime({ ...quarantineConfig(), modes: { [CHECK_ID]: "auto" } });
    await processEvent(findingEvent("sample-ec2-bitcoin-dns"), t.runtime);
    const finding = await t.runtime.store.get(idFor(SAMPLE_FINDING));
    expect(finding).toMatchObject({
      status: "OPEN",
      severity: "HIGH",
      resource: { name: "[SAMPLE] CryptoCurrency:EC2/BitcoinTool.B!DNS" },
      remediation: {
        mode: "auto",
        result: "skipped",
        action: "no quarantine: sample finding: never quarantined",
      },
    });
    expect(finding?.summary.startsWith("[SAMPLE] ")).toBe(true);
    expect(t.ec2.calls()).toEqual([]);
    const text = alertText(t.notifier.alerts[0]!);
    expect(text).toContain("([SAMPLE] CryptoCurrency:EC2/BitcoinTool.B!DNS)");
    expect(text).toContain("Problem: [SAMPLE] GuardDuty CryptoCurrency:EC2/BitcoinTool.B!DNS");
  });

  it("Kubernetes: the finding and its alert name cluster, namespace, pod, image and the user", async () => {
    t = await runtime();
    await processEvent(findingEvent("kubernetes-privileged-container"), t.runtime);
    expect(await t.runtime.store.get(idFor(K8S_FINDING))).toMatchObject({
      status: "OPEN",
      severity: "MEDIUM",
      evidence: [
        {
          resource: {
            eks: {
              clusterName: "orders-prod",
              namespace: "orders",
              workloadName: "debug-shell",
              images: ["alpine:3.21"],
              privilegedContainers: ["shell"],
            },
          },
          actor: { type: "KubernetesUser", userName: "dana.lee@example.com", sourceIp: "198.51.100.23" },
        },
      ],
      remediation: {
        result: "skipped",
        action: "no quarantine: quarantine is off (guardDuty.quarantine.enabled)",
      },
    });
    const text = alertText(t.notifier.alerts[0]!);
    expect(text).toContain("EKS cluster orders-prod, namespace orders, pods debug-shell (image alpine:3.21)");
    expect(text).toContain("by dana.lee@example.com from 198.51.100.23");
  });

  it("a config exemption by CIDR suppresses findings from that remote address", async () => {
    t = await runtime({
      exemptions: [{ checks: [CHECK_ID], cidrs: ["203.0.113.0/24"], reason: "our external scanner" }],
    });
    await processEvent(findingEvent("ec2-ssh-bruteforce"), t.runtime);
    expect(await t.runtime.store.get(idFor(SSH_FINDING))).toMatchObject({
      status: "SUPPRESSED",
      suppression: { source: "config", reason: "our external scanner" },
    });
    expect(t.notifier.alerts).toEqual([]);
  });

  it.each([
    ["a finding id with a slash", (d: Record<string, unknown>) => (d.id = "../../etc")],
    ["no severity", (d: Record<string, unknown>) => delete d.severity],
    ["no resource", (d: Record<string, unknown>) => delete d.resource],
  ])("bad input (%s): outcome invalid, nothing stored, no alert, no AWS call", async (_name, edit) => {
    t = await runtime(quarantineConfig());
    const event = findingEvent("ec2-bitcoin-tool-outbound");
    edit(event.detail);
    expect(await processEvent(event, t.runtime)).toMatchObject({ outcome: "invalid" });
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
    expect(t.ec2.calls()).toEqual([]);
  });
});

describe("GuardDuty quarantine response (guardDuty.quarantine)", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("enabled, default mode dry-run: the plan is recorded, nothing is called", async () => {
    t = await runtime(quarantineConfig());
    await processEvent(findingEvent("ec2-bitcoin-tool-outbound"), t.runtime);
    expect(t.ec2.calls()).toEqual([]);
    expect(await t.runtime.store.get(idFor(BITCOIN_FINDING))).toMatchObject({
      status: "OPEN",
      severity: "HIGH",
      remediation: {
        mode: "dry-run",
        result: "planned",
        action: `ModifyInstanceAttribute ${INSTANCE_ID} Groups=${QUARANTINE_GROUP} (now ${WEB_GROUP} on ${ENI_ID})`,
      },
    });
  });

  it("auto: the instance gets exactly the quarantine group; the undo payload keeps its groups; a republish changes nothing", async () => {
    t = await runtime({ ...quarantineConfig(), modes: { [CHECK_ID]: "auto" } });
    liveInstance(t);
    t.ec2.on(ModifyInstanceAttributeCommand).resolves({});
    await processEvent(findingEvent("ec2-bitcoin-tool-outbound"), t.runtime);

    expect(t.ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceIds: [INSTANCE_ID] },
    ]);
    expect(modifyCalls(t)).toEqual([{ InstanceId: INSTANCE_ID, Groups: [QUARANTINE_GROUP] }]);
    const finding = await t.runtime.store.get(idFor(BITCOIN_FINDING));
    expect(finding).toMatchObject({
      status: "REMEDIATED",
      remediation: {
        mode: "auto",
        result: "succeeded",
        action: `moved ${INSTANCE_ID} (${ENI_ID}) from ${WEB_GROUP} to quarantine group ${QUARANTINE_GROUP}`,
        undo: {
          remediationId: "quarantine-instance",
          params: {
            instanceId: INSTANCE_ID,
            quarantineGroupId: QUARANTINE_GROUP,
            optOutTagKey: "vigil:no-quarantine",
            networkInterfaces: [{ networkInterfaceId: ENI_ID, groups: [WEB_GROUP] }],
          },
        },
      },
    });
    expect(t.notifier.alerts).toHaveLength(1);

    // GuardDuty republishes it: EC2 now shows the quarantine group, so nothing is called again.
    liveInstance(t, [[QUARANTINE_GROUP]]);
    const republished = findingEvent("ec2-bitcoin-tool-outbound");
    Object.assign(republished, { id: "4d2f8b61-9e3a-4c07-b1d5-6a8e0c2f4b79" });
    Object.assign(republished.detail, { updatedAt: "2025-03-16T14:15:02.331Z" });
    republished.detail.service.count = 9;
    await processEvent(republished, t.runtime);
    expect(modifyCalls(t)).toHaveLength(1);
    expect(await t.runtime.store.get(idFor(BITCOIN_FINDING))).toMatchObject({
      status: "REMEDIATED",
      evidence: [{ count: 9 }],
      // The first, undoable record stays.
      remediation: {
        result: "succeeded",
        undo: { params: { networkInterfaces: [{ groups: [WEB_GROUP] }] } },
      },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it.each<[string, (t: TestRuntime) => void, string]>([
    [
      "the live instance has two interfaces",
      (t) => liveInstance(t, [[WEB_GROUP], [WEB_GROUP]]),
      `no quarantine: ${INSTANCE_ID} has 2 network interfaces: quarantine it by hand (ModifyNetworkInterfaceAttribute per interface)`,
    ],
    [
      "the instance is opted out",
      (t) => liveInstance(t, [[WEB_GROUP]], { "vigil:no-quarantine": "restored with vigil undo" }),
      `no quarantine: ${INSTANCE_ID} is tagged vigil:no-quarantine (opted out of quarantine)`,
    ],
    [
      "the instance is gone",
      (t) =>
        t.ec2
          .on(DescribeInstancesCommand)
          .rejects(Object.assign(new Error("gone"), { name: "InvalidInstanceID.NotFound", $metadata: {} })),
      `no quarantine: ${INSTANCE_ID} no longer exists`,
    ],
  ])("auto, but %s: skipped, nothing modified, the finding stays OPEN", async (_name, stub, action) => {
    t = await runtime({ ...quarantineConfig(), modes: { [CHECK_ID]: "auto" } });
    stub(t);
    await processEvent(findingEvent("ec2-bitcoin-tool-outbound"), t.runtime);
    expect(modifyCalls(t)).toEqual([]);
    expect(await t.runtime.store.get(idFor(BITCOIN_FINDING))).toMatchObject({
      status: "OPEN",
      remediation: { mode: "auto", result: "skipped", action },
    });
  });

  it("auto, and EC2 refuses the group: the remediation FAILED, the finding stays OPEN", async () => {
    t = await runtime({ ...quarantineConfig(), modes: { [CHECK_ID]: "auto" } });
    liveInstance(t);
    t.ec2.on(ModifyInstanceAttributeCommand).rejects(
      Object.assign(new Error("The security group does not exist"), {
        name: "InvalidGroup.NotFound",
        $metadata: {},
      }),
    );
    await processEvent(findingEvent("ec2-bitcoin-tool-outbound"), t.runtime);
    expect(await t.runtime.store.get(idFor(BITCOIN_FINDING))).toMatchObject({
      status: "OPEN",
      remediation: { result: "failed", detail: "The security group does not exist" },
    });
  });

  it("auto, but the finding's type or severity is not configured to quarantine: no AWS call", async () => {
    t = await runtime({
      ...quarantineConfig({ findingTypes: ["Backdoor:EC2/*"] }),
      modes: { [CHECK_ID]: "auto" },
    });
    await processEvent(findingEvent("ec2-bitcoin-tool-outbound"), t.runtime);
    await processEvent(findingEvent("ec2-ssh-bruteforce"), t.runtime);
    expect(t.ec2.calls()).toEqual([]);
    expect((await t.runtime.store.list()).map((f) => f.remediation?.result)).toEqual(["skipped", "skipped"]);
  });
});
