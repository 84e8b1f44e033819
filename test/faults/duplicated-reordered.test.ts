import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  report,
  SSH_CHECKS,
  startFaultHarness,
  type FaultHarness,
  type TestGroup,
  type VigilEvent,
} from "./harness";

/**
 * At-least-once, out-of-order delivery: every CloudTrail event of the batch arrives twice, in an
 * order shuffled by fast-check (fixed seed), interleaved with Config change notifications for the
 * same groups, some captured before the revoke (world-open rule still there) and some after it
 * (the group compliant). Events run one at a time, in delivery order, through the real pipeline.
 *
 * Causality is kept: a Config item "captured after the revoke" is only delivered once the revoke
 * has happened (right after the group's first event that shows the rule, if the shuffle put it
 * earlier), and it shows the group as it then is at the backend.
 */

const GROUPS = 6;
const SEED = 1_741_701_751;

type Item =
  | { kind: "cloudtrail"; group: number; event: VigilEvent }
  | { kind: "config-before"; group: number; event: VigilEvent }
  | { kind: "config-after"; group: number };

/** The IPv4 sources of a Config item's ingress permissions. */
function ingressCidrs(event: VigilEvent): string[] {
  const { configurationItem } = (
    event as unknown as { detail: { configurationItem: { configuration: unknown } } }
  ).detail;
  const { ipPermissions } = configurationItem.configuration as { ipPermissions: { ipRanges: string[] }[] };
  return ipPermissions.flatMap((p) => p.ipRanges);
}

describe("duplicated and reordered events, with Config items before and after the revoke", () => {
  let h: FaultHarness;
  let groups: TestGroup[];
  let delivered: { kind: Item["kind"]; group: number; event: VigilEvent; outcome: string | undefined }[];

  const has = (i: number, kind: "before" | "after") => (kind === "before" ? i % 3 !== 2 : i % 3 !== 0);

  beforeAll(async () => {
    h = await startFaultHarness({ proxy: { rates: {} } });
    groups = [];
    for (let i = 0; i < GROUPS; i++) groups.push(await h.newGroup());

    const items: Item[] = groups.flatMap((g, group): Item[] => {
      const cloudtrail = h.authorizeEvent(g);
      // Config records the change a moment after the API call, while the rule is still there.
      const before = has(group, "before")
        ? [
            {
              kind: "config-before" as const,
              group,
              event: h.configEvent(g, new Date(g.authorizedAt.getTime() + 1_000)),
            },
          ]
        : [];
      const after = has(group, "after") ? [{ kind: "config-after" as const, group }] : [];
      return [
        { kind: "cloudtrail", group, event: cloudtrail },
        { kind: "cloudtrail", group, event: cloudtrail },
        ...before,
        ...after,
      ];
    });
    const [shuffled] = fc.sample(
      fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length }),
      {
        seed: SEED,
        numRuns: 1,
      },
    );
    if (!shuffled) throw new Error("no shuffle");

    delivered = [];
    const revealed = new Set<number>();
    const waiting: number[] = [];
    const deliverOne = async (item: Item) => {
      // A Config item captured after the revoke: made now, from the group as the backend has it.
      const event =
        item.kind === "config-after"
          ? h.configEvent(groups[item.group] as TestGroup, new Date())
          : item.event;
      const [d] = await h.deliver([event], { parallel: false });
      delivered.push({ kind: item.kind, group: item.group, event, outcome: d?.report?.outcome });
    };
    for (const item of shuffled) {
      if (item.kind === "config-after" && !revealed.has(item.group)) {
        waiting.push(item.group);
        continue;
      }
      await deliverOne(item);
      if (item.kind !== "config-after" && !revealed.has(item.group)) {
        revealed.add(item.group);
        for (const group of waiting.filter((g) => g === item.group))
          await deliverOne({ kind: "config-after", group });
      }
    }
    report(
      "delivery order",
      delivered.map((d) => `${d.kind}#${d.group}`),
    );
  }, 60_000);

  afterAll(async () => {
    await h?.close();
  });

  it("delivered every item, each processed without error", () => {
    const expected = groups.reduce(
      (n, _, i) => n + 2 + Number(has(i, "before")) + Number(has(i, "after")),
      0,
    );
    expect(delivered).toHaveLength(expected);
    for (const d of delivered) expect(d.outcome, `${d.kind}#${d.group}`).toBe("processed");
  });

  it("Config items captured after the revoke really show the group compliant", () => {
    const after = delivered.filter((x) => x.kind === "config-after");
    expect(after.length).toBeGreaterThan(0);
    for (const d of after) expect(ingressCidrs(d.event)).toEqual(["10.20.0.0/16"]);
    for (const d of delivered.filter((x) => x.kind === "config-before"))
      expect(ingressCidrs(d.event).sort()).toEqual(["0.0.0.0/0", "10.20.0.0/16"]);
  });

  it("one revoke per world-open rule at the backend; the private rule stays", () => {
    for (const g of groups) expect(h.ingressIds(g.groupId)).toEqual([g.privateRuleId]);
    expect(h.revokedAtBackend.map((r) => r.ruleId).sort()).toEqual(groups.map((g) => g.worldRuleId).sort());
  });

  it("findings end REMEDIATED, keeping the successful revoke; the compliant Config item leaves them so", async () => {
    for (const [i, g] of groups.entries()) {
      const findings = await h.findingsOf(g.groupId);
      expect(findings.map((f) => f.checkId).sort()).toEqual([...SSH_CHECKS].sort());
      const mine = delivered.filter((d) => d.group === i);
      const cloudtrailId = mine.find((d) => d.kind === "cloudtrail")?.event.id;
      const beforeId = mine.find((d) => d.kind === "config-before")?.event.id;
      const afterId = mine.find((d) => d.kind === "config-after")?.event.id;
      for (const f of findings) {
        // REMEDIATED, not RESOLVED: a compliant whole-resource view closes OPEN findings; a
        // REMEDIATED one already says the violation is gone, so nothing is written for it.
        expect(f).toMatchObject({
          status: "REMEDIATED",
          remediation: { result: "succeeded" },
          notificationPending: false,
        });
        expect(f.history.map((c) => `${c.from}->${c.to}`)).toEqual(["null->REMEDIATED"]);
        // Each event once (the duplicate CloudTrail delivery is recognised), the compliant item not at all.
        expect(new Set(f.eventIds).size).toBe(f.eventIds.length);
        expect(f.eventIds).toContain(cloudtrailId);
        if (beforeId) expect(f.eventIds).toContain(beforeId);
        if (afterId) expect(f.eventIds).not.toContain(afterId);
      }
    }
  });

  it("exactly one alert per group", () => {
    for (const g of groups) expect(h.alertsFor(g.groupId), g.groupId).toHaveLength(1);
    report(
      "revoke attempts per group",
      groups.map((g) => h.revokeAttemptsAtBackend(g.groupId)),
    );
  });
});
