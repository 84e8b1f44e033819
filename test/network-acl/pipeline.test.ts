import { DeleteNetworkAclEntryCommand, DescribeNetworkAclsCommand } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import type { AclEntry } from "../../shared/resources/network-acl/state";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ACL_ID, STAR, WORLD4, awsError, describeAnswer, entry, idFor, naclEvent } from "./support";

const SSH = entry(90, "allow", "6", WORLD4, [22, 22]);
const HTTPS = entry(100, "allow", "6", WORLD4, [443, 443]);
const DENY_SSH = entry(80, "deny", "6", WORLD4, [22, 22]);
const AUTO = { config: { modes: { "EC2.21": "auto" as const } } };

const describes = (t: TestRuntime) => t.ec2.commandCalls(DescribeNetworkAclsCommand).length;
const deletes = (t: TestRuntime) =>
  t.ec2.commandCalls(DeleteNetworkAclEntryCommand).map((c) => c.args[0].input);
const live = (t: TestRuntime, entries: AclEntry[], options: Parameters<typeof describeAnswer>[1] = {}) =>
  t.ec2.on(DescribeNetworkAclsCommand).resolves(describeAnswer([...entries, ...STAR], options));
const finding = (t: TestRuntime, id = ACL_ID) => t.runtime.store.get(idFor(id));
const statuses = async (t: TestRuntime) => (await t.runtime.store.list()).map((f) => [f.checkId, f.status]);

