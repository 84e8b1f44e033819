import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { ListTagsCommand, StartLoggingCommand } from "@aws-sdk/client-cloudtrail";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { undo } from "../../shared/cli/undo";
import { findingId } from "../../shared/findings/id";
import { processEvent } from "../../shared/pipeline/process-event";
import { loadEvent, sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";

const GROUP = "sg-0c4d2e6f8a1b3c579";
const id = findingId({ account: "111122223333", region: "us-east-1", checkId: "EC2.13", resourceId: GROUP });

describe("vigil undo", () => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await testRuntime();
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: GROUP, Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    t.ec2.on(CreateTagsCommand).resolves({});
    t.ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
    await processEvent(sg("authorize-ssh-world-and-office-cidrs"), t.runtime);
    t.ec2.resetHistory();
  });
  afterEach(() => t.close());

  it("keeps exemptions already on the group: adds its checks to the tag and keeps the reason", async () => {
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        {
          GroupId: GROUP,
          Tags: [
            { Key: "vigil:exempt", Value: "EC2.18,EC2.2" },
            { Key: "vigil:exempt-reason", Value: "partner SFTP, SEC-1422" },
            { Key: "vigil:exempt-until", Value: "2026-12-31" },
          ],
        },
      ],
    });
    const message = await undo(id, t.runtime);
    expect(t.ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input)).toEqual([
      { Resources: [GROUP], Tags: [{ Key: "vigil:exempt", Value: "EC2.18 EC2.2 EC2.19 EC2.13 EC2.53" }] },
    ]);
    expect(message).toContain("(until 2026-12-31, as its vigil:exempt-until tag says)");
  });

  it("tags the group exempt first, then re-authorizes exactly the revoked rule, and marks every sibling finding", async () => {
    const message = await undo(id, t.runtime);

    expect(t.ec2.calls().map((c) => c.args[0].input)).toEqual([
      { GroupIds: [GROUP] },
      {
        Resources: [GROUP],
        Tags: [
          { Key: "vigil:exempt", Value: "EC2.19 EC2.13 EC2.53 EC2.18" },
          { Key: "vigil:exempt-reason", Value: "restored with vigil undo" },
        ],
      },
      {
        GroupId: GROUP,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "anyone" }],
          },
        ],
      },
    ]);
    expect(message).toMatch(/^restored on sg-0c4d2e6f8a1b3c579: tcp 22 from 0\.0\.0\.0\/0/);
    const findings = await t.runtime.store.list();
    expect(findings.map((f) => [f.checkId, f.status, f.remediation?.result]).sort()).toEqual([
      ["EC2.13", "SUPPRESSED", "undone"],
      ["EC2.18", "SUPPRESSED", "undone"],
      ["EC2.19", "SUPPRESSED", "undone"],
      ["EC2.53", "SUPPRESSED", "undone"],
    ]);
  });

  it("treats a rule that is already back as restored, and refuses a second undo", async () => {
    t.ec2
      .on(AuthorizeSecurityGroupIngressCommand)
      .rejects(Object.assign(new Error("dup"), { name: "InvalidPermission.Duplicate" }));
    expect(await undo(id, t.runtime)).toMatch(/\(already present\)/);
    await expect(undo(id, t.runtime)).rejects.toThrow(/has no remediation to undo \(last result: undone\)/);
  });

  it("the restored rule's own event is then exempt: Vigil leaves it", async () => {
    await undo(id, t.runtime);
    t.ec2.resetHistory();
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        { GroupId: GROUP, Tags: [{ Key: "vigil:exempt", Value: "EC2.19,EC2.13,EC2.53,EC2.18" }] },
      ],
    });
    const restoredEvent = sg("authorize-ssh-world-and-office-cidrs");
    restoredEvent.id = "restore-event";
    await processEvent(restoredEvent, t.runtime);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
  });

  it("explains what is missing for an unknown finding or no AWS access", async () => {
    await expect(undo("vf-nope", t.runtime)).rejects.toThrow("no finding vf-nope");
    t.runtime.remediationClients = undefined;
    await expect(undo(id, t.runtime)).rejects.toThrow(/undo needs AWS access/);
  });
});

describe("vigil undo on a remediation that has none by design", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("says why (restarted CloudTrail logging is never turned back off) and changes nothing", async () => {
    t = await testRuntime();
    t.cloudTrail.on(ListTagsCommand).resolves({ ResourceTagList: [] });
    t.cloudTrail.on(StartLoggingCommand).resolves({});
    await processEvent(loadEvent("cloudtrail/StopLogging.json"), t.runtime);
    const [finding] = await t.runtime.store.list();
    expect(finding).toMatchObject({ status: "REMEDIATED", remediation: { result: "succeeded" } });
    t.cloudTrail.resetHistory();

    await expect(undo(finding?.id ?? "", t.runtime)).rejects.toThrow(
      /was remediated \(.*logging restarted\) by a remediation without undo: not undoable by design/,
    );
    expect(t.cloudTrail.calls()).toHaveLength(0);
    expect(await t.runtime.store.get(finding?.id ?? "")).toEqual(finding);
  });
});
