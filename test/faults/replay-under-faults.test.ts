import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FaultKind, ProxiedRequest } from "../support/local-aws/fault-proxy";
import {
  report,
  SSH_CHECKS,
  startFaultHarness,
  type Delivery,
  type FaultHarness,
  type TestGroup,
} from "./harness";

/**
 * A batch of world-open SSH events replayed through Vigil while 30% of its AWS requests fail:
 * throttling in each service's dialect, 500/503s and timeouts (500 ms client timeout), all
 * injected before the backend sees the request. Events whose handler throws are invoked again, up
 * to 3 more times, as Lambda's async retries would.
 *
 * The SDK's last attempt of each command is spared, so random faults alone never exhaust a
 * command's retries: what happens when they do is scripted instead, deterministically: one group's
 * findings read fails outright and one group's alert can't be published on the first invocation.
 * (With nothing spared, now and then a command does run out of attempts, and which one decides the
 * outcome; exhausted-retries.test.ts covers those cases one by one.)
 *
 */

const GROUPS = 10;
const SEED = 20_250_311;
const RATES = { throttle: 0.1, serverError: 0.1, timeout: 0.1 };

describe("a replayed batch under 30% throttling, 5xx and timeouts", () => {
  let h: FaultHarness;
  let groups: TestGroup[];
  let deliveries: Delivery[];
  let readFailsFor: TestGroup;
  let publishFailsFor: TestGroup;

  beforeAll(async () => {
    // Scripted faults, each for every attempt of the first invocation(s) of one command.
    const scripted: {
      action: string;
      needle: string;
      kind: FaultKind;
      invocations: number;
      seen: Set<string>;
    }[] = [];
    const script = (r: ProxiedRequest): FaultKind | undefined => {
      for (const plan of scripted) {
        if (r.action !== plan.action || !r.body.includes(plan.needle) || !r.invocationId) continue;
        if (plan.seen.size < plan.invocations) plan.seen.add(r.invocationId);
        if (plan.seen.has(r.invocationId)) return plan.kind;
      }
      return undefined;
    };
    h = await startFaultHarness({ proxy: { rates: RATES, seed: SEED, spareLastAttempt: true, script } });
    groups = [];
    for (let i = 0; i < GROUPS; i++) groups.push(await h.newGroup());
    [readFailsFor, publishFailsFor] = groups as [TestGroup, TestGroup];
    // The BatchGetItem of one group's findings (all 5 attempts) fails: the handler throws before any change.
    scripted.push({
      action: "BatchGetItem",
      needle: h.findingIdOf(readFailsFor.groupId, "EC2.13"),
      kind: "serverError",
      invocations: 1,
      seen: new Set(),
    });
    // Another group's alert: all 3 delivery tries (5 attempts each) fail after the findings are stored.
    scripted.push({
      action: "Publish",
      needle: publishFailsFor.groupId,
      kind: "serverError",
      invocations: 3,
      seen: new Set(),
    });
    const started = performance.now();
    deliveries = await h.deliver(groups.map((g) => h.authorizeEvent(g)));
    report("replay under faults", {
      ms: Math.round(performance.now() - started),
      injected: h.proxy.injected,
      invocations: deliveries.map((d) => d.attempts),
    });
  }, 90_000);

  afterAll(async () => {
    await h?.close();
  });

  it("injected every kind of fault, at about the configured rate", () => {
    const { throttle, serverError, timeout, passed } = h.proxy.injected;
    expect(throttle).toBeGreaterThan(0);
    expect(serverError).toBeGreaterThan(0);
    expect(timeout).toBeGreaterThan(0);
    const faulted = throttle + serverError + timeout;
    expect(faulted / (faulted + passed)).toBeGreaterThan(0.15);
  });

  it("every event is processed in the end; only the scripted ones needed a second invocation", () => {
    for (const d of deliveries) expect(d.report?.outcome, d.errors.join("\n")).toBe("processed");
    const invocations = new Map(deliveries.map((d, i) => [groups[i]?.groupId, d.attempts]));
    expect(invocations.get(readFailsFor.groupId)).toBe(2);
    expect(invocations.get(publishFailsFor.groupId)).toBe(2);
    expect([...invocations.values()].filter((n) => n !== 1)).toHaveLength(2);
    expect(deliveries[0]?.errors.join()).toMatch(/BatchGet|ServerError|InternalError|Unavailable/i);
    expect(deliveries[1]?.errors.join()).toMatch(/IncompleteProcessingError: .*notify sns/);
  });

  it("every group lost exactly its world-open rule and kept the private one", () => {
    for (const g of groups) expect(h.ingressIds(g.groupId), g.groupId).toEqual([g.privateRuleId]);
  });

  it("the backend saw exactly one successful revoke per world-open rule", () => {
    const revoked = h.revokedAtBackend.map((r) => `${r.groupId} ${r.ruleId}`).sort();
    expect(revoked).toEqual(groups.map((g) => `${g.groupId} ${g.worldRuleId}`).sort());
  });

  it("every expected finding is stored REMEDIATED, with the revoke that did it and its undo", async () => {
    for (const [i, g] of groups.entries()) {
      const findings = await h.findingsOf(g.groupId);
      expect(findings.map((f) => f.checkId).sort(), g.groupId).toEqual([...SSH_CHECKS].sort());
      for (const f of findings) {
        expect(f, `${g.groupId} ${f.checkId}`).toMatchObject({
          status: "REMEDIATED",
          notificationPending: false,
          eventIds: [deliveries[i]?.event.id],
          remediation: { mode: "auto", result: "succeeded" },
        });
        expect(f.remediation?.undo?.params).toMatchObject({
          groupId: g.groupId,
          rules: [{ ruleId: g.worldRuleId }],
        });
      }
    }
  });

  it("exactly one SNS alert per group, announcing all four findings as REMEDIATED", () => {
    for (const g of groups) {
      const alerts = h.alertsFor(g.groupId);
      expect(alerts, g.groupId).toHaveLength(1);
      expect(alerts[0]?.findings.map((f) => `${f.checkId}=${f.status}`).sort()).toEqual(
        SSH_CHECKS.map((c) => `${c}=REMEDIATED`).sort(),
      );
    }
  });
});
