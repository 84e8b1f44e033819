import { describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load";
import { checkById } from "../../shared/checks/catalog";
import type { TrailState } from "../../shared/resources/cloudtrail-trail/state";
import { TRAIL_ARN } from "./support";

const context = { config: parseConfig({}) };
const base: TrailState = { trailArn: TRAIL_ARN, trailName: "org-audit-trail" };
function check(id: string) {
  const found = checkById(id);
  if (!found || found.resourceType !== "AWS::CloudTrail::Trail") throw new Error(`no trail check ${id}`);
  return found as unknown as {
    evaluate(state: TrailState, c: typeof context): { summary: string; evidence: Record<string, unknown> }[];
    undecided?(state: TrailState, c: typeof context): string | undefined;
  } & typeof found;
}
const judge = (id: string, state: TrailState) => {
  const c = check(id);
  return c.undecided?.(state, context) ?? c.evaluate(state, context);
};

describe("CloudTrail checks (pure)", () => {
  it("catalog metadata: ids, severities, controls, triggers, reads", () => {
    const meta = [
      "VIGIL.CLOUDTRAIL.LOGGING_STOPPED",
      "VIGIL.CLOUDTRAIL.DELETED",
      "VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED",
      "CloudTrail.2",
      "CloudTrail.4",
    ].map((id) => {
      const c = check(id);
      return [id, c.severity, c.controls, c.triggers.cloudTrail[0]?.eventNames, c.iamActions, c.remediation];
    });
    expect(meta).toEqual([
      [
        "VIGIL.CLOUDTRAIL.LOGGING_STOPPED",
        "CRITICAL",
        [],
        ["StopLogging", "StartLogging"],
        ["cloudtrail:ListTags"],
        { id: "restore-cloudtrail-logging", defaultMode: "auto" },
      ],
      ["VIGIL.CLOUDTRAIL.DELETED", "CRITICAL", [], ["DeleteTrail"], ["cloudtrail:ListTags"], undefined],
      [
        "VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED",
        "HIGH",
        [],
        ["UpdateTrail"],
        ["cloudtrail:ListTags"],
        { id: "restore-cloudtrail-logging", defaultMode: "auto" },
      ],
      [
        "CloudTrail.2",
        "MEDIUM",
        ["FSBP CloudTrail.2", "CIS 3.5"],
        ["UpdateTrail"],
        ["cloudtrail:ListTags"],
        { id: "restore-cloudtrail-kms-key", defaultMode: "auto" },
      ],
      [
        "CloudTrail.4",
        "LOW",
        ["FSBP CloudTrail.4", "CIS 3.2"],
        ["UpdateTrail"],
        ["cloudtrail:ListTags"],
        { id: "restore-cloudtrail-logging", defaultMode: "auto" },
      ],
    ]);
  });

  it("LOGGING_STOPPED: off violates, on is compliant, unknown is undecided", () => {
    expect(judge("VIGIL.CLOUDTRAIL.LOGGING_STOPPED", { ...base, logging: false })).toEqual([
      {
        summary: "logging stopped on trail org-audit-trail",
        evidence: { trailArn: TRAIL_ARN, setting: "logging", logging: false },
      },
    ]);
    expect(judge("VIGIL.CLOUDTRAIL.LOGGING_STOPPED", { ...base, logging: true })).toEqual([]);
    expect(judge("VIGIL.CLOUDTRAIL.LOGGING_STOPPED", { ...base, deleted: true })).toMatch(/does not say/);
  });

  it("DELETED: a deletion violates; other calls leave it undecided", () => {
    expect(judge("VIGIL.CLOUDTRAIL.DELETED", { ...base, deleted: true })).toEqual([
      { summary: "trail org-audit-trail was deleted", evidence: { trailArn: TRAIL_ARN, deleted: true } },
    ]);
    expect(judge("VIGIL.CLOUDTRAIL.DELETED", { ...base, logging: false })).toMatch(/does not say/);
  });

  it("CloudTrail.4: validation off violates, on is compliant, unknown undecided", () => {
    expect(judge("CloudTrail.4", { ...base, logFileValidation: false })).toEqual([
      {
        summary: "log file validation is off on trail org-audit-trail",
        evidence: { trailArn: TRAIL_ARN, setting: "logFileValidation", logFileValidation: false },
      },
    ]);
    expect(judge("CloudTrail.4", { ...base, logFileValidation: true })).toEqual([]);
    expect(judge("CloudTrail.4", { ...base, logging: true })).toMatch(/does not say/);
  });

  it("CloudTrail.2: no key violates, a key is compliant, unknown undecided", () => {
    expect(judge("CloudTrail.2", { ...base, kmsKeyId: null })).toEqual([
      { summary: "trail org-audit-trail has no KMS key", evidence: { trailArn: TRAIL_ARN, kmsKeyId: null } },
    ]);
    expect(judge("CloudTrail.2", { ...base, kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" })).toEqual(
      [],
    );
    expect(judge("CloudTrail.2", base)).toMatch(/does not say/);
  });

  it("MULTI_REGION_DISABLED: turned off violates (keeps includeGlobalServiceEvents), on compliant, untouched undecided", () => {
    expect(
      judge("VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED", {
        ...base,
        multiRegion: false,
        includeGlobalServiceEvents: false,
      }),
    ).toEqual([
      {
        summary: "multi-Region logging was turned off on trail org-audit-trail",
        evidence: {
          trailArn: TRAIL_ARN,
          setting: "multiRegion",
          multiRegion: false,
          includeGlobalServiceEvents: false,
        },
      },
    ]);
    expect(judge("VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED", { ...base, multiRegion: true })).toEqual([]);
    expect(judge("VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED", { ...base, logFileValidation: false })).toMatch(
      /did not change/,
    );
  });
});
