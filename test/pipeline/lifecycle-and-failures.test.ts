import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { findingId } from "../../shared/findings/id";
import type { Finding } from "../../shared/findings/model";
import type { FindingsStore } from "../../shared/findings/store";
import { IncompleteProcessingError, processEvent } from "../../shared/pipeline/process-event";
import { loadEvent, sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";

const CONFIG_GROUP = "sg-0c1d2e3f4a5b6c7d8";
const idFor = (checkId: string, resourceId = CONFIG_GROUP) =>
  findingId({ account: "111122223333", region: "us-east-1", checkId, resourceId });

describe("finding lifecycle from Config items", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("opens findings from a Config item (tags from the item, no tag read) and resolves them when the group is fixed", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    await processEvent(sg("config-item-world-open-ssh-and-rdp"), t.runtime);
    expect(t.ec2.calls()).toHaveLength(0);
    const opened = await t.runtime.store.list({ status: "OPEN" });
    expect(opened.map((f) => f.checkId).sort()).toEqual([
      "EC2.13",
      "EC2.14",
      "EC2.18",
      "EC2.19",
      "EC2.53",
      "EC2.54",
    ]);
    expect(t.notifier.alerts).toHaveLength(1);

    const report = await processEvent(sg("config-item-world-open-fixed-compliant"), t.runtime);
    expect(report.resources[0]?.findings.every((f) => f.status === "RESOLVED" && f.changed)).toBe(true);
    expect(t.notifier.alerts).toHaveLength(2);
    expect((await t.runtime.store.get(idFor("EC2.13")))?.history.map((h) => h.to)).toEqual([
      "OPEN",
      "RESOLVED",
    ]);
  });

  it("ignores a Config item older than the state a finding was evaluated on", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    await processEvent(sg("config-item-world-open-fixed-compliant"), t.runtime); // compliant, nothing stored
    await processEvent(sg("config-item-world-open-ssh-and-rdp"), t.runtime);
    const stale = sg("config-item-world-open-fixed-compliant");
    stale.id = "late-delivery";
    (stale.detail.configurationItem as Record<string, unknown>).configurationItemCaptureTime =
      "2025-03-13T07:00:00.000Z";
    await processEvent(stale, t.runtime);
    expect((await t.runtime.store.get(idFor("EC2.13")))?.status).toBe("OPEN");
  });

  it("resolves every finding of a deleted group", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    const open = sg("config-item-world-open-ssh-and-rdp");
    await processEvent(open, t.runtime);
    const deleted = sg("config-item-deleted");
    const item = deleted.detail.configurationItem as Record<string, unknown>;
    item.resourceId = CONFIG_GROUP;
    await processEvent(deleted, t.runtime);
    expect(new Set((await t.runtime.store.list()).map((f) => f.status))).toEqual(new Set(["RESOLVED"]));
  });

  it("fetches an oversized item from the Config history API and evaluates it", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    const configuration = {
      groupId: "sg-0123456789abcdef0",
      groupName: "huge-partner-allowlist",
      ipPermissions: [
        {
          ipProtocol: "tcp",
          fromPort: 5432,
          toPort: 5432,
          ipv4Ranges: [{ cidrIp: "0.0.0.0/0" }],
          ipv6Ranges: [],
          prefixListIds: [],
          userIdGroupPairs: [],
        },
        ...Array.from({ length: 60 }, (_, i) => ({
          ipProtocol: "tcp",
          fromPort: 443,
          toPort: 443,
          ipv4Ranges: [{ cidrIp: `198.51.100.${i}/32` }],
          ipv6Ranges: [],
          prefixListIds: [],
          userIdGroupPairs: [],
        })),
      ],
    };
    t.configService.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        {
          configurationItemStatus: "OK",
          resourceType: "AWS::EC2::SecurityGroup",
          resourceId: "sg-0123456789abcdef0",
          awsRegion: "us-east-1",
          accountId: "111122223333",
          configurationItemCaptureTime: new Date("2025-03-13T11:00:04.900Z"),
          configuration: JSON.stringify(configuration),
          tags: { team: "partners" },
        },
      ],
    });
    const report = await processEvent(sg("config-oversized-item"), t.runtime);
    expect(t.configService.commandCalls(GetResourceConfigHistoryCommand)[0]?.args[0].input).toEqual({
      resourceType: "AWS::EC2::SecurityGroup",
      resourceId: "sg-0123456789abcdef0",
      limit: 1,
    });
    expect(report.resources[0]?.findings.map((f) => f.checkId).sort()).toEqual(["EC2.18", "EC2.19"]);
  });

  it("looks up rule ids by value for Config items before revoking (auto)", async () => {
    t = await testRuntime();
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves({
      SecurityGroupRules: [
        {
          SecurityGroupRuleId: "sgr-0aaa",
          GroupId: CONFIG_GROUP,
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          CidrIpv4: "0.0.0.0/0",
          Description: "temp ssh for debugging",
        },
        {
          SecurityGroupRuleId: "sgr-0bbb",
          GroupId: CONFIG_GROUP,
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          CidrIpv4: "198.51.100.23/32",
        },
        {
          SecurityGroupRuleId: "sgr-0ccc",
          GroupId: CONFIG_GROUP,
          IsEgress: false,
          IpProtocol: "tcp",
          FromPort: 3389,
          ToPort: 3389,
          CidrIpv6: "::/0",
        },
        {
          SecurityGroupRuleId: "sgr-0ddd",
          GroupId: CONFIG_GROUP,
          IsEgress: true,
          IpProtocol: "-1",
          CidrIpv4: "0.0.0.0/0",
        },
      ],
    });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    await processEvent(sg("config-item-world-open-ssh-and-rdp"), t.runtime);
    expect(t.ec2.commandCalls(DescribeSecurityGroupRulesCommand)[0]?.args[0].input).toEqual({
      Filters: [{ Name: "group-id", Values: [CONFIG_GROUP] }],
      MaxResults: 1000,
    });
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input)).toEqual([
      { GroupId: CONFIG_GROUP, SecurityGroupRuleIds: ["sgr-0aaa", "sgr-0ccc"] },
    ]);
  });
});

