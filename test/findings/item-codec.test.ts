import { describe, expect, it } from "vitest";
import { decodeFinding, encodeFinding, itemSize, MAX_ITEM_BYTES } from "../../shared/findings/item-codec";
import { sshFinding } from "./fixtures";

describe("encodeFinding", () => {
  it("stores the finding as is, plus resourceId, when it fits", () => {
    const finding = sshFinding();
    const { item, trimmed } = encodeFinding(finding);
    expect(trimmed).toBeUndefined();
    expect(item).toEqual({ ...finding, resourceId: finding.resource.id });
  });

  it("refuses empty key attributes, which DynamoDB would reject anyway", () => {
    expect(() => encodeFinding(sshFinding({ id: "" }))).toThrow(/non-empty/);
    expect(() => encodeFinding(sshFinding({ lastSeen: "" }))).toThrow(/non-empty/);
  });

  it("keeps the leading evidence that fits and marks the rest", () => {
    const evidence = Array.from({ length: 10 }, (_, i) => ({ i, blob: "y".repeat(1000) }));
    const { item, trimmed } = encodeFinding(sshFinding({ evidence }), 5_000);
    expect(itemSize(item)).toBeLessThanOrEqual(5_000);
    const stored = item.evidence as Record<string, unknown>[];
    expect(stored.at(-1)).toEqual({ truncated: true, omittedCount: trimmed?.omittedEvidence });
    expect(stored.slice(0, -1)).toEqual(evidence.slice(0, stored.length - 1));
    expect(trimmed).toMatchObject({ droppedHistory: 0, droppedEventIds: 0, stillTooLarge: false });
  });

  it("replaces a single huge evidence entry by the marker alone", () => {
    const { item, trimmed } = encodeFinding(sshFinding({ evidence: [{ blob: "z".repeat(500_000) }] }));
    expect(item.evidence).toEqual([{ truncated: true, omittedCount: 1 }]);
    expect(trimmed?.storedBytes).toBeLessThanOrEqual(MAX_ITEM_BYTES);
  });

  it("keeps the newest history and event ids when they are what is too big", () => {
    const history = Array.from({ length: 3000 }, (_, i) => ({
      from: "OPEN" as const,
      to: "RESOLVED" as const,
      at: `2025-01-01T00:00:00.${i}Z`,
      eventId: `${"e".repeat(100)}-${i}`,
    }));
    const eventIds = Array.from({ length: 3000 }, (_, i) => `${"e".repeat(100)}-${i}`);
    const { item, trimmed } = encodeFinding(sshFinding({ history, eventIds }));
    expect(item.history).toEqual(history.slice(-100));
    expect(item.eventIds).toEqual(eventIds.slice(-100));
    expect(item.evidence).toEqual(sshFinding().evidence);
    expect(trimmed).toMatchObject({ droppedHistory: 2900, droppedEventIds: 2900, omittedEvidence: 0 });
  });

  it("says so when nothing trimmable is left to cut", () => {
    const { trimmed } = encodeFinding(sshFinding({ summary: "s".repeat(400_000) }));
    expect(trimmed?.stillTooLarge).toBe(true);
  });
});

describe("decodeFinding", () => {
  it("drops storage-only attributes and keeps fields the schema does not know", () => {
    const finding = sshFinding();
    const decoded = decodeFinding({ ...finding, resourceId: "sg-x", futureField: 1 });
    expect(decoded).toEqual({ ok: true, finding: { ...finding, futureField: 1 } });
  });

  it("reports what is wrong with an invalid item", () => {
    const decoded = decodeFinding({ ...sshFinding(), status: "BROKEN", version: -1 });
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) {
      expect(decoded.id).toBe(sshFinding().id);
      expect(decoded.problems.join("\n")).toMatch(/status/);
      expect(decoded.problems.join("\n")).toMatch(/version/);
    }
  });
});
