import { CreateDetectorCommand } from "@aws-sdk/client-guardduty";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findingId } from "../../shared/findings/id";
import collector from "../../shared/sweep/collectors/account-region";
import type { SweepUnit } from "../../shared/sweep/report";
import { sweepUnit } from "../../shared/sweep/sweep";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ACCOUNT, LocalClients } from "./support";

const REGION = "eu-central-1";
const UNIT: SweepUnit = { account: ACCOUNT, region: REGION, resourceType: "AWS::::AccountRegion" };
const GUARDDUTY_1 = findingId({
  account: ACCOUNT,
  region: REGION,
  checkId: "GuardDuty.1",
  resourceId: `${ACCOUNT}:${REGION}`,
});

describe("sweep of an account and Region through the engine, the real store and the local endpoint", () => {
  let aws: LocalAws;
  let clients: LocalClients;
  let t: TestRuntime;
  let clock: Date;

  beforeEach(async () => {
    aws = await startLocalAws();
    clients = new LocalClients(aws.endpoint);
    clock = new Date("2025-03-11T14:00:00.000Z");
    t = await testRuntime({ now: () => clock });
    t.runtime.readClients = { ...t.runtime.readClients!, ...clients.readClientsFor(REGION) };
  });
  afterEach(async () => {
    await t.close();
    clients.destroy();
    await aws.close();
  });

  it("opens GuardDuty.1 in a Region without a detector, and resolves it on the next sweep once one is enabled", async () => {
    const first = await sweepUnit(UNIT, t.runtime, {
      collectors: [collector],
      startedAt: clock.toISOString(),
    });
    expect(first).toMatchObject({ ...UNIT, outcome: "completed", resources: 1, deletedResources: 0 });
    expect(await t.runtime.store.get(GUARDDUTY_1)).toMatchObject({
      status: "OPEN",
      checkId: "GuardDuty.1",
      severity: "HIGH",
      resource: { type: "AWS::::AccountRegion", id: `${ACCOUNT}:${REGION}` },
      eventIds: [`sweep:2025-03-11T14:00:00.000Z:${REGION}:AWS::::AccountRegion`],
    });
    // The empty Region fails the other two as well; nothing was remediated (no remediation exists).
    expect(t.notifier.alerts).toHaveLength(1);

    await clients.in(REGION).guardDuty.send(new CreateDetectorCommand({ Enable: true }));
    clock = new Date("2025-03-12T14:00:00.000Z");
    const second = await sweepUnit(UNIT, t.runtime, {
      collectors: [collector],
      startedAt: clock.toISOString(),
    });
    expect(second).toMatchObject({ outcome: "completed", resources: 1, deletedResources: 0 });
    expect(await t.runtime.store.get(GUARDDUTY_1)).toMatchObject({ status: "RESOLVED" });
    // CloudTrail.1 and Config.1 stay open: the Region still has no trail and no recorder.
    for (const checkId of ["CloudTrail.1", "Config.1"]) {
      const id = findingId({ account: ACCOUNT, region: REGION, checkId, resourceId: `${ACCOUNT}:${REGION}` });
      expect((await t.runtime.store.get(id))?.status, checkId).toBe("OPEN");
    }
  });
});
