import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnsAlertPayload } from "../../shared/notifiers/sns";
import {
  report,
  SSH_CHECKS,
  startFaultHarness,
  type Delivery,
  type FaultHarness,
  type TestGroup,
} from "./harness";

/**
 * Two handlers on one resource at once: the CloudTrail event for a world-open SSH rule and the Config
 * item that records the same change arrive together and run concurrently (two Lambda instances).
 * Both see the violation; one revokes by rule id, the other looks the rule up by value. Their
 * finding writes race on the same records, arbitrated by the store's optimistic locking.
 */

const PAIRS = 6;

const checksOf = (alert: SnsAlertPayload) =>
  alert.findings
    .map((f) => f.checkId)
    .sort()
    .join("+");

describe("concurrent handlers on the same security group", () => {
  let h: FaultHarness;
  let groups: TestGroup[];
  let pairs: Delivery[][];

  beforeAll(async () => {
    // No faults, but 0-25 ms of seeded network jitter per request, so the two handlers interleave
    // differently from pair to pair instead of the CloudTrail one always being a round trip ahead.
    h = await startFaultHarness({ proxy: { rates: {}, delayMs: [0, 25], seed: 77 } });
    groups = [];
    for (let i = 0; i < PAIRS; i++) groups.push(await h.newGroup());
    pairs = [];
    // One pair at a time, the two events of a pair at once.
    for (const g of groups) {
      const events = [h.authorizeEvent(g), h.configEvent(g, new Date(g.authorizedAt.getTime() + 1_000))];
      pairs.push(await h.deliver(events, { parallel: true }));
    }
    report(
      "concurrent pairs",
      groups.map((g, i) => ({
        invocations: pairs[i]?.map((d) => d.attempts),
        revokeAttempts: h.revokeAttemptsAtBackend(g.groupId),
        alerts: h.alertsFor(g.groupId).length,
        alertedBy: h
          .alertsFor(g.groupId)
          .map((a) => `${a.eventId === pairs[i]?.[0]?.event.id ? "cloudtrail" : "config"}: ${checksOf(a)}`),
        results: pairs[i]?.map((d) => d.report?.resources[0]?.remediation.map((r) => r.result).join()),
      })),
    );
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it("both handlers complete without error", () => {
    for (const d of pairs.flat())
      expect(d, d.errors.join("\n")).toMatchObject({ report: { outcome: "processed" } });
  });

  it("the world-open rule is revoked once at the backend, the private rule kept", () => {
    for (const g of groups) expect(h.ingressIds(g.groupId)).toEqual([g.privateRuleId]);
    expect(h.revokedAtBackend.map((r) => r.ruleId).sort()).toEqual(groups.map((g) => g.worldRuleId).sort());
    // One handler revoked, the other found the rule gone (by id: NotFound; by value: not listed).
    for (const [i, g] of groups.entries()) {
      const results = pairs[i]?.map((d) => d.report?.resources[0]?.remediation[0]?.result).sort();
      expect(results).toEqual(["already-gone", "succeeded"]);
      expect(h.revokeAttemptsAtBackend(g.groupId)).toBeGreaterThanOrEqual(1);
      expect(h.revokeAttemptsAtBackend(g.groupId)).toBeLessThanOrEqual(2);
    }
  });

  it("one finding per check, REMEDIATED, with both event ids (no lost update)", async () => {
    for (const [i, g] of groups.entries()) {
      const findings = await h.findingsOf(g.groupId);
      expect(findings.map((f) => f.checkId).sort()).toEqual([...SSH_CHECKS].sort());
      const ids = pairs[i]?.map((d) => d.event.id).sort();
      for (const f of findings) {
        expect(f).toMatchObject({ status: "REMEDIATED", remediation: { result: "succeeded" } });
        expect([...f.eventIds].sort()).toEqual(ids);
        expect(f.history.map((c) => c.to)).toEqual(["REMEDIATED"]);
      }
    }
  });

  it("every finding is announced exactly once, though possibly split over one alert per handler", () => {
    // Each handler announces the findings whose status its own write changed. The four writes race
    // independently, so both handlers may win some: two partial alerts for one change (reported).
    for (const g of groups) {
      const alerts = h.alertsFor(g.groupId);
      expect(alerts.length).toBeGreaterThanOrEqual(1);
      expect(alerts.length).toBeLessThanOrEqual(2);
      const announced = alerts.flatMap((a) => a.findings.map((f) => `${f.checkId}=${f.status}`));
      expect(announced.sort()).toEqual(SSH_CHECKS.map((c) => `${c}=REMEDIATED`).sort());
    }
  });
});
