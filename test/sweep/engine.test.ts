import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defineCheck } from "../../shared/checks/define";
import { findingId } from "../../shared/findings/id";
import type { Finding } from "../../shared/findings/model";
import type { Observation } from "../../shared/resources/adapter";
import { securityGroupRef } from "../../shared/resources/security-group/ref";
import type { IngressRule, SecurityGroupState } from "../../shared/resources/security-group/state";
import { defineCollector, type CollectContext, type Collector } from "../../shared/sweep/collector";
import { inUnit, vanishedResources } from "../../shared/sweep/reconcile";
import type { SweepUnit } from "../../shared/sweep/report";
import { planUnits, runSweep, sweepUnit } from "../../shared/sweep/sweep";
import { testRuntime, type TestRuntime } from "../support/runtime";

const ACCOUNT = "111122223333";
const SG = "AWS::EC2::SecurityGroup";
const OPEN = "sg-0a11ce0000000000a";
const CLEAN = "sg-0b0b000000000000b";
const UNIT: SweepUnit = { account: ACCOUNT, region: "us-east-1", resourceType: SG };

const sshWorld: IngressRule = {
  protocol: "tcp",
  fromPort: 22,
  toPort: 22,
  source: { kind: "cidr4", cidr: "0.0.0.0/0" },
  ruleId: "sgr-0123456789abcdef0",
};
const httpsOffice: IngressRule = {
  protocol: "tcp",
  fromPort: 443,
  toPort: 443,
  source: { kind: "cidr4", cidr: "203.0.113.0/24" },
  ruleId: "sgr-0fedcba9876543210",
};

/** A security group as a collector reads it: DescribeSecurityGroups' whole view, tags included. */
function group(ctx: CollectContext, groupId: string, ingress: IngressRule[]): Observation<typeof SG> {
  const state: SecurityGroupState = {
    groupId,
    groupName: `app-${groupId.slice(-4)}`,
    vpcId: "vpc-0c0ffee000000000c",
    ownerId: ctx.account,
    tags: { team: "platform" },
    ingress,
    egress: [],
  };
  return {
    resource: securityGroupRef(groupId, ctx.account, ctx.region, state.groupName),
    state,
    complete: true,
    observedAt: ctx.now.toISOString(),
    tagsKnown: true,
  };
}

/** A collector whose listing the test sets per sweep: groups by id with their rules, maybe a failure. */
function fakeCollector(listing: { groups: Record<string, IngressRule[]>; failAfter?: number }): Collector {
  return defineCollector({
    resourceType: SG,
    scope: "regional",
    iamActions: ["ec2:DescribeSecurityGroups"],
    async *collect(ctx) {
      let yielded = 0;
      for (const [id, ingress] of Object.entries(listing.groups)) {
        if (listing.failAfter !== undefined && yielded >= listing.failAfter)
          throw Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
        yielded++;
        yield group(ctx, id, ingress);
      }
    },
  });
}

const idOf = (checkId: string, resourceId: string, region = "us-east-1") =>
  findingId({ account: ACCOUNT, region, checkId, resourceId });

