import {
  CreateNetworkAclEntryCommand,
  CreateTagsCommand,
  DeleteNetworkAclEntryCommand,
  DescribeNetworkAclsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import ec2_21 from "../../shared/checks/network-acl/ec2-21-nacl-admin-ports";
import { parseConfig } from "../../shared/config/load";
import remediation, { planDeletes } from "../../shared/remediations/delete-network-acl-entry";
import type { RemediationClients } from "../../shared/remediations/define";
import type { AclEntry } from "../../shared/resources/network-acl/state";
import { ACL_ID, STAR, WORLD4, WORLD6, aclState, awsError, describeAnswer, entry } from "./support";

const ec2Client = new EC2Client({ region: "us-east-1" });
const ec2 = mockClient(ec2Client);
const clients = { ec2: () => ec2Client } as unknown as RemediationClients;
afterEach(() => ec2.reset());

const context = { config: parseConfig({}) };
const SSH = entry(90, "allow", "6", WORLD4, [22, 22]);
const RDP6 = entry(95, "allow", "6", WORLD6, [3389, 3389]);
const OFFICE = entry(100, "allow", "6", "198.51.100.0/24", [22, 22]);

/** The violations EC2.21 finds in an ACL, as the pipeline hands them over. */
const violationsOf = (entries: AclEntry[]): Violation[] =>
  ec2_21.evaluate(aclState([...entries, ...STAR]), context);
const run = (entries: AclEntry[], dryRun = false) =>
  remediation.apply(
    { state: aclState([...entries, ...STAR]), violations: violationsOf(entries), dryRun },
    clients,
  );
const deletes = () => ec2.commandCalls(DeleteNetworkAclEntryCommand).map((c) => c.args[0].input);
const live = (entries: AclEntry[], tags: Record<string, string> = {}) =>
  ec2.on(DescribeNetworkAclsCommand).resolves(describeAnswer([...entries, ...STAR], { tags }));

describe("delete-network-acl-entry: apply", () => {
  it("re-reads the ACL, then deletes exactly the offending ingress entry by number; undo keeps its definition", async () => {
    live([SSH, OFFICE]);
    ec2.on(DeleteNetworkAclEntryCommand).resolves({});
    const outcome = await run([SSH, OFFICE]);
    expect(ec2.commandCalls(DescribeNetworkAclsCommand).map((c) => c.args[0].input)).toEqual([
      { NetworkAclIds: [ACL_ID] },
    ]);
    expect(deletes()).toEqual([{ NetworkAclId: ACL_ID, RuleNumber: 90, Egress: false }]);
    expect(outcome).toEqual({
      result: "succeeded",
      action: `deleted from ${ACL_ID}: ingress rule 90: allow tcp 22 from 0.0.0.0/0`,
      undo: { remediationId: "delete-network-acl-entry", params: { networkAclId: ACL_ID, entries: [SSH] } },
      awsCalls: 2,
    });
  });

  it("several offending entries (IPv4 and IPv6) are each deleted once", async () => {
    live([SSH, RDP6]);
    ec2.on(DeleteNetworkAclEntryCommand).resolves({});
    const violations = [...violationsOf([SSH, RDP6]), ...violationsOf([SSH])];
    const outcome = await remediation.apply(
      { state: aclState([SSH, RDP6, ...STAR]), violations, dryRun: false },
      clients,
    );
    expect(deletes()).toEqual([
      { NetworkAclId: ACL_ID, RuleNumber: 90, Egress: false },
      { NetworkAclId: ACL_ID, RuleNumber: 95, Egress: false },
    ]);
    expect(outcome).toMatchObject({ result: "succeeded", awsCalls: 3 });
  });

  it("dry-run plans the deletion and sends nothing at all", async () => {
    expect(await run([SSH], true)).toEqual({
      result: "planned",
      action: `delete from ${ACL_ID}: ingress rule 90: allow tcp 22 from 0.0.0.0/0`,
      awsCalls: 0,
    });
    expect(ec2.calls()).toHaveLength(0);
  });

  it("an entry changed since the event (same number, new definition) is not deleted, nor is anything else", async () => {
    const replaced = entry(90, "allow", "6", "198.51.100.0/24", [22, 22]);
    live([replaced, RDP6]);
    const outcome = await run([SSH, RDP6]);
    expect(deletes()).toEqual([]);
    expect(outcome).toMatchObject({
      result: "skipped",
      action: expect.stringContaining(
        "ingress rule 90: allow tcp 22 from 0.0.0.0/0 is now ingress rule 90: allow tcp 22 from 198.51.100.0/24",
      ),
    });
  });

  it("an entry that is gone, or now behind a deny added in front of it, is left alone: already-gone", async () => {
    live([]);
    expect(await run([SSH])).toMatchObject({
      result: "already-gone",
      detail: expect.stringMatching(/already gone/),
    });
    ec2.reset();
    live([entry(50, "deny", "-1", WORLD4), SSH]);
    expect(await run([SSH])).toMatchObject({
      result: "already-gone",
      detail: expect.stringMatching(/now shadowed/),
    });
    expect(deletes()).toEqual([]);
  });

  it("the ACL is gone: already-gone; the entry vanished between read and delete: already-gone", async () => {
    ec2.on(DescribeNetworkAclsCommand).rejects(awsError("InvalidNetworkAclID.NotFound"));
    expect(await run([SSH])).toMatchObject({
      result: "already-gone",
      action: `network ACL ${ACL_ID} no longer exists`,
    });
    ec2.reset();
    live([SSH]);
    ec2.on(DeleteNetworkAclEntryCommand).rejects(awsError("InvalidNetworkAclEntry.NotFound"));
    expect(await run([SSH])).toMatchObject({ result: "already-gone" });
  });

  it("throttling and permission errors are thrown (the pipeline fails or retries the event)", async () => {
    live([SSH]);
    ec2.on(DeleteNetworkAclEntryCommand).rejects(awsError("RequestLimitExceeded", { $retryable: {} }));
    await expect(run([SSH])).rejects.toThrow(/RequestLimitExceeded/);
    ec2.reset();
    ec2.on(DescribeNetworkAclsCommand).rejects(awsError("UnauthorizedOperation"));
    await expect(run([SSH])).rejects.toThrow(/UnauthorizedOperation/);
  });

  it("violations without a usable entry (or only egress ones) are skipped without a call", async () => {
    const bogus: Violation = {
      summary: "x",
      evidence: { networkAclId: ACL_ID, entry: { ruleNumber: "90" } },
    };
    const egress: Violation = {
      summary: "x",
      evidence: { entry: { ...SSH, egress: true }, exposures: [{ protocol: "tcp", port: 22 }] },
    };
    const outcome = await remediation.apply(
      { state: aclState(STAR), violations: [bogus, egress], dryRun: false },
      clients,
    );
    expect(outcome).toEqual({ result: "skipped", action: "no network ACL entry to delete", awsCalls: 0 });
    expect(ec2.calls()).toHaveLength(0);
  });

  it("planDeletes judges each entry on the live ACL, with the ports the violation named", () => {
    const wanted = [{ entry: SSH, exposures: [{ protocol: "tcp" as const, port: 22 }] }];
    expect(planDeletes(wanted, aclState([SSH, ...STAR])).remove).toEqual([SSH]);
    // Still world-open, but not on the port the violation was about any more: a deny took 22 away.
    const only22Denied = aclState([entry(10, "deny", "6", WORLD4, [22, 22]), SSH, ...STAR]);
    expect(planDeletes(wanted, only22Denied)).toMatchObject({ remove: [], shadowed: [SSH] });
    // The same number now egress only: the ingress entry is gone.
    expect(planDeletes(wanted, aclState([{ ...SSH, egress: true }, ...STAR]))).toMatchObject({ gone: [SSH] });
  });
});

describe("delete-network-acl-entry: undo", () => {
  const payload = (entries: AclEntry[], exemptChecks: string[] = ["EC2.21"]) => ({
    remediationId: "delete-network-acl-entry",
    params: { networkAclId: ACL_ID, entries, exemptChecks, exemptionTagKey: "vigil:exempt" },
  });

  it("tags the ACL exempt first, then re-creates exactly the entry (number, protocol, ports, CIDR, action)", async () => {
    live([OFFICE], { "vigil:exempt": "EC2.99" });
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(CreateNetworkAclEntryCommand).resolves({});
    const message = await remediation.undo(payload([SSH, RDP6]), clients);
    expect(ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Resources: [ACL_ID],
        Tags: [
          { Key: "vigil:exempt", Value: "EC2.99 EC2.21" },
          { Key: "vigil:exempt-reason", Value: "restored with vigil undo" },
        ],
      },
    ]);
    expect(ec2.commandCalls(CreateNetworkAclEntryCommand).map((c) => c.args[0].input)).toEqual([
      {
        NetworkAclId: ACL_ID,
        RuleNumber: 90,
        Egress: false,
        Protocol: "6",
        RuleAction: "allow",
        CidrBlock: WORLD4,
        PortRange: { From: 22, To: 22 },
      },
      {
        NetworkAclId: ACL_ID,
        RuleNumber: 95,
        Egress: false,
        Protocol: "6",
        RuleAction: "allow",
        Ipv6CidrBlock: WORLD6,
        PortRange: { From: 3389, To: 3389 },
      },
    ]);
    const order = ec2.calls().map((c) => c.args[0].constructor.name);
    expect(order.indexOf("CreateTagsCommand")).toBeLessThan(order.indexOf("CreateNetworkAclEntryCommand"));
    expect(message).toMatch(
      /^restored on acl-0a3c5e7f9b1d24685: ingress rule 90: allow tcp 22 from 0\.0\.0\.0\/0; /,
    );
    expect(message).toContain("tagged vigil:exempt=EC2.99 EC2.21");
  });

  it("all-traffic and ICMP entries are re-created without ports / with their type and code", async () => {
    live([]);
    ec2.on(CreateNetworkAclEntryCommand).resolves({});
    const icmp: AclEntry = { ...entry(70, "allow", "1", WORLD4), icmpType: 8, icmpCode: -1 };
    await remediation.undo(payload([entry(60, "allow", "-1", WORLD4), icmp], []), clients);
    expect(ec2.commandCalls(CreateNetworkAclEntryCommand).map((c) => c.args[0].input)).toEqual([
      {
        NetworkAclId: ACL_ID,
        RuleNumber: 60,
        Egress: false,
        Protocol: "-1",
        RuleAction: "allow",
        CidrBlock: WORLD4,
      },
      {
        NetworkAclId: ACL_ID,
        RuleNumber: 70,
        Egress: false,
        Protocol: "1",
        RuleAction: "allow",
        CidrBlock: WORLD4,
        IcmpTypeCode: { Type: 8, Code: -1 },
      },
    ]);
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
  });

  it("an entry already back is not created twice; a number now used by another entry is never overwritten", async () => {
    live([SSH]);
    ec2.on(CreateTagsCommand).resolves({});
    expect(await remediation.undo(payload([SSH]), clients)).toContain("(already present)");
    expect(ec2.commandCalls(CreateNetworkAclEntryCommand)).toHaveLength(0);
    ec2.reset();
    live([entry(90, "deny", "6", WORLD4, [22, 22])]);
    await expect(remediation.undo(payload([SSH]), clients)).rejects.toThrow(
      /not restored on acl-0a3c5e7f9b1d24685: rule 90 now holds ingress rule 90: deny tcp 22 from 0\.0\.0\.0\/0/,
    );
    expect(ec2.commandCalls(CreateTagsCommand)).toHaveLength(0);
    expect(ec2.commandCalls(CreateNetworkAclEntryCommand)).toHaveLength(0);
  });

  it("an ACL that is gone can't be restored; a malformed payload is refused before any call", async () => {
    ec2.on(DescribeNetworkAclsCommand).rejects(awsError("InvalidNetworkAclID.NotFound"));
    await expect(remediation.undo(payload([SSH]), clients)).rejects.toThrow(/no longer exists/);
    ec2.reset();
    await expect(
      remediation.undo(
        { remediationId: "delete-network-acl-entry", params: { networkAclId: ACL_ID } },
        clients,
      ),
    ).rejects.toThrow();
    expect(ec2.calls()).toHaveLength(0);
  });
});
