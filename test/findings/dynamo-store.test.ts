import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { DynamoFindingsStore, InvalidFindingItemError } from "../../shared/findings/dynamo-store";
import type { LocalDynamo } from "../../shared/findings/local-dynamo";
import { updateFinding, VersionConflictError } from "../../shared/findings/store";
import { withLocalStore } from "../support/dynalite";
import { sshFinding } from "./fixtures";

let local: LocalDynamo;
beforeAll(async () => {
  local = await withLocalStore();
});
afterAll(() => local.close());

const group = (n: number) => `sg-${n.toString(16).padStart(17, "0")}`;

describe("DynamoFindingsStore on dynalite", () => {
  it("round-trips a full finding and stores resourceId for queries", async () => {
    const finding = sshFinding({ groupId: group(1) });
    await local.store.put(finding, undefined);
    expect(await local.store.get(finding.id)).toEqual(finding);
    const { Item } = await local.client.send(
      new GetCommand({ TableName: local.tableName, Key: { id: finding.id } }),
    );
    expect(Item).toMatchObject({ id: finding.id, status: "REMEDIATED", resourceId: group(1), version: 1 });
  });

  it("drops undefined values instead of failing", async () => {
    const finding = { ...sshFinding({ groupId: group(2) }), actor: undefined, suppression: undefined };
    await local.store.put(finding, undefined);
    const stored = await local.store.get(finding.id);
    expect(stored).not.toHaveProperty("actor");
    expect(stored).not.toHaveProperty("suppression");
  });

  it("returns undefined for a missing or empty id", async () => {
    expect(await local.store.get("vf-missing")).toBeUndefined();
    expect(await local.store.get("")).toBeUndefined();
  });

  it("rejects a create when the finding already exists", async () => {
    const finding = sshFinding({ groupId: group(3) });
    await local.store.put(finding, undefined);
    await expect(local.store.put({ ...finding, summary: "dup" }, undefined)).rejects.toBeInstanceOf(
      VersionConflictError,
    );
  });

  it("rejects an update with a stale version and accepts the current one", async () => {
    const finding = sshFinding({ groupId: group(4) });
    await local.store.put(finding, undefined);
    await local.store.put({ ...finding, version: 2 }, 1);
    await expect(local.store.put({ ...finding, version: 2 }, 1)).rejects.toThrow(VersionConflictError);
    await local.store.put({ ...finding, version: 3, status: "RESOLVED" }, 2);
    expect(await local.store.get(finding.id)).toMatchObject({ version: 3, status: "RESOLVED" });
  });

  it("loses no update when two writers race through updateFinding", async () => {
    const seed = sshFinding({ groupId: group(5), eventIds: [] });
    const append = (eventId: string) =>
      updateFinding(local.store, seed.id, (current) => ({
        ...(current ?? { ...seed, version: 0 }),
        eventIds: [...(current?.eventIds ?? []), eventId],
      }));
    await Promise.all([append("event-a"), append("event-b")]);
    const stored = await local.store.get(seed.id);
    expect(stored?.version).toBe(2);
    expect([...(stored?.eventIds ?? [])].sort()).toEqual(["event-a", "event-b"]);
  });

  it("serialises six racing writers without losing any", async () => {
    const seed = sshFinding({ groupId: group(8), eventIds: [] });
    const ids = ["e1", "e2", "e3", "e4", "e5", "e6"];
    await Promise.all(
      ids.map((eventId) =>
        updateFinding(local.store, seed.id, (current) => ({
          ...(current ?? { ...seed, version: 0 }),
          eventIds: [...(current?.eventIds ?? []), eventId],
        })),
      ),
    );
    const stored = await local.store.get(seed.id);
    expect(stored?.version).toBe(6);
    expect([...(stored?.eventIds ?? [])].sort()).toEqual(ids);
  });

  it("getMany reads more than 100 ids, ignoring duplicates and unknown ids", async () => {
    const findings = Array.from({ length: 130 }, (_, i) => sshFinding({ groupId: group(1000 + i) }));
    await Promise.all(findings.map((f) => local.store.put(f, undefined)));
    const ids = [...findings.map((f) => f.id), findings[0]!.id, "vf-unknown", ""];
    const found = await local.store.getMany(ids);
    expect(found.size).toBe(130);
    expect(found.get(findings[129]!.id)).toEqual(findings[129]);
    expect((await local.store.getMany([])).size).toBe(0);
  });

  it("lists by status newest first, and everything without a filter", async () => {
    const fresh = await withLocalStore();
    try {
      const at = (minute: number) => `2025-04-01T12:${String(minute).padStart(2, "0")}:00.000Z`;
      const rows = [
        sshFinding({ groupId: group(1), status: "OPEN", lastSeen: at(1) }),
        sshFinding({ groupId: group(2), status: "OPEN", lastSeen: at(3) }),
        sshFinding({ groupId: group(3), status: "RESOLVED", lastSeen: at(4) }),
        sshFinding({ groupId: group(4), status: "OPEN", lastSeen: at(2) }),
      ];
      await Promise.all(rows.map((f) => fresh.store.put(f, undefined)));
      const open = await fresh.store.list({ status: "OPEN" });
      expect(open.map((f) => f.lastSeen)).toEqual([at(3), at(2), at(1)]);
      expect(open.every((f) => f.status === "OPEN")).toBe(true);
      expect(await fresh.store.list({ status: "SUPPRESSED" })).toEqual([]);
      expect((await fresh.store.list()).map((f) => f.lastSeen)).toEqual([at(4), at(3), at(2), at(1)]);
    } finally {
      await fresh.close();
    }
  });

  it("needs the size guard: dynalite itself rejects an item over 400 KB", async () => {
    const item = { ...sshFinding({ groupId: group(9) }), evidence: [{ blob: "x".repeat(420_000) }] };
    await expect(
      local.client.send(new PutCommand({ TableName: local.tableName, Item: item })),
    ).rejects.toThrow(/size/i);
  });

  it("truncates oversized evidence instead of failing, and logs a warning", async () => {
    const warnings: Record<string, unknown>[] = [];
    const store = new DynamoFindingsStore({
      client: local.client,
      tableName: local.tableName,
      logger: { warn: (_m, attributes) => warnings.push(attributes), error: () => undefined },
    });
    const blob = "x".repeat(10_000);
    const evidence = Array.from({ length: 60 }, (_, i) => ({ index: i, blob })); // ~600 KB
    const eventIds = Array.from({ length: 500 }, (_, i) => `event-${i}`);
    const finding = sshFinding({ groupId: group(6), evidence, eventIds });
    await store.put(finding, undefined);

    const stored = await store.get(finding.id);
    const kept = stored!.evidence.length - 1;
    expect(kept).toBeGreaterThan(20);
    expect(stored!.evidence.slice(0, kept)).toEqual(evidence.slice(0, kept));
    expect(stored!.evidence.at(-1)).toEqual({ truncated: true, omittedCount: 60 - kept });
    expect(stored!.eventIds).toEqual(eventIds.slice(-100)); // newest kept
    expect(warnings).toEqual([
      expect.objectContaining({ findingId: finding.id, omittedEvidence: 60 - kept }),
    ]);
  });

  it("get throws on a corrupt record while list skips it", async () => {
    const fresh = await withLocalStore();
    try {
      await fresh.store.put(sshFinding({ groupId: group(7), status: "OPEN" }), undefined);
      const bad = { id: "vf-bad", status: "OPEN", lastSeen: "2025-01-01T00:00:00Z", version: "one" };
      await fresh.client.send(new PutCommand({ TableName: fresh.tableName, Item: bad }));
      await expect(fresh.store.get("vf-bad")).rejects.toBeInstanceOf(InvalidFindingItemError);
      expect((await fresh.store.list({ status: "OPEN" })).map((f) => f.resource.id)).toEqual([group(7)]);
      expect((await fresh.store.getMany(["vf-bad"])).size).toBe(0);
    } finally {
      await fresh.close();
    }
  });
});