describe("sweep engine on the real pipeline and store", () => {
  let t: TestRuntime;
  let clock: Date;
  beforeEach(async () => {
    clock = new Date("2025-03-11T14:00:00.000Z");
    // Report only: no remediation calls to answer, so what the sweep decides is all that's tested.
    t = await testRuntime({ config: { modeOverride: "off" }, now: () => clock });
  });
  afterEach(() => t.close());
  const later = (minutes: number) => (clock = new Date(clock.getTime() + minutes * 60_000));

  it("opens findings on the first sweep, tallies the checks and names the sweep in the finding", async () => {
    const listing = { groups: { [OPEN]: [sshWorld], [CLEAN]: [httpsOffice] } };
    const report = await runSweep({
      units: [UNIT],
      collectors: [fakeCollector(listing)],
      runtimeFor: () => t.runtime,
    });

    expect(report.units).toEqual([
      expect.objectContaining({ ...UNIT, outcome: "completed", resources: 2, deletedResources: 0 }),
    ]);
    const ssh = await t.runtime.store.get(idOf("EC2.13", OPEN));
    expect(ssh).toMatchObject({
      status: "OPEN",
      eventIds: [`sweep:2025-03-11T14:00:00.000Z:us-east-1:${SG}`],
    });
    expect(ssh?.actor).toBeUndefined();
    expect(await t.runtime.store.get(idOf("EC2.13", CLEAN))).toBeUndefined();
    expect(report.checks.find((c) => c.checkId === "EC2.13")).toMatchObject({
      severity: "HIGH",
      resourceType: SG,
      evaluated: 2,
      failed: 1,
      suppressed: 0,
    });
    expect(report.findings.map((f) => `${f.checkId} ${f.resource.id} ${f.status}`).sort()).toContain(
      `EC2.13 ${OPEN} OPEN`,
    );
    expect(report.scope).toEqual({ accounts: [ACCOUNT], regions: ["us-east-1"] });
    // One alert per resource with news, as on the event path.
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("resolves on the next sweep once the rule is fixed, and reopens on a regression", async () => {
    const listing = { groups: { [OPEN]: [sshWorld] } };
    const sweep = () =>
      runSweep({ units: [UNIT], collectors: [fakeCollector(listing)], runtimeFor: () => t.runtime });
    await sweep();

    later(60);
    listing.groups[OPEN] = [httpsOffice];
    const fixed = await sweep();
    expect((await t.runtime.store.get(idOf("EC2.13", OPEN)))?.status).toBe("RESOLVED");
    expect(fixed.checks.find((c) => c.checkId === "EC2.13")).toMatchObject({ evaluated: 1, failed: 0 });
    // The report shows what this sweep found fixed.
    expect(fixed.findings.find((f) => f.id === idOf("EC2.13", OPEN))?.status).toBe("RESOLVED");

    later(60);
    listing.groups[OPEN] = [sshWorld];
    await sweep();
    expect((await t.runtime.store.get(idOf("EC2.13", OPEN)))?.status).toBe("OPEN");

    later(60);
    const quiet = await sweep();
    // RESOLVED findings from earlier sweeps are not this sweep's news.
    expect(quiet.findings.filter((f) => f.status === "RESOLVED")).toEqual([]);
  });

  it("closes the findings of a resource that is no longer listed", async () => {
    const listing = { groups: { [OPEN]: [sshWorld], [CLEAN]: [httpsOffice] } };
    const sweep = () =>
      runSweep({ units: [UNIT], collectors: [fakeCollector(listing)], runtimeFor: () => t.runtime });
    await sweep();
    const opened = (await t.runtime.store.list()).filter((f) => f.resource.id === OPEN);
    expect(opened.length).toBeGreaterThan(1); // EC2.13 and the other SSH checks

    later(60);
    delete (listing.groups as Record<string, IngressRule[]>)[OPEN];
    const report = await sweep();

    expect(report.units[0]).toMatchObject({ outcome: "completed", resources: 1, deletedResources: 1 });
    const after = await t.runtime.store.getMany(opened.map((f) => f.id));
    expect([...after.values()].map((f) => f.status)).toEqual(opened.map(() => "RESOLVED"));
  });

  it("keeps a tampering finding open when its resource is gone: the deletion is what it reports", async () => {
    const tamper = defineCheck({
      id: "VIGIL.TEST.TAMPER",
      title: "A tampering check on security groups, for this test",
      severity: "HIGH",
      resourceType: SG,
      controls: [],
      description: "Flags any ingress rule, as a stand-in for a deletion alert.",
      tampering: true,
      triggers: { cloudTrail: [], config: [SG] },
      iamActions: [],
      evaluate: (state) => (state.ingress.length ? [{ summary: "tampered", evidence: {} }] : []),
    });
    const listing = { groups: { [OPEN]: [sshWorld] } };
    const withTamper = { ...t.runtime, checks: [...t.runtime.checks, tamper] };
    const sweep = () =>
      runSweep({ units: [UNIT], collectors: [fakeCollector(listing)], runtimeFor: () => withTamper });
    await sweep();
    expect(await t.runtime.store.get(idOf(tamper.id, OPEN))).toMatchObject({ status: "OPEN" });

    later(60);
    delete (listing.groups as Record<string, IngressRule[]>)[OPEN];
    await sweep();
    expect(await t.runtime.store.get(idOf("EC2.13", OPEN))).toMatchObject({ status: "RESOLVED" });
    expect(await t.runtime.store.get(idOf(tamper.id, OPEN))).toMatchObject({ status: "OPEN" });
  });

  it("a finding written after the listing began is not closed by it (resource created mid-sweep)", async () => {
    const listing = { groups: { [OPEN]: [sshWorld] } };
    await runSweep({ units: [UNIT], collectors: [fakeCollector(listing)], runtimeFor: () => t.runtime });
    const id = idOf("EC2.13", OPEN);
    const stored = await t.runtime.store.get(id);
    // An event newer than the next listing's start already updated it.
    if (!stored) throw new Error("the first sweep should have opened EC2.13");
    await t.runtime.store.put(
      { ...stored, observedAt: "2025-03-11T16:00:00.000Z", version: stored.version + 1 },
      stored.version,
    );

    later(60); // listing starts at 15:00
    const report = await runSweep({
      units: [UNIT],
      collectors: [fakeCollector({ groups: {} })],
      runtimeFor: () => t.runtime,
    });
    expect(report.units[0]?.deletedResources).toBe(1);
    expect((await t.runtime.store.get(id))?.status).toBe("OPEN");
  });

  it("a collector that fails midway fails the unit and resolves nothing", async () => {
    const listing: { groups: Record<string, IngressRule[]>; failAfter?: number } = {
      groups: { [CLEAN]: [httpsOffice], [OPEN]: [sshWorld] },
    };
    const sweep = () =>
      runSweep({ units: [UNIT], collectors: [fakeCollector(listing)], runtimeFor: () => t.runtime });
    await sweep();
    expect((await t.runtime.store.get(idOf("EC2.13", OPEN)))?.status).toBe("OPEN");

    later(60);
    listing.failAfter = 1; // lists CLEAN, then throttled before OPEN
    const report = await sweep();

    expect(report.units[0]).toMatchObject({
      outcome: "failed",
      resources: 1,
      deletedResources: 0,
      error: "ThrottlingException: Rate exceeded",
    });
    expect((await t.runtime.store.get(idOf("EC2.13", OPEN)))?.status).toBe("OPEN");
    expect(report.checks.find((c) => c.checkId === "EC2.13")?.failed).toBe(1);
  });

  it("evaluates, reconciles and reports only the checks asked for", async () => {
    const listing = { groups: { [OPEN]: [sshWorld] } };
    const collectors = [fakeCollector(listing)];
    const report = await runSweep({
      units: [UNIT],
      collectors,
      checkIds: ["EC2.13"],
      runtimeFor: () => t.runtime,
    });

    expect((await t.runtime.store.list()).map((f) => f.checkId)).toEqual(["EC2.13"]);
    expect(report.checks.map((c) => c.checkId)).toEqual(["EC2.13"]);

    // A full sweep opens the others; a narrowed one of a vanished group closes only its own check.
    later(60);
    await runSweep({ units: [UNIT], collectors, runtimeFor: () => t.runtime });
    later(60);
    const narrowed = await runSweep({
      units: [UNIT],
      collectors: [fakeCollector({ groups: {} })],
      checkIds: ["EC2.13"],
      runtimeFor: () => t.runtime,
    });
    const statuses = Object.fromEntries((await t.runtime.store.list()).map((f) => [f.checkId, f.status]));
    expect(statuses["EC2.13"]).toBe("RESOLVED");
    expect(Object.entries(statuses).filter(([id, s]) => id !== "EC2.13" && s !== "OPEN")).toEqual([]);
    expect(narrowed.findings.map((f) => f.checkId)).toEqual(["EC2.13"]);
  });

  it("processes long listings in batches and keeps going across them", async () => {
    const groups = Object.fromEntries(
      Array.from({ length: 7 }, (_, i) => [`sg-0000000000000000${i}`, i % 2 ? [sshWorld] : [httpsOffice]]),
    );
    const result = await sweepUnit(UNIT, t.runtime, {
      collectors: [fakeCollector({ groups })],
      checkIds: ["EC2.13"],
      batchSize: 2,
    });
    expect(result).toMatchObject({ outcome: "completed", resources: 7 });
    expect((await t.runtime.store.list({ status: "OPEN" })).length).toBe(3);
  });

  it("fails a unit with no collector or no AWS access, without throwing", async () => {
    expect(await sweepUnit(UNIT, t.runtime, { collectors: [] })).toMatchObject({
      outcome: "failed",
      error: `no collector for ${SG}`,
    });
    const offline = { ...t.runtime, readClients: undefined };
    expect(await sweepUnit(UNIT, offline, { collectors: [fakeCollector({ groups: {} })] })).toMatchObject({
      outcome: "failed",
    });
  });

  it("fails the unit when alerts can't be delivered, and a retry of the unit delivers them", async () => {
    const collectors = [fakeCollector({ groups: { [OPEN]: [sshWorld] } })];
    const startedAt = clock.toISOString();
    t.notifier.failuresLeft = 100;
    const first = await sweepUnit(UNIT, t.runtime, { collectors, startedAt });
    expect(first.outcome).toBe("failed");
    expect(first.error).toMatch(/^1 store write\(s\), alert\(s\) or remediation\(s\) failed: /);
    expect(t.notifier.alerts).toEqual([]);

    t.notifier.failuresLeft = 0;
    const retry = await sweepUnit(UNIT, t.runtime, { collectors, startedAt });
    expect(retry.outcome).toBe("completed");
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("never runs more units at once than the concurrency allows", async () => {
    let inFlight = 0;
    let most = 0;
    const slow = defineCollector({
      resourceType: SG,
      scope: "regional",
      iamActions: [],
      async *collect(ctx) {
        inFlight++;
        most = Math.max(most, inFlight);
        await sleep(20);
        inFlight--;
        yield group(ctx, CLEAN, [httpsOffice]);
      },
    });
    const regions = [
      "us-east-1",
      "us-east-2",
      "us-west-1",
      "us-west-2",
      "eu-west-1",
      "eu-central-1",
      "ap-south-1",
    ];
    const units = planUnits({ account: ACCOUNT, regions, collectors: [slow] });
    const done: number[] = [];
    const report = await runSweep({
      units,
      collectors: [slow],
      concurrency: 3,
      runtimeFor: () => t.runtime,
      onUnitDone: (_result, n, total) => {
        expect(total).toBe(7);
        done.push(n);
      },
    });
    expect(most).toBe(3);
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(report.units.map((u) => u.region)).toEqual(regions);
    expect(report.checks.find((c) => c.checkId === "EC2.13")?.evaluated).toBe(7);
  });
});

describe("reconcile", () => {
  const finding = (checkId: string, resourceId: string, region: string) =>
    ({
      checkId,
      resource: { ...securityGroupRef(resourceId, ACCOUNT, region), type: "AWS::IAM::Role" },
    }) as Finding;

  it("a global type's findings belong to its unit whatever Region they name; a regional type's only to theirs", () => {
    const f = finding("IAM.21", "role-1", "global");
    const unit = { account: ACCOUNT, region: "us-east-1", resourceType: "AWS::IAM::Role" };
    expect(inUnit(f, unit, true)).toBe(true);
    expect(inUnit(f, unit, false)).toBe(false);
    expect(inUnit(f, { ...unit, account: "444455556666" }, true)).toBe(false);
  });

  it("names each vanished resource once, only for the checks in play", () => {
    const live = [
      finding("IAM.21", "gone", "global"),
      finding("IAM.1", "gone", "global"),
      finding("IAM.21", "listed", "global"),
      finding("IAM.2", "other", "global"),
    ];
    const gone = vanishedResources(live, new Set(["listed"]), new Set(["IAM.21", "IAM.1"]));
    expect(gone.map((r) => r.id)).toEqual(["gone"]);
  });
});

describe("planUnits", () => {
  const regional = fakeCollector({ groups: {} });
  const global = { ...regional, resourceType: "AWS::IAM::Role", scope: "global" } as unknown as Collector;

  it("plans regional collectors in every Region and global ones in the home Region only", () => {
    const units = planUnits({
      account: ACCOUNT,
      regions: ["eu-west-1", "us-east-1"],
      collectors: [regional, global],
    });
    expect(units).toEqual([
      { account: ACCOUNT, region: "eu-west-1", resourceType: SG },
      { account: ACCOUNT, region: "eu-west-1", resourceType: "AWS::IAM::Role" },
      { account: ACCOUNT, region: "us-east-1", resourceType: SG },
    ]);
  });

  it("keeps only the resource types asked for, and plans nothing without Regions", () => {
    const units = planUnits({
      account: ACCOUNT,
      regions: ["us-east-1", "us-east-1"],
      collectors: [regional, global],
      resourceTypes: ["AWS::IAM::Role"],
    });
    expect(units).toEqual([{ account: ACCOUNT, region: "us-east-1", resourceType: "AWS::IAM::Role" }]);
    expect(planUnits({ account: ACCOUNT, regions: [], collectors: [regional] })).toEqual([]);
  });
});