describe("EC2.21 through the pipeline: CloudTrail", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant (default dry-run): reads the whole ACL, opens a finding with who did it, plans, deletes nothing", async () => {
    t = await testRuntime();
    live(t, [SSH, HTTPS]);
    const report = await processEvent(naclEvent("create-entry-ssh-world"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(describes(t)).toBe(1);
    expect(deletes(t)).toEqual([]);
    expect(await finding(t)).toMatchObject({
      checkId: "EC2.21",
      status: "OPEN",
      severity: "MEDIUM",
      controls: ["FSBP EC2.21", "CIS 5.1"],
      evidence: [{ networkAclId: ACL_ID, entry: SSH, exposures: [{ protocol: "tcp", port: 22 }] }],
      actor: { userName: "alice.ops", sourceIp: "198.51.100.23" },
      remediation: {
        mode: "dry-run",
        result: "planned",
        action: `delete from ${ACL_ID}: ingress rule 90: allow tcp 22 from 0.0.0.0/0`,
      },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("non-compliant, auto: deletes exactly rule 90 (ingress) after re-reading it; REMEDIATED with an undo", async () => {
    t = await testRuntime(AUTO);
    live(t, [SSH, HTTPS]);
    t.ec2.on(DeleteNetworkAclEntryCommand).resolves({});
    const report = await processEvent(naclEvent("create-entry-ssh-world"), t.runtime);
    expect(deletes(t)).toEqual([{ NetworkAclId: ACL_ID, RuleNumber: 90, Egress: false }]);
    expect(describes(t)).toBe(2);
    expect(report.resources[0]?.remediation).toEqual([
      { result: "succeeded", action: `deleted from ${ACL_ID}: ingress rule 90: allow tcp 22 from 0.0.0.0/0` },
    ]);
    expect(await finding(t)).toMatchObject({
      status: "REMEDIATED",
      remediation: {
        mode: "auto",
        result: "succeeded",
        undo: {
          remediationId: "delete-network-acl-entry",
          params: {
            networkAclId: ACL_ID,
            entries: [SSH],
            exemptChecks: ["EC2.21"],
            exemptionTagKey: "vigil:exempt",
          },
        },
      },
    });
  });

  it("compliant: the new allow sits behind a lower-numbered deny of the same traffic: no finding, no write", async () => {
    t = await testRuntime(AUTO);
    live(t, [DENY_SSH, SSH]);
    await processEvent(naclEvent("create-entry-ssh-world"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(deletes(t)).toEqual([]);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it.each([
    ["a deny added in front", "create-entry-deny-ssh-world", [DENY_SSH, SSH]],
    [
      "a replacement with an office CIDR",
      "replace-entry-ssh-office-compliant",
      [entry(90, "allow", "6", "198.51.100.0/24", [22, 22])],
    ],
    ["the entry's deletion", "delete-entry-ssh", [HTTPS]],
  ])("compliant: %s resolves the open finding (the ACL is read again)", async (_what, event, after) => {
    t = await testRuntime();
    live(t, [SSH]);
    await processEvent(naclEvent("create-entry-ssh-world"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.21", "OPEN"]]);
    t.ec2.reset();
    live(t, after);
    expect((await processEvent(naclEvent(event), t.runtime)).outcome).toBe("processed");
    expect(describes(t)).toBe(1);
    expect(await statuses(t)).toEqual([["EC2.21", "RESOLVED"]]);
  });

  it("DeleteNetworkAcl resolves without reading anything", async () => {
    t = await testRuntime();
    live(t, [SSH]);
    await processEvent(naclEvent("create-entry-ssh-world"), t.runtime);
    t.ec2.reset();
    await processEvent(naclEvent("delete-acl"), t.runtime);
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([["EC2.21", "RESOLVED"]]);
  });

  it("IPv6 and all-traffic entries are found too (refresh is what decides)", async () => {
    t = await testRuntime();
    live(t, [entry(90, "allow", "-1", WORLD4)]);
    await processEvent(naclEvent("replace-entry-all-traffic-world"), t.runtime);
    expect((await finding(t))?.summary).toBe(
      `network ACL ${ACL_ID} ingress rule 90: allow all traffic from 0.0.0.0/0 lets the internet reach tcp 22 (SSH), tcp 3389 (RDP), udp 22 (SSH), udp 3389 (RDP)`,
    );
  });

  it("not applicable: the VPC's default ACL is not judged; an egress entry reads nothing at all", async () => {
    t = await testRuntime(AUTO);
    live(t, [entry(100, "allow", "-1", WORLD4), SSH], { isDefault: true });
    await processEvent(naclEvent("create-entry-ssh-world"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    t.ec2.reset();
    const report = await processEvent(naclEvent("create-entry-egress-all-world"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });

  it("an ACL tagged exempt is suppressed and never touched, even in auto mode", async () => {
    t = await testRuntime(AUTO);
    live(t, [SSH], { tags: { "vigil:exempt": "EC2.21" } });
    await processEvent(naclEvent("create-entry-ssh-world"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.21", "SUPPRESSED"]]);
    expect(deletes(t)).toEqual([]);
  });

  it("an ACL gone by the time it is read opens nothing", async () => {
    t = await testRuntime(AUTO);
    t.ec2.on(DescribeNetworkAclsCommand).rejects(awsError("InvalidNetworkAclID.NotFound"));
    expect((await processEvent(naclEvent("create-entry-ssh-world"), t.runtime)).outcome).toBe("processed");
    expect(await statuses(t)).toEqual([]);
  });

  it("a failed call (errorCode) changed nothing: ignored, nothing read", async () => {
    t = await testRuntime();
    const event = naclEvent("create-entry-ssh-world");
    Object.assign(event.detail, { errorCode: "Client.NetworkAclEntryAlreadyExists", responseElements: null });
    expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it.each([
    ["no requestParameters", (d: Record<string, unknown>) => (d.requestParameters = null)],
    [
      "no CIDR block",
      (d: Record<string, unknown>) => delete (d.requestParameters as Record<string, unknown>).cidrBlock,
    ],
    [
      "a rule number that is not a number",
      (d: Record<string, unknown>) => Object.assign(d.requestParameters as object, { ruleNumber: "ninety" }),
    ],
  ])("malformed (%s): invalid, nothing read, nothing stored", async (_what, change) => {
    t = await testRuntime(AUTO);
    const event = naclEvent("create-entry-ssh-world");
    change(event.detail);
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([]);
  });
});

describe("EC2.21 through the pipeline: Config items", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: opens from the item alone (whole ACL, tags known), dry-run by default", async () => {
    t = await testRuntime();
    await processEvent(naclEvent("config-item-ssh-world"), t.runtime);
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await finding(t)).toMatchObject({
      status: "OPEN",
      remediation: { mode: "dry-run", result: "planned" },
    });
  });

  it("auto: the entry is re-read before the delete, since a Config item can be minutes old", async () => {
    t = await testRuntime(AUTO);
    live(t, [SSH, HTTPS]);
    t.ec2.on(DeleteNetworkAclEntryCommand).resolves({});
    await processEvent(naclEvent("config-item-ssh-world"), t.runtime);
    expect(describes(t)).toBe(1);
    expect(deletes(t)).toEqual([{ NetworkAclId: ACL_ID, RuleNumber: 90, Egress: false }]);
    expect((await finding(t))?.status).toBe("REMEDIATED");
  });

  it("compliant: a shadowed allow resolves the open finding; a deleted ACL resolves it too", async () => {
    t = await testRuntime();
    await processEvent(naclEvent("config-item-ssh-world"), t.runtime);
    await processEvent(naclEvent("config-item-shadowed-compliant"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.21", "RESOLVED"]]);
    await t.close();
    t = await testRuntime();
    await processEvent(naclEvent("config-item-ssh-world"), t.runtime);
    await processEvent(naclEvent("config-item-deleted"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.21", "RESOLVED"]]);
  });

  it("not applicable: the default ACL; exempt by its tag: SUPPRESSED without any read", async () => {
    t = await testRuntime(AUTO);
    await processEvent(naclEvent("config-item-default-acl"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    await processEvent(naclEvent("config-item-exempt-by-tag"), t.runtime);
    expect(await statuses(t)).toEqual([["EC2.21", "SUPPRESSED"]]);
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("a configuration without entries is invalid and changes nothing", async () => {
    t = await testRuntime();
    await processEvent(naclEvent("config-item-ssh-world"), t.runtime);
    const event = naclEvent("config-item-shadowed-compliant");
    const item = (event.detail as { configurationItem: { configuration: Record<string, unknown> } })
      .configurationItem;
    delete item.configuration.entries;
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(await statuses(t)).toEqual([["EC2.21", "OPEN"]]);
  });
});
