import {
  GetDetectorCommand,
  GuardDutyClient,
  ListTagsForResourceCommand,
  UpdateDetectorCommand,
  type DetectorFeatureConfigurationResult,
} from "@aws-sdk/client-guardduty";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { processEvent } from "../../shared/pipeline/process-event";
import type { RemediationClients } from "../../shared/remediations/define";
import restore from "../../shared/remediations/restore-guardduty-detector";
import adapter from "../../shared/resources/guardduty-detector/adapter";
import type { DetectorState } from "../../shared/resources/guardduty-detector/state";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ACCOUNT, DETECTOR_ARN, DETECTOR_ID, REGION, detectorEvent, idFor } from "./support";

const CHECK = "VIGIL.GUARDDUTY.PROTECTION_DISABLED";
const context = { config: parseConfig({}) };
const base: DetectorState = { detectorId: DETECTOR_ID, detectorArn: DETECTOR_ARN, region: REGION };
function judge(state: DetectorState) {
  const c = checkById(CHECK) as unknown as {
    evaluate(s: DetectorState, ctx: typeof context): unknown[];
    undecided(s: DetectorState, ctx: typeof context): string | undefined;
  };
  return c.undecided(state, context) ?? c.evaluate(state, context);
}
const stateOf = (name: string) =>
  adapter.fromCloudTrail(cloudTrailDetailSchema.parse(detectorEvent(name).detail), ACCOUNT)[0]?.state;
const features = (fs: [string, "ENABLED" | "DISABLED"][]): DetectorFeatureConfigurationResult[] =>
  fs.map(([name, Status]) => ({ Name: name as DetectorFeatureConfigurationResult["Name"], Status }));

describe("protection plans: adapter and check", () => {
  it("features and legacy dataSources become per-plan changes; agent management turned off with its plan is kept", () => {
    expect(stateOf("UpdateDetector-disable-protections")?.protections).toEqual([
      { feature: "S3_DATA_EVENTS", enabled: false },
      { feature: "RUNTIME_MONITORING", enabled: false, agentsOff: ["EKS_ADDON_MANAGEMENT"] },
      { feature: "EBS_MALWARE_PROTECTION", enabled: true },
    ]);
    expect(stateOf("UpdateDetector-disable-datasources")?.protections).toEqual([
      { feature: "S3_DATA_EVENTS", enabled: true },
      { feature: "EKS_AUDIT_LOGS", enabled: false },
    ]);
    expect(stateOf("UpdateDetector-disable")?.protections).toBeUndefined();
  });

  it("each plan turned off is one violation naming it and its control; on-only or untouched is undecided", () => {
    expect(checkById(CHECK)).toMatchObject({
      severity: "HIGH",
      remediation: { id: "restore-guardduty-detector" },
    });
    expect(
      judge({
        ...base,
        protections: [
          { feature: "S3_DATA_EVENTS", enabled: false },
          { feature: "EKS_RUNTIME_MONITORING", enabled: false },
          { feature: "RDS_LOGIN_EVENTS", enabled: true },
        ],
      }),
    ).toEqual([
      {
        summary: `GuardDuty S3_DATA_EVENTS was turned off on detector ${DETECTOR_ID}`,
        evidence: {
          detectorId: DETECTOR_ID,
          setting: "protection",
          feature: "S3_DATA_EVENTS",
          control: "GuardDuty.10",
        },
        severity: "HIGH",
      },
      {
        summary: `GuardDuty EKS_RUNTIME_MONITORING was turned off on detector ${DETECTOR_ID}`,
        evidence: {
          detectorId: DETECTOR_ID,
          setting: "protection",
          feature: "EKS_RUNTIME_MONITORING",
          control: "GuardDuty.7",
        },
        severity: "MEDIUM",
      },
    ]);
    expect(judge({ ...base, protections: [{ feature: "S3_DATA_EVENTS", enabled: true }] })).toMatch(
      /no protection/,
    );
    expect(judge({ ...base, enabled: false })).toMatch(/no protection/);
  });
});

