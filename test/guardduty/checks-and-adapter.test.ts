import { GuardDutyClient, ListTagsForResourceCommand } from "@aws-sdk/client-guardduty";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/guardduty-detector/adapter";
import type { DetectorState } from "../../shared/resources/guardduty-detector/state";
import { ACCOUNT, DETECTOR_ARN, DETECTOR_ID, REGION, awsError, detectorEvent } from "./support";

const context = { config: parseConfig({}) };
const base: DetectorState = { detectorId: DETECTOR_ID, detectorArn: DETECTOR_ARN, region: REGION };
function judge(id: string, state: DetectorState) {
  const found = checkById(id);
  if (!found || found.resourceType !== "AWS::GuardDuty::Detector") throw new Error(`no detector check ${id}`);
  const c = found as unknown as {
    evaluate(s: DetectorState, ctx: typeof context): unknown[];
    undecided?(s: DetectorState, ctx: typeof context): string | undefined;
  };
  return c.undecided?.(state, context) ?? c.evaluate(state, context);
}

const observe = (name: string, change: (detail: Record<string, unknown>) => void = () => {}) => {
  const event = detectorEvent(name);
  change(event.detail);
  return adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
};

const gdClient = new GuardDutyClient({ region: REGION });
const gd = mockClient(gdClient);
const clients = { guardDuty: () => gdClient } as unknown as ReadClients;
afterEach(() => gd.reset());

describe("GuardDuty checks (pure)", () => {
  it("catalog metadata", () => {
    const meta = ["VIGIL.GUARDDUTY.DISABLED", "VIGIL.GUARDDUTY.DELETED"].map((id) => {
      const c = checkById(id);
      return [c?.severity, c?.controls, c?.triggers, c?.iamActions, c?.remediation];
    });
    const reads = ["guardduty:GetDetector", "guardduty:ListDetectors", "guardduty:ListTagsForResource"];
    const remediation = { id: "restore-guardduty-detector", defaultMode: "auto" };
    const source = "guardduty.amazonaws.com";
    expect(meta).toEqual([
      [
        "CRITICAL",
        ["FSBP GuardDuty.1"],
        { cloudTrail: [{ eventSource: source, eventNames: ["UpdateDetector"] }], config: [] },
        reads,
        remediation,
      ],
      [
        "CRITICAL",
        ["FSBP GuardDuty.1"],
        { cloudTrail: [{ eventSource: source, eventNames: ["DeleteDetector"] }], config: [] },
        reads,
        remediation,
      ],
    ]);
  });

  it("DISABLED: suspended violates, enabled is compliant, unrelated or deletion calls are undecided", () => {
    expect(judge("VIGIL.GUARDDUTY.DISABLED", { ...base, enabled: false })).toEqual([
      {
        summary: `GuardDuty detector ${DETECTOR_ID} was suspended in us-east-1`,
        evidence: { detectorId: DETECTOR_ID, setting: "enabled", enabled: false },
      },
    ]);
    expect(judge("VIGIL.GUARDDUTY.DISABLED", { ...base, enabled: true })).toEqual([]);
    expect(judge("VIGIL.GUARDDUTY.DISABLED", base)).toMatch(/does not say/);
    expect(judge("VIGIL.GUARDDUTY.DISABLED", { ...base, deleted: true })).toMatch(/does not say/);
  });

  it("DELETED: a deletion violates; other calls are undecided", () => {
    expect(judge("VIGIL.GUARDDUTY.DELETED", { ...base, deleted: true })).toEqual([
      {
        summary: `GuardDuty detector ${DETECTOR_ID} was deleted in us-east-1`,
        evidence: { detectorId: DETECTOR_ID, setting: "deleted", deleted: true },
      },
    ]);
    expect(judge("VIGIL.GUARDDUTY.DELETED", { ...base, enabled: false })).toMatch(/does not say/);
  });
});

describe("GuardDuty detector adapter", () => {
  it("UpdateDetector enable=false: a complete view of `enabled`, resource id is the detector id", () => {
    expect(observe("UpdateDetector-disable")).toEqual([
      {
        resource: {
          type: "AWS::GuardDuty::Detector",
          id: DETECTOR_ID,
          arn: DETECTOR_ARN,
          account: ACCOUNT,
          region: REGION,
        },
        state: { ...base, enabled: false },
        complete: true,
        observedAt: "2025-03-16T02:15:02Z",
        tagsKnown: false,
      },
    ]);
    expect(observe("UpdateDetector-enable")[0]?.state).toEqual({ ...base, enabled: true });
    expect(observe("UpdateDetector-publishing-frequency")[0]?.state).toEqual(base);
  });

  it("DeleteDetector is a state that says deleted (not `state: undefined`, which would resolve findings)", () => {
    expect(observe("DeleteDetector")[0]?.state).toEqual({ ...base, deleted: true });
  });

  it("malformed requests are unusable events", () => {
    expect(() => observe("UpdateDetector-disable", (d) => (d.requestParameters = null))).toThrow(
      UnusableEventError,
    );
    expect(() =>
      observe(
        "UpdateDetector-disable",
        (d) => (d.requestParameters = { detectorId: "x/../y", enable: false }),
      ),
    ).toThrow(/not a GuardDuty detector id/);
    expect(() =>
      observe(
        "UpdateDetector-disable",
        (d) => (d.requestParameters = { detectorId: DETECTOR_ID, enable: "no" }),
      ),
    ).toThrow(UnusableEventError);
    expect(() => observe("DeleteDetector", (d) => (d.eventName = "CreateDetector"))).toThrow(/no GuardDuty/);
  });

  it("readTags: ListTagsForResource on the detector ARN; a deleted or missing detector has none", async () => {
    gd.on(ListTagsForResourceCommand).resolves({ Tags: { "vigil:exempt": "all" } });
    const [suspended] = observe("UpdateDetector-disable");
    if (!suspended) throw new Error("no observation");
    expect(await adapter.readTags(suspended, clients)).toEqual({ "vigil:exempt": "all" });
    expect(gd.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceArn: DETECTOR_ARN },
    ]);
    gd.reset();
    gd.on(ListTagsForResourceCommand).rejects(awsError("BadRequestException", "detector not found"));
    expect(await adapter.readTags(suspended, clients)).toEqual({});
    const [deleted] = observe("DeleteDetector");
    if (!deleted) throw new Error("no observation");
    gd.reset();
    expect(await adapter.readTags(deleted, clients)).toEqual({});
    expect(gd.calls()).toHaveLength(0);
    gd.on(ListTagsForResourceCommand).rejects(awsError("TooManyRequestsException"));
    await expect(adapter.readTags(suspended, clients)).rejects.toThrow(/TooManyRequests/);
    // Only "not owned"/"not found" means gone: any other bad request is a real failure, not "no tags".
    gd.reset();
    gd.on(ListTagsForResourceCommand).rejects(
      awsError(
        "BadRequestException",
        "The request is rejected because the input detectorId is not owned by the current account.",
      ),
    );
    expect(await adapter.readTags(suspended, clients)).toEqual({});
    gd.reset();
    gd.on(ListTagsForResourceCommand).rejects(
      awsError(
        "BadRequestException",
        "The request is rejected because an invalid or out-of-range value is specified as an input parameter.",
      ),
    );
    await expect(adapter.readTags(suspended, clients)).rejects.toThrow(/invalid or out-of-range/);
  });
});
