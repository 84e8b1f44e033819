import { CloudTrailClient, StartLoggingCommand, UpdateTrailCommand } from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import type { RemediationClients } from "../../shared/remediations/define";
import restore from "../../shared/remediations/restore-cloudtrail-logging";
import type { TrailState } from "../../shared/resources/cloudtrail-trail/state";
import { TRAIL_ARN, awsError } from "./support";

const ctClient = new CloudTrailClient({ region: "us-east-1" });
const ct = mockClient(ctClient);
const clients = { cloudTrail: () => ctClient } as unknown as RemediationClients;
afterEach(() => ct.reset());

const state: TrailState = { trailArn: TRAIL_ARN, trailName: "org-audit-trail" };
const v = (evidence: Record<string, unknown>): Violation => ({
  summary: "s",
  evidence: { trailArn: TRAIL_ARN, ...evidence },
});
const run = (violations: Violation[], dryRun = false, s: TrailState = state) =>
  restore.apply({ state: s, violations, dryRun }, clients);

describe("restore-cloudtrail-logging", () => {
  it("StartLogging on the trail ARN, nothing else", async () => {
    ct.on(StartLoggingCommand).resolves({});
    const outcome = await run([v({ setting: "logging", logging: false })]);
    expect(outcome).toMatchObject({
      result: "succeeded",
      action: `${TRAIL_ARN}: logging restarted`,
      awsCalls: 1,
    });
    expect(outcome.undo).toBeUndefined();
    expect(outcome.detail).toMatch(/not undoable by design/);
    expect(ct.commandCalls(StartLoggingCommand).map((c) => c.args[0].input)).toEqual([{ Name: TRAIL_ARN }]);
    expect(ct.calls()).toHaveLength(1);
  });

  it("UpdateTrail restores exactly the weakened settings, confirmed by the answer", async () => {
    ct.on(UpdateTrailCommand).resolves({ LogFileValidationEnabled: true, IsMultiRegionTrail: true });
    const outcome = await run([
      v({ setting: "logFileValidation" }),
      v({ setting: "multiRegion", includeGlobalServiceEvents: true }),
    ]);
    expect(outcome.result).toBe("succeeded");
    expect(ct.commandCalls(UpdateTrailCommand).map((c) => c.args[0].input)).toEqual([
      { Name: TRAIL_ARN, EnableLogFileValidation: true, IsMultiRegionTrail: true },
    ]);
  });

  it("an answer that doesn't show the setting restored is a failure", async () => {
    ct.on(UpdateTrailCommand).resolves({ LogFileValidationEnabled: false });
    const outcome = await run([v({ setting: "logFileValidation" })]);
    expect(outcome).toMatchObject({
      result: "failed",
      action: expect.stringMatching(/did not confirm log file validation on/),
    });
  });

  it("multi-Region without global service events is not forced back; the finding stays open", async () => {
    ct.on(UpdateTrailCommand).resolves({ LogFileValidationEnabled: true });
    const only = await run([v({ setting: "multiRegion", includeGlobalServiceEvents: false })]);
    expect(only).toMatchObject({ result: "skipped", detail: expect.stringMatching(/global service events/) });
    expect(ct.calls()).toHaveLength(0);
    const mixed = await run([
      v({ setting: "logFileValidation" }),
      v({ setting: "multiRegion", includeGlobalServiceEvents: false }),
    ]);
    expect(mixed.result).toBe("failed");
    expect(ct.commandCalls(UpdateTrailCommand).map((c) => c.args[0].input)).toEqual([
      { Name: TRAIL_ARN, EnableLogFileValidation: true },
    ]);
  });

  it("dry-run plans and sends nothing", async () => {
    const outcome = await run([v({ setting: "logging" }), v({ setting: "logFileValidation" })], true);
    expect(outcome).toEqual({
      result: "planned",
      action: `StartLogging ${TRAIL_ARN}; UpdateTrail ${TRAIL_ARN} EnableLogFileValidation=true`,
      awsCalls: 0,
    });
    expect(ct.calls()).toHaveLength(0);
  });

  it("a trail outside the call's account/region is reported, not touched", async () => {
    const outcome = await run([v({ setting: "logging" })], false, {
      ...state,
      outOfScope: "trail X is outside",
    });
    expect(outcome).toMatchObject({ result: "skipped", action: "not remediated: trail X is outside" });
    expect(ct.calls()).toHaveLength(0);
  });

  it("a trail that is gone is skipped (finding stays open); throttling throws (the pipeline retries)", async () => {
    ct.on(StartLoggingCommand).rejects(awsError("TrailNotFoundException"));
    expect(await run([v({ setting: "logging" })])).toMatchObject({
      result: "skipped",
      action: expect.stringMatching(/no longer exists/),
    });
    ct.reset();
    ct.on(StartLoggingCommand).rejects(awsError("ThrottlingException"));
    await expect(run([v({ setting: "logging" })])).rejects.toThrow("ThrottlingException");
  });

  it("undo refuses: Vigil never turns logging back off", async () => {
    await expect(restore.undo({ remediationId: restore.id, params: {} }, clients)).rejects.toThrow(
      /not undoable by design/,
    );
    expect(ct.calls()).toHaveLength(0);
  });
});