describe("failures never lose a finding or remediate by mistake", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it.each([
    ["invalid/unknown-event-type.json", "invalid"],
    ["invalid/cloudtrail-missing-fields.json", "invalid"],
    ["security-group/authorize-failed-duplicate-ignored.json", "ignored"],
    ["security-group/authorize-by-vigil-remediation-role-ignored.json", "ignored"],
    ["security-group/authorize-https-world-compliant.json", "processed"],
    ["security-group/authorize-referenced-group-and-prefix-list-compliant.json", "processed"],
    ["security-group/authorize-ssh-single-host-compliant.json", "processed"],
  ])("%s is %s, with no AWS call and no finding", async (file, outcome) => {
    t = await testRuntime();
    const report = await processEvent(loadEvent(file), t.runtime);
    expect(report.outcome).toBe(outcome);
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
  });

  it("rejects garbage with a logged error instead of throwing", async () => {
    t = await testRuntime();
    for (const garbage of [null, "text", 42, [], { detail: {} }]) {
      expect((await processEvent(garbage, t.runtime)).outcome).toBe("invalid");
    }
    expect(t.logger.entries.filter((e) => e.level === "error")).toHaveLength(5);
  });

  it("skips (ignored, not invalid) an event that needs live reads when there is no AWS access", async () => {
    t = await testRuntime();
    t.runtime.readClients = undefined;
    const report = await processEvent(sg("modify-rule-ssh-to-world"), t.runtime);
    expect(report).toMatchObject({
      outcome: "ignored",
      reason: expect.stringMatching(/confirmed against AWS/),
    });
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.logger.entries.filter((e) => e.level === "error")).toEqual([]);
    expect(t.logger.entries.some((e) => e.level === "warn" && e.message.includes("needs AWS access"))).toBe(
      true,
    );
  });

  it("rejects a request whose payload CloudTrail truncated, when it can't be confirmed", async () => {
    t = await testRuntime();
    t.runtime.readClients = undefined;
    const event = sg("authorize-ssh-world-ipv4");
    event.detail.requestParameters = { omitted: true };
    event.detail.responseElements = { omitted: true };
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toMatch(/names no groupId/);
  });

  it("remediates first, then fails the event when the store is down, logging the whole finding", async () => {
    const failing = (store: FindingsStore): FindingsStore => ({
      ...store,
      get: (id) => store.get(id),
      getMany: (ids) => store.getMany(ids),
      list: (filter) => store.list(filter),
      put: async () => {
        throw new Error("ProvisionedThroughputExceededException");
      },
    });
    t = await testRuntime({ store: failing });
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    await expect(processEvent(sg("authorize-ssh-world-ipv4"), t.runtime)).rejects.toBeInstanceOf(
      IncompleteProcessingError,
    );
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    const logged = t.logger.entries.filter((e) => e.message === "could not store finding");
    expect(logged).toHaveLength(4);
    const finding = (logged[0]?.attributes[0] as { finding: Finding }).finding;
    expect(finding.remediation?.undo?.params).toMatchObject({ groupId: "sg-07c1e5a9d3b2f4068" });
  });

  it("fails the event on a transient revoke failure, and the retry remediates", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068", Tags: [] }] });
    const unavailable = Object.assign(new Error("Service Unavailable"), {
      name: "Unavailable",
      $metadata: { httpStatusCode: 503 },
    });
    t.ec2.on(RevokeSecurityGroupIngressCommand).rejectsOnce(unavailable).callsFake(revokeAnswer);
    const event = sg("authorize-ssh-world-ipv4");
    await expect(processEvent(event, t.runtime)).rejects.toThrow(
      /remediate sg-07c1e5a9d3b2f4068: Service Unavailable/,
    );
    const id = findingId({
      account: "111122223333",
      region: "us-east-1",
      checkId: "EC2.19",
      resourceId: "sg-07c1e5a9d3b2f4068",
    });
    expect(await t.runtime.store.get(id)).toMatchObject({
      status: "OPEN",
      remediation: { result: "failed" },
    });

    await processEvent(structuredClone(event), t.runtime); // Lambda's retry
    const finding = await t.runtime.store.get(id);
    expect(finding).toMatchObject({ status: "REMEDIATED", remediation: { result: "succeeded" } });
    expect(finding?.eventIds).toEqual([event.id]);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(2);
    expect(t.notifier.alerts.map((a) => a.findings.map((f) => f.status)[0])).toEqual(["OPEN", "REMEDIATED"]);
  });

  it("does not remediate again when the revoke failed for good (not transient), and does not fail the event", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).rejects(
      Object.assign(new Error("denied"), {
        name: "UnauthorizedOperation",
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const report = await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);
    expect(report.outcome).toBe("processed");
  });

  it("holds the alert back when one finding could not be stored, so the retry sends one alert with all of them", async () => {
    let failOnce = true;
    const flaky = (store: FindingsStore): FindingsStore => ({
      get: (id) => store.get(id),
      getMany: (ids) => store.getMany(ids),
      list: (filter) => store.list(filter),
      put: async (finding, expected) => {
        if (failOnce && finding.checkId === "EC2.18") {
          failOnce = false;
          throw new Error("InternalServerError");
        }
        return store.put(finding, expected);
      },
    });
    t = await testRuntime({ store: flaky });
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    const event = sg("authorize-ssh-world-ipv4");
    await expect(processEvent(event, t.runtime)).rejects.toBeInstanceOf(IncompleteProcessingError);
    expect(t.notifier.alerts).toHaveLength(0);
    await processEvent(structuredClone(event), t.runtime);
    expect(t.notifier.alerts.map((a) => a.findings.map((f) => f.checkId).sort())).toEqual([
      ["EC2.13", "EC2.18", "EC2.19", "EC2.53"],
    ]);
    // The retry reused the first run's remediation (one revoke, undo payload kept) for the late finding.
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    const late = findingId({
      account: "111122223333",
      region: "us-east-1",
      checkId: "EC2.18",
      resourceId: "sg-07c1e5a9d3b2f4068",
    });
    expect((await t.runtime.store.get(late))?.remediation).toMatchObject({
      result: "succeeded",
      undo: { params: { groupId: "sg-07c1e5a9d3b2f4068" } },
    });
  });

  it("fails the event when alerts can't be delivered, and the retry delivers them without remediating again", async () => {
    t = await testRuntime();
    t.ec2
      .on(DescribeSecurityGroupsCommand)
      .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068", Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    t.notifier.failuresLeft = 3; // every attempt of the first delivery
    const event = sg("authorize-ssh-world-ipv4");
    await expect(processEvent(event, t.runtime)).rejects.toThrow(/notify recording/);
    expect((await t.runtime.store.list()).every((f) => f.notificationPending)).toBe(true);

    await processEvent(structuredClone(event), t.runtime); // Lambda's async retry
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.findings).toHaveLength(4);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    expect((await t.runtime.store.list()).some((f) => f.notificationPending)).toBe(false);
  });
});
