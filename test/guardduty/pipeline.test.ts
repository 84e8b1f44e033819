import {
  CreateDetectorCommand,
  GetDetectorCommand,
  ListDetectorsCommand,
  ListTagsForResourceCommand,
  UpdateDetectorCommand,
} from "@aws-sdk/client-guardduty";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { DETECTOR_ARN, DETECTOR_ID, NEW_DETECTOR_ID, awsError, detectorEvent, idFor } from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.status] as const).sort();

function stubHealthyApi(t: TestRuntime) {
  t.guardDuty.on(ListTagsForResourceCommand).resolves({ Tags: {} });
  t.guardDuty.on(UpdateDetectorCommand).resolves({});
  t.guardDuty.on(GetDetectorCommand).resolves({ Status: "ENABLED" });
}

describe("GuardDuty tampering through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: UpdateDetector enable=false is re-enabled and the finding REMEDIATED with the actor", async () => {
    t = await testRuntime();
    stubHealthyApi(t);
    const report = await processEvent(detectorEvent("UpdateDetector-disable"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(t.guardDuty.commandCalls(UpdateDetectorCommand).map((c) => c.args[0].input)).toEqual([
      { DetectorId: DETECTOR_ID, Enable: true },
    ]);
    expect(t.guardDuty.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceArn: DETECTOR_ARN },
    ]);
    expect(t.guardDuty.commandCalls(CreateDetectorCommand)).toHaveLength(0);
    expect(await statuses(t)).toEqual([["VIGIL.GUARDDUTY.DISABLED", "REMEDIATED"]]);
    expect(await t.runtime.store.get(idFor("VIGIL.GUARDDUTY.DISABLED"))).toMatchObject({
      severity: "CRITICAL",
      controls: ["FSBP GuardDuty.1"],
      resource: { type: "AWS::GuardDuty::Detector", id: DETECTOR_ID, arn: DETECTOR_ARN },
      evidence: [{ detectorId: DETECTOR_ID, setting: "enabled", enabled: false }],
      actor: { arn: "arn:aws:iam::111122223333:user/build-bot" },
      remediation: { remediationId: "restore-guardduty-detector", mode: "auto", result: "succeeded" },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: UpdateDetector enable=true opens nothing, and resolves an open DISABLED finding", async () => {
    t = await testRuntime({ config: { modes: { "VIGIL.GUARDDUTY.DISABLED": "off" } } });
    stubHealthyApi(t);
    await processEvent(detectorEvent("UpdateDetector-disable"), t.runtime);
    expect(await statuses(t)).toEqual([["VIGIL.GUARDDUTY.DISABLED", "OPEN"]]);
    expect(t.guardDuty.commandCalls(UpdateDetectorCommand)).toHaveLength(0);

    expect((await processEvent(detectorEvent("UpdateDetector-enable"), t.runtime)).outcome).toBe("processed");
    expect(await statuses(t)).toEqual([["VIGIL.GUARDDUTY.DISABLED", "RESOLVED"]]);
    expect(t.guardDuty.commandCalls(UpdateDetectorCommand)).toHaveLength(0);
  });

  it("not applicable: an UpdateDetector that leaves `enable` alone opens nothing and sends nothing", async () => {
    t = await testRuntime();
    stubHealthyApi(t);
    await processEvent(detectorEvent("UpdateDetector-publishing-frequency"), t.runtime);
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
    expect(t.guardDuty.commandCalls(UpdateDetectorCommand)).toHaveLength(0);
  });

  it("DeleteDetector with none left: critical alert with the actor, a new detector, its id in the finding", async () => {
    t = await testRuntime();
    t.guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    t.guardDuty.on(CreateDetectorCommand).resolves({ DetectorId: NEW_DETECTOR_ID });
    expect((await processEvent(detectorEvent("DeleteDetector"), t.runtime)).outcome).toBe("processed");

    expect(t.guardDuty.commandCalls(CreateDetectorCommand).map((c) => c.args[0].input)).toEqual([
      { Enable: true },
    ]);
    // The deleted detector has no tags to read.
    expect(t.guardDuty.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
    const finding = await t.runtime.store.get(idFor("VIGIL.GUARDDUTY.DELETED"));
    expect(finding).toMatchObject({
      status: "REMEDIATED",
      severity: "CRITICAL",
      actor: { arn: "arn:aws:iam::111122223333:user/build-bot" },
      remediation: {
        result: "succeeded",
        action: expect.stringContaining(`created enabled detector ${NEW_DETECTOR_ID}`),
      },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("DeleteDetector when the Region already has a detector: no second one, the finding stays OPEN", async () => {
    t = await testRuntime();
    t.guardDuty.on(ListDetectorsCommand).resolves({ DetectorIds: [NEW_DETECTOR_ID] });
    await processEvent(detectorEvent("DeleteDetector"), t.runtime);
    expect(t.guardDuty.commandCalls(CreateDetectorCommand)).toHaveLength(0);
    expect(await statuses(t)).toEqual([["VIGIL.GUARDDUTY.DELETED", "OPEN"]]);
  });

  it("dry-run config: plans, sends no write", async () => {
    t = await testRuntime({
      config: {
        modes: { "VIGIL.GUARDDUTY.DISABLED": "dry-run", "VIGIL.GUARDDUTY.DELETED": "dry-run" },
      },
    });
    stubHealthyApi(t);
    await processEvent(detectorEvent("UpdateDetector-disable"), t.runtime);
    await processEvent(detectorEvent("DeleteDetector"), t.runtime);
    expect(t.guardDuty.commandCalls(UpdateDetectorCommand)).toHaveLength(0);
    expect(t.guardDuty.commandCalls(CreateDetectorCommand)).toHaveLength(0);
    expect(t.guardDuty.commandCalls(ListDetectorsCommand)).toHaveLength(0);
    expect(await statuses(t)).toEqual([
      ["VIGIL.GUARDDUTY.DELETED", "OPEN"],
      ["VIGIL.GUARDDUTY.DISABLED", "OPEN"],
    ]);
    expect(await t.runtime.store.get(idFor("VIGIL.GUARDDUTY.DISABLED"))).toMatchObject({
      remediation: {
        mode: "dry-run",
        result: "planned",
        action: `UpdateDetector ${DETECTOR_ID} Enable=true`,
      },
    });
  });

  it("throttled UpdateDetector fails the event (redelivery retries); the finding stays OPEN", async () => {
    t = await testRuntime();
    t.guardDuty.on(ListTagsForResourceCommand).resolves({ Tags: {} });
    t.guardDuty.on(UpdateDetectorCommand).rejects(awsError("TooManyRequestsException", "Rate exceeded"));
    await expect(processEvent(detectorEvent("UpdateDetector-disable"), t.runtime)).rejects.toThrow(
      /Rate exceeded/,
    );
    expect(await statuses(t)).toEqual([["VIGIL.GUARDDUTY.DISABLED", "OPEN"]]);
  });

  it("not applicable: a detector tagged exempt is suppressed, never touched", async () => {
    t = await testRuntime();
    stubHealthyApi(t);
    t.guardDuty
      .on(ListTagsForResourceCommand)
      .resolves({ Tags: { "vigil:exempt": "VIGIL.GUARDDUTY.DISABLED" } });
    await processEvent(detectorEvent("UpdateDetector-disable"), t.runtime);
    expect(t.guardDuty.commandCalls(UpdateDetectorCommand)).toHaveLength(0);
    expect(await statuses(t)).toEqual([["VIGIL.GUARDDUTY.DISABLED", "SUPPRESSED"]]);
  });

  it("malformed events are invalid and change nothing", async () => {
    t = await testRuntime();
    stubHealthyApi(t);
    const noParams = detectorEvent("UpdateDetector-disable");
    noParams.detail.requestParameters = null;
    const badId = detectorEvent("DeleteDetector");
    badId.detail.requestParameters = { detectorId: "" };
    const noDetail = detectorEvent("DeleteDetector");
    delete (noDetail as Record<string, unknown>).detail;
    for (const event of [noParams, badId, noDetail]) {
      expect(await processEvent(event, t.runtime)).toMatchObject({ outcome: "invalid" });
    }
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.guardDuty.calls()).toHaveLength(0);
    expect(t.notifier.alerts).toEqual([]);
  });
});
