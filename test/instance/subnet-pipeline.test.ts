import { DescribeSubnetsCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { DEFAULT_SUBNET, SUBNET, idFor, subnetEvent } from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status] as const).sort();
const noTags = (t: TestRuntime) =>
  t.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: SUBNET, Tags: [] }] });

describe("EC2.15 through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: turning auto-assign on opens a MEDIUM finding with who did it; nothing is changed", async () => {
    t = await testRuntime({ config: { modeOverride: "auto" } });
    noTags(t);
    expect(
      (await processEvent(subnetEvent("ModifySubnetAttribute-map-public-ip-on"), t.runtime)).outcome,
    ).toBe("processed");
    expect(await statuses(t)).toEqual([["EC2.15", SUBNET, "OPEN"]]);
    expect(await t.runtime.store.get(idFor("EC2.15", SUBNET))).toMatchObject({
      severity: "MEDIUM",
      summary: `subnet ${SUBNET} auto-assigns public IPv4 addresses to new instances (MapPublicIpOnLaunch=true)`,
      actor: { userName: "alice.ops" },
    });
    // The tag read is the only AWS call: detect only.
    expect(t.ec2.calls().map((c) => c.args[0].input)).toEqual([{ SubnetIds: [SUBNET] }]);
  });

  it("compliant: turning it off resolves the finding; another attribute says nothing about it", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(subnetEvent("ModifySubnetAttribute-map-public-ip-on"), t.runtime);
    await processEvent(subnetEvent("ModifySubnetAttribute-assign-ipv6"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.15", SUBNET, "OPEN"]]);
    await processEvent(subnetEvent("ModifySubnetAttribute-map-public-ip-off"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.15", SUBNET, "RESOLVED"]]);
  });

  it("a new default subnet is a finding that says it is a default subnet", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: DEFAULT_SUBNET }] });
    await processEvent(subnetEvent("CreateDefaultSubnet"), t.runtime);
    expect(await t.runtime.store.get(idFor("EC2.15", DEFAULT_SUBNET))).toMatchObject({
      status: "OPEN",
      summary: expect.stringMatching(
        /it is a default subnet of the default VPC, where AWS turns this on by default$/,
      ),
      evidence: [{ subnetId: DEFAULT_SUBNET, mapPublicIpOnLaunch: true, defaultForAz: true }],
    });
  });

  it("compliant: a new non-default subnet opens nothing and reads nothing", async () => {
    t = await testRuntime();
    await processEvent(subnetEvent("CreateSubnet-private"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("Config items: a default subnet opens with no AWS read; a private subnet's item resolves", async () => {
    t = await testRuntime();
    await processEvent(subnetEvent("config-subnet-default-auto-assign"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.15", DEFAULT_SUBNET, "OPEN"]]);
    expect(await t.runtime.store.get(idFor("EC2.15", DEFAULT_SUBNET))).toMatchObject({
      summary: expect.stringContaining("default subnet of the default VPC"),
    });
    expect(t.ec2.calls()).toHaveLength(0);
    noTags(t);
    await processEvent(subnetEvent("ModifySubnetAttribute-map-public-ip-on"), t.runtime);
    await processEvent(subnetEvent("config-subnet-private"), t.runtime);
    expect(await statuses(t)).toContainEqual(["EC2.15", SUBNET, "RESOLVED"]);
  });

  it("DeleteSubnet resolves the subnet's finding", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(subnetEvent("ModifySubnetAttribute-map-public-ip-on"), t.runtime);
    await processEvent(subnetEvent("DeleteSubnet"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.15", SUBNET, "RESOLVED"]]);
  });

  it("not applicable: a subnet exempt by tag is SUPPRESSED", async () => {
    t = await testRuntime();
    await processEvent(subnetEvent("config-subnet-public-tagged-exempt"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.15", "subnet-0d1f3a5c7e9b24694", "SUPPRESSED"]]);
  });

  it.each([
    [
      "no subnet id",
      (d: Record<string, unknown>) => (d.requestParameters = { mapPublicIpOnLaunch: { value: true } }),
    ],
    ["no request at all", (d: Record<string, unknown>) => (d.requestParameters = null)],
  ])("malformed ModifySubnetAttribute (%s) is invalid and changes nothing", async (_, edit) => {
    t = await testRuntime();
    const event = subnetEvent("ModifySubnetAttribute-map-public-ip-on");
    edit(event.detail);
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });
});