describe("protection plans: remediation", () => {
  const gdClient = new GuardDutyClient({ region: REGION });
  const gd = mockClient(gdClient);
  const clients = { guardDuty: () => gdClient } as unknown as RemediationClients;
  afterEach(() => gd.reset());
  const off = (feature: string) => ({
    summary: "s",
    evidence: { detectorId: DETECTOR_ID, setting: "protection", feature },
  });

  it("re-enables exactly the plans turned off (with the detector, in one call), confirmed by GetDetector", async () => {
    gd.on(UpdateDetectorCommand).resolves({});
    gd.on(GetDetectorCommand).resolves({
      Status: "ENABLED",
      Features: features([
        ["S3_DATA_EVENTS", "ENABLED"],
        ["RUNTIME_MONITORING", "ENABLED"],
        ["RDS_LOGIN_EVENTS", "DISABLED"],
      ]),
    });
    const violations = [
      off("S3_DATA_EVENTS"),
      off("RUNTIME_MONITORING"),
      { summary: "s", evidence: { detectorId: DETECTOR_ID, setting: "enabled", enabled: false } },
    ];
    const outcome = await restore.apply({ state: base, violations, dryRun: false }, clients);
    expect(outcome).toMatchObject({
      result: "succeeded",
      action: `detector ${DETECTOR_ID}: re-enabled, S3_DATA_EVENTS on, RUNTIME_MONITORING on`,
    });
    expect(gd.commandCalls(UpdateDetectorCommand).map((c) => c.args[0].input)).toEqual([
      {
        DetectorId: DETECTOR_ID,
        Enable: true,
        Features: [
          { Name: "S3_DATA_EVENTS", Status: "ENABLED" },
          { Name: "RUNTIME_MONITORING", Status: "ENABLED" },
        ],
      },
    ]);
  });

  it("a plan GetDetector doesn't show ENABLED fails the remediation; dry-run sends nothing", async () => {
    gd.on(UpdateDetectorCommand).resolves({});
    gd.on(GetDetectorCommand).resolves({
      Status: "ENABLED",
      Features: features([["EKS_AUDIT_LOGS", "DISABLED"]]),
    });
    const failed = await restore.apply(
      { state: base, violations: [off("EKS_AUDIT_LOGS")], dryRun: false },
      clients,
    );
    expect(failed).toMatchObject({
      result: "failed",
      action: expect.stringMatching(/does not confirm: EKS_AUDIT_LOGS$/),
    });
    gd.reset();
    const planned = await restore.apply(
      { state: base, violations: [off("EKS_AUDIT_LOGS")], dryRun: true },
      clients,
    );
    expect(planned).toEqual({
      result: "planned",
      action: `UpdateDetector ${DETECTOR_ID} Features EKS_AUDIT_LOGS=ENABLED`,
      awsCalls: 0,
    });
    expect(gd.calls()).toHaveLength(0);
  });

  const offWithAgents = (feature: string, agentsOff: string[]) => ({
    summary: "s",
    evidence: { detectorId: DETECTOR_ID, setting: "protection", feature, agentsOff, control: "GuardDuty.11" },
  });

  it("agent management turned off with its plan comes back with it, and GetDetector must confirm each", async () => {
    gd.on(UpdateDetectorCommand).resolves({});
    gd.on(GetDetectorCommand).resolves({
      Status: "ENABLED",
      Features: [
        {
          Name: "RUNTIME_MONITORING",
          Status: "ENABLED",
          AdditionalConfiguration: [
            { Name: "EKS_ADDON_MANAGEMENT", Status: "ENABLED" },
            { Name: "ECS_FARGATE_AGENT_MANAGEMENT", Status: "ENABLED" },
            { Name: "EC2_AGENT_MANAGEMENT", Status: "DISABLED" },
          ],
        },
      ],
    });
    const violations = [
      offWithAgents("RUNTIME_MONITORING", ["EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT"]),
    ];
    const outcome = await restore.apply({ state: base, violations, dryRun: false }, clients);
    expect(outcome).toMatchObject({
      result: "succeeded",
      action: `detector ${DETECTOR_ID}: RUNTIME_MONITORING on (with EKS_ADDON_MANAGEMENT, ECS_FARGATE_AGENT_MANAGEMENT)`,
    });
    // Only the agent management the call turned off: EC2_AGENT_MANAGEMENT is not named, so not touched.
    expect(gd.commandCalls(UpdateDetectorCommand).map((c) => c.args[0].input)).toEqual([
      {
        DetectorId: DETECTOR_ID,
        Features: [
          {
            Name: "RUNTIME_MONITORING",
            Status: "ENABLED",
            AdditionalConfiguration: [
              { Name: "EKS_ADDON_MANAGEMENT", Status: "ENABLED" },
              { Name: "ECS_FARGATE_AGENT_MANAGEMENT", Status: "ENABLED" },
            ],
          },
        ],
      },
    ]);

    // The plan is on but one agent management is not: failed, naming it.
    gd.reset();
    gd.on(UpdateDetectorCommand).resolves({});
    gd.on(GetDetectorCommand).resolves({
      Status: "ENABLED",
      Features: [
        {
          Name: "RUNTIME_MONITORING",
          Status: "ENABLED",
          AdditionalConfiguration: [{ Name: "EKS_ADDON_MANAGEMENT", Status: "DISABLED" }],
        },
      ],
    });
    expect(
      await restore.apply(
        {
          state: base,
          violations: [offWithAgents("RUNTIME_MONITORING", ["EKS_ADDON_MANAGEMENT"])],
          dryRun: false,
        },
        clients,
      ),
    ).toMatchObject({
      result: "failed",
      action: expect.stringMatching(/does not confirm: RUNTIME_MONITORING\/EKS_ADDON_MANAGEMENT$/),
    });
    expect(
      await restore.apply(
        {
          state: base,
          violations: [offWithAgents("RUNTIME_MONITORING", ["EKS_ADDON_MANAGEMENT"])],
          dryRun: true,
        },
        clients,
      ),
    ).toEqual({
      result: "planned",
      action: `UpdateDetector ${DETECTOR_ID} Features RUNTIME_MONITORING=ENABLED(EKS_ADDON_MANAGEMENT=ENABLED)`,
      awsCalls: 0,
    });
  });

  it("the check's evidence names the agent management turned off with the plan", () => {
    expect(
      judge({
        ...base,
        protections: [
          { feature: "RUNTIME_MONITORING", enabled: false, agentsOff: ["EC2_AGENT_MANAGEMENT"] },
          { feature: "EKS_RUNTIME_MONITORING", enabled: true },
        ],
      }),
    ).toEqual([
      {
        summary: `GuardDuty RUNTIME_MONITORING was turned off on detector ${DETECTOR_ID}`,
        evidence: {
          detectorId: DETECTOR_ID,
          setting: "protection",
          feature: "RUNTIME_MONITORING",
          agentsOff: ["EC2_AGENT_MANAGEMENT"],
          control: "GuardDuty.11",
        },
        severity: "HIGH",
      },
    ]);
  });
});

