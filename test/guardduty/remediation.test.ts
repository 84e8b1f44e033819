import {
  CreateDetectorCommand,
  GetDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  UpdateDetectorCommand,
} from "@aws-sdk/client-guardduty";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import type { RemediationClients } from "../../shared/remediations/define";
import restore from "../../shared/remediations/restore-guardduty-detector";
import type { DetectorState } from "../../shared/resources/guardduty-detector/state";
import { DETECTOR_ARN, DETECTOR_ID, NEW_DETECTOR_ID, REGION, awsError } from "./support";

const gdClient = new GuardDutyClient({ region: REGION });
const gd = mockClient(gdClient);
const clients = { guardDuty: () => gdClient } as unknown as RemediationClients;
afterEach(() => gd.reset());

const state: DetectorState = { detectorId: DETECTOR_ID, detectorArn: DETECTOR_ARN, region: REGION };
const suspended: Violation = {
  summary: "s",
  evidence: { detectorId: DETECTOR_ID, setting: "enabled", enabled: false },
};
const deleted: Violation = {
  summary: "s",
  evidence: { detectorId: DETECTOR_ID, setting: "deleted", deleted: true },
};
const run = (violations: Violation[], dryRun = false, s: DetectorState = state) =>
  restore.apply({ state: s, violations, dryRun }, clients);

describe("restore-guardduty-detector: suspended detector", () => {
  it("UpdateDetector Enable=true on exactly that detector, confirmed by GetDetector", async () => {
    gd.on(UpdateDetectorCommand).resolves({});
    gd.on(GetDetectorCommand).resolves({ Status: "ENABLED", ServiceRole: "r", CreatedAt: "x" });
    const outcome = await run([suspended]);
    expect(outcome).toMatchObject({
      result: "succeeded",
      action: `detector ${DETECTOR_ID}: re-enabled`,
      awsCalls: 2,
    });
    expect(outcome.undo).toBeUndefined();
    expect(gd.commandCalls(UpdateDetectorCommand).map((c) => c.args[0].input)).toEqual([
      { DetectorId: DETECTOR_ID, Enable: true },
    ]);
    expect(gd.commandCalls(GetDetectorCommand).map((c) => c.args[0].input)).toEqual([
      { DetectorId: DETECTOR_ID },
    ]);
    expect(gd.commandCalls(CreateDetectorCommand)).toHaveLength(0);
  });

  it("GetDetector still DISABLED: failed, the finding stays open", async () => {
    gd.on(UpdateDetectorCommand).resolves({});
    gd.on(GetDetectorCommand).resolves({ Status: "DISABLED" });
    expect(await run([suspended])).toMatchObject({
      result: "failed",
      action: expect.stringMatching(/DISABLED/),
    });
  });

  it("a detector that is gone is skipped, not fixed; throttling is thrown (the pipeline retries the event)", async () => {
    gd.on(UpdateDetectorCommand).rejects(
      awsError(
        "BadRequestException",
        "The request is rejected because the input detectorId is not owned by the current account.",
      ),
    );
    // Not "already-gone" (which marks the finding REMEDIATED): the Region may have no detector at all.
    expect(await run([suspended])).toEqual({
      result: "skipped",
      action: `detector ${DETECTOR_ID} no longer exists: nothing to re-enable (see VIGIL.GUARDDUTY.DELETED)`,
      awsCalls: 1,
    });
    expect(gd.commandCalls(GetDetectorCommand)).toHaveLength(0);
    gd.reset();
    gd.on(UpdateDetectorCommand).rejects(awsError("TooManyRequestsException"));
    await expect(run([suspended])).rejects.toThrow(/TooManyRequests/);
    // A bad request that merely mentions a detector is not "gone": it fails (thrown), never skipped as such.
    gd.reset();
    gd.on(UpdateDetectorCommand).rejects(
      awsError(
        "BadRequestException",
        "The request is rejected because a detector already exists for the current account.",
      ),
    );
    await expect(run([suspended])).rejects.toThrow(/already exists/);
  });

  it("dry-run plans and sends nothing", async () => {
    expect(await run([suspended], true)).toEqual({
      result: "planned",
      action: `UpdateDetector ${DETECTOR_ID} Enable=true`,
      awsCalls: 0,
    });
    expect(await run([deleted], true)).toEqual({
      result: "planned",
      action: "CreateDetector Enable=true in us-east-1 if no detector is left there",
      awsCalls: 0,
    });
    expect(gd.calls()).toHaveLength(0);
  });

  it("undo is refused by design", async () => {
    await expect(restore.undo({ remediationId: restore.id, params: {} }, clients)).rejects.toThrow(
      /not undoable by design/,
    );
    expect(restore.undoIamActions).toEqual([]);
    expect(gd.calls()).toHaveLength(0);
  });
});

describe("restore-guardduty-detector: deleted detector", () => {
  it("no detector left: CreateDetector Enable=true, the new id is recorded", async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    gd.on(CreateDetectorCommand).resolves({ DetectorId: NEW_DETECTOR_ID });
    const outcome = await run([deleted]);
    expect(outcome).toMatchObject({
      result: "succeeded",
      action: `created enabled detector ${NEW_DETECTOR_ID} in us-east-1 (replaces deleted ${DETECTOR_ID})`,
      detail: expect.stringContaining(`new detector id ${NEW_DETECTOR_ID}`),
      awsCalls: 2,
    });
    expect(gd.commandCalls(CreateDetectorCommand).map((c) => c.args[0].input)).toEqual([{ Enable: true }]);
  });

  it("a detector already exists: never a second one", async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [NEW_DETECTOR_ID] });
    gd.on(CreateDetectorCommand).resolves({ DetectorId: "should-not-happen" });
    expect(await run([deleted])).toMatchObject({
      result: "skipped",
      action: `not created: us-east-1 already has detector ${NEW_DETECTOR_ID}`,
    });
    expect(gd.commandCalls(CreateDetectorCommand)).toHaveLength(0);
  });

  it("a detector in another Region than the client's is left alone", async () => {
    const outcome = await run([deleted], false, { ...state, region: "eu-west-1" });
    expect(outcome).toMatchObject({
      result: "skipped",
      action: expect.stringMatching(/eu-west-1.*us-east-1/),
    });
    expect(gd.calls()).toHaveLength(0);
  });

  it("CreateDetector without an id in the answer is a failure", async () => {
    gd.on(ListDetectorsCommand).resolves({ DetectorIds: [] });
    gd.on(CreateDetectorCommand).resolves({});
    expect(await run([deleted])).toMatchObject({ result: "failed" });
  });
});
