import { afterEach, describe, expect, it } from "vitest";
import type { FaultProxyOptions, ProxiedRequest } from "../support/local-aws/fault-proxy";
import { report, SSH_CHECKS, startFaultHarness, type FaultHarness, type TestGroup } from "./harness";

/**
 * The nasty timeout: EC2 revokes the rule, but its answer never reaches Vigil (the proxy forwards
 * the RevokeSecurityGroupIngress, lets the backend act, then drops the answer). The SDK times out
 * after 500 ms and retries a revoke of a rule that is already gone.
 */

const isRevoke = (r: ProxiedRequest) => r.action === "RevokeSecurityGroupIngress";

describe("revoke answers lost after the backend acted", () => {
  let h: FaultHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function run(proxy: Omit<FaultProxyOptions, "target">, count: number) {
    h = await startFaultHarness({ proxy });
    const harness = h;
    const groups: TestGroup[] = [];
    for (let i = 0; i < count; i++) groups.push(await harness.newGroup());
    const events = groups.map((g) => harness.authorizeEvent(g));
    const deliveries = await harness.deliver(events);
    const findings = await Promise.all(groups.map((g) => harness.findingsOf(g.groupId)));
    return { h: harness, groups, events, deliveries, findings };
  }

  /** What must hold whatever Vigil learned: the world-open rule is gone, once, and nothing else. */
  function expectOnlyWorldRulesRevoked(harness: FaultHarness, groups: TestGroup[]): void {
    for (const g of groups) expect(harness.ingressIds(g.groupId)).toEqual([g.privateRuleId]);
    expect(harness.revokedAtBackend.map((r) => r.ruleId).sort()).toEqual(
      groups.map((g) => g.worldRuleId).sort(),
    );
  }

  it("every first answer lost: the rule is gone, findings REMEDIATED as already-gone, and the undo payload is lost", async () => {
    const { h, groups, deliveries, findings } = await run(
      { rates: {}, script: (r) => (isRevoke(r) && r.attempt === 1 ? "timeoutAfterForward" : undefined) },
      4,
    );
    expectOnlyWorldRulesRevoked(h, groups);
    for (const [i, g] of groups.entries()) {
      expect(deliveries[i]?.attempts).toBe(1);
      // The retry by id fails NotFound, the lookup by value finds nothing: "already gone".
      expect(h.revokeAttemptsAtBackend(g.groupId)).toBe(2);
      expect(findings[i]?.map((f) => f.checkId).sort()).toEqual([...SSH_CHECKS].sort());
      for (const f of findings[i] ?? []) {
        expect(f).toMatchObject({
          status: "REMEDIATED",
          remediation: { mode: "auto", result: "already-gone" },
        });
        // Known limitation: Vigil's own revoke can't be undone with `vigil undo`; nothing records what it removed.
        expect(f.remediation?.undo).toBeUndefined();
        expect(f.remediationTimes ?? []).toEqual([]);
      }
      expect(h.alertsFor(g.groupId)).toHaveLength(1);
    }
  });

  it("answers lost at random (70% of attempts but the last): REMEDIATED either way, undo only when the answer came", async () => {
    const { h, groups, findings } = await run(
      { rates: { timeoutAfterForward: 0.7 }, only: isRevoke, spareLastAttempt: true, seed: 4242 },
      6,
    );
    expectOnlyWorldRulesRevoked(h, groups);
    const results: string[] = [];
    for (const [i, g] of groups.entries()) {
      const records = findings[i] ?? [];
      expect(records).toHaveLength(SSH_CHECKS.length);
      const result = records[0]?.remediation?.result ?? "none";
      results.push(result);
      for (const f of records) {
        expect(f.status).toBe("REMEDIATED");
        // One revoke runs for all four checks: they share its outcome.
        expect(f.remediation?.result).toBe(result);
        expect(Boolean(f.remediation?.undo)).toBe(result === "succeeded");
      }
      expect(["succeeded", "already-gone"]).toContain(result);
      expect(h.alertsFor(g.groupId)).toHaveLength(1);
    }
    report("lost answers at random", { injected: h.proxy.injected, results });
    expect(h.proxy.injected.timeoutAfterForward).toBeGreaterThan(0);
  });

  it("every answer of the first invocation lost: the SDK gives up, the event fails, the retry finds the rule gone", async () => {
    const firstRevoke = new Set<string>();
    const { h, groups, deliveries, findings } = await run(
      {
        rates: {},
        script: (r) => {
          if (!isRevoke(r) || !r.invocationId) return undefined;
          if (firstRevoke.size === 0) firstRevoke.add(r.invocationId);
          return firstRevoke.has(r.invocationId) ? "timeoutAfterForward" : undefined;
        },
      },
      1,
    );
    expectOnlyWorldRulesRevoked(h, groups);
    const [g] = groups as [TestGroup];
    // Five attempts (the EC2 client's maxAttempts), the first acted on, all unanswered; then the
    // retried event's revoke by id (NotFound, answered) and a lookup by value that finds nothing.
    expect(h.revokeAttemptsAtBackend(g.groupId)).toBe(6);
    expect(deliveries[0]?.attempts).toBe(2);
    expect(deliveries[0]?.errors[0]).toMatch(/IncompleteProcessingError: .*remediate sg-.*timeout/i);
    for (const f of findings[0] ?? []) {
      expect(f).toMatchObject({ status: "REMEDIATED", remediation: { result: "already-gone" } });
      expect(f.remediation?.undo).toBeUndefined();
      expect(f.history.map((c) => c.to)).toEqual(["OPEN", "REMEDIATED"]);
    }
    // Between the two invocations the findings said OPEN (remediation failed) while the rule was
    // already gone, and that was announced.
    expect(h.alertsFor(g.groupId).map((a) => a.findings[0]?.status)).toEqual(["OPEN", "REMEDIATED"]);
  });
});