describe("protection plans through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant then compliant: turned off -> re-enabled and REMEDIATED; a later enable-only call changes nothing", async () => {
    t = await testRuntime();
    t.guardDuty.on(ListTagsForResourceCommand).resolves({ Tags: {} });
    t.guardDuty.on(UpdateDetectorCommand).resolves({});
    t.guardDuty.on(GetDetectorCommand).resolves({
      Status: "ENABLED",
      Features: [
        ...features([["S3_DATA_EVENTS", "ENABLED"]]),
        {
          Name: "RUNTIME_MONITORING",
          Status: "ENABLED",
          AdditionalConfiguration: [{ Name: "EKS_ADDON_MANAGEMENT", Status: "ENABLED" }],
        },
      ],
    });
    await processEvent(detectorEvent("UpdateDetector-disable-protections"), t.runtime);
    expect(t.guardDuty.commandCalls(UpdateDetectorCommand).map((c) => c.args[0].input)).toEqual([
      {
        DetectorId: DETECTOR_ID,
        Features: [
          { Name: "S3_DATA_EVENTS", Status: "ENABLED" },
          {
            Name: "RUNTIME_MONITORING",
            Status: "ENABLED",
            AdditionalConfiguration: [{ Name: "EKS_ADDON_MANAGEMENT", Status: "ENABLED" }],
          },
        ],
      },
    ]);
    const finding = await t.runtime.store.get(idFor(CHECK));
    expect(finding).toMatchObject({ status: "REMEDIATED", severity: "HIGH" });
    expect(finding?.evidence.map((e) => e.feature)).toEqual(["S3_DATA_EVENTS", "RUNTIME_MONITORING"]);

    await processEvent(detectorEvent("UpdateDetector-enable-protection"), t.runtime);
    expect(t.guardDuty.commandCalls(UpdateDetectorCommand)).toHaveLength(1);
    expect((await t.runtime.store.list()).map((f) => f.checkId)).toEqual([CHECK]);
  });
});
