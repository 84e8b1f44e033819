import { describe, expect, it } from "vitest";
import type { CheckDefinition } from "../../shared/checks/define";
import check from "../../shared/checks/guardduty-findings/finding";
import type { Severity } from "../../shared/core/severity";
import type { Finding, FindingStatus } from "../../shared/findings/model";
import { nextFinding, type TransitionInput } from "../../shared/pipeline/lifecycle";
import type { Observation } from "../../shared/resources/adapter";
import { ACCOUNT, REGION, SSH_FINDING, idFor } from "./support";

/** `CheckDefinition.realert`: an escalation is news for checks that ask for it, and for no other. */

const observation: Observation = {
  resource: {
    type: "AWS::GuardDuty::Finding",
    id: SSH_FINDING,
    arn: "arn:aws:guardduty:x",
    account: ACCOUNT,
    region: REGION,
  },
  state: undefined,
  complete: true,
  observedAt: "2025-03-14T22:58:35.112Z",
  tagsKnown: true,
};

function input(
  severity: Severity,
  options: { check?: CheckDefinition; minNotifySeverity?: Severity } = {},
): TransitionInput {
  return {
    result: {
      check: options.check ?? (check as CheckDefinition),
      mode: "dry-run",
      violations: [{ summary: "GuardDuty …", evidence: {}, severity }],
      exempt: [],
    },
    observation: { ...observation, state: {} as Observation["state"] },
    remediation: undefined,
    actor: undefined,
    eventId: "republished-event",
    eventTime: "2025-03-14T22:58:41Z",
    now: new Date("2025-03-14T23:00:00.000Z"),
    minNotifySeverity: options.minNotifySeverity ?? "LOW",
    flappingWindowMinutes: 60,
  };
}

function stored(severity: Severity, status: FindingStatus = "OPEN"): Finding {
  return {
    id: idFor(SSH_FINDING),
    checkId: check.id,
    title: check.title,
    controls: [],
    severity,
    resource: observation.resource,
    status,
    evidence: [],
    summary: "GuardDuty …",
    eventIds: ["first-event"],
    observedAt: "2025-03-14T16:58:14.903Z",
    firstSeen: "2025-03-14T17:00:00.000Z",
    lastSeen: "2025-03-14T17:00:00.000Z",
    history: [{ from: null, to: status, at: "2025-03-14T17:00:00.000Z" }],
    notificationPending: false,
    version: 3,
  };
}

describe("nextFinding with realert: on-severity-increase", () => {
  it("same severity: updated quietly (no pending alert), history unchanged", () => {
    const next = nextFinding(stored("LOW"), input("LOW"));
    expect(next).toMatchObject({ status: "OPEN", severity: "LOW", notificationPending: false });
    expect(next?.history).toHaveLength(1);
    expect(next?.eventIds).toEqual(["first-event", "republished-event"]);
  });

  it("a rise in severity is news: the alert is owed", () => {
    expect(nextFinding(stored("LOW"), input("HIGH"))).toMatchObject({
      status: "OPEN",
      severity: "HIGH",
      notificationPending: true,
    });
  });

  it("a rise on a quarantined (REMEDIATED) finding is news too", () => {
    const current = {
      ...stored("MEDIUM", "REMEDIATED"),
      remediation: {
        remediationId: "quarantine-instance",
        mode: "auto" as const,
        action: "moved",
        result: "succeeded" as const,
        time: "2025-03-14T17:00:00.000Z",
      },
    };
    const next = nextFinding(current, {
      ...input("CRITICAL"),
      remediation: { ...current.remediation, action: "already in quarantine", result: "already-gone" },
    });
    expect(next).toMatchObject({ status: "REMEDIATED", severity: "CRITICAL", notificationPending: true });
  });

  it("a drop in severity is not news", () => {
    expect(nextFinding(stored("HIGH"), input("LOW"))).toMatchObject({
      severity: "LOW",
      notificationPending: false,
    });
  });

  it("a rise that stays below minNotifySeverity is not announced", () => {
    expect(nextFinding(stored("LOW"), input("MEDIUM", { minNotifySeverity: "HIGH" }))).toMatchObject({
      severity: "MEDIUM",
      notificationPending: false,
    });
  });

  it("checks without realert keep today's behaviour: only status changes are news", () => {
    const { realert: _realert, ...plain } = check as CheckDefinition;
    expect(nextFinding(stored("LOW"), input("HIGH", { check: plain }))).toMatchObject({
      severity: "HIGH",
      notificationPending: false,
    });
  });
});
