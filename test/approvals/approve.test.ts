import {
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
} from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { approve, approvalConfig, type Approver } from "../../shared/approvals/approve";
import { parseConfig } from "../../shared/config/load";
import { modeFor } from "../../shared/pipeline/evaluate";
import { findingId } from "../../shared/findings/id";
import { checks } from "../../shared/checks/catalog";
import { processEvent } from "../../shared/pipeline/process-event";
import { sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";

const GROUP = "sg-0c4d2e6f8a1b3c579";
const WORLD_SSH_RULE = "sgr-0b1c2d3e4f5a69780";
const idFor = (checkId: string) =>
  findingId({ account: "111122223333", region: "us-east-1", checkId, resourceId: GROUP });
const ALICE: Approver = { by: "alice", via: "cli" };
// The SSH checks a world-open port 22 violates, all in dry-run (as an approval flow configures them).
const DRY_RUN = {
  modes: { "EC2.13": "dry-run", "EC2.19": "dry-run", "EC2.53": "dry-run", "EC2.18": "dry-run" },
} as const;

/** The group as DescribeSecurityGroups answers now: SSH from the world and the VPN unless told otherwise. */
function liveGroup(options: { worldSsh?: boolean; tags?: Record<string, string> } = {}): SecurityGroup {
  return {
    GroupId: GROUP,
    GroupName: "web",
    VpcId: "vpc-0a1b2c3d",
    OwnerId: "111122223333",
    Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    IpPermissions: [
      {
        IpProtocol: "tcp",
        FromPort: 22,
        ToPort: 22,
        IpRanges: [
          { CidrIp: "10.20.0.0/16", Description: "vpn" },
          ...(options.worldSsh === false ? [] : [{ CidrIp: "0.0.0.0/0", Description: "anyone" }]),
        ],
      },
    ],
    IpPermissionsEgress: [],
  };
}

/** The live rules with their ids (what the revoke looks the world-open rule up in). */
function liveRules() {
  return {
    SecurityGroupRules: [
      {
        SecurityGroupRuleId: WORLD_SSH_RULE,
        GroupId: GROUP,
        IsEgress: false,
        IpProtocol: "tcp",
        FromPort: 22,
        ToPort: 22,
        CidrIpv4: "0.0.0.0/0",
        Description: "anyone",
      },
      {
        SecurityGroupRuleId: "sgr-0a9b8c7d6e5f41230",
        GroupId: GROUP,
        IsEgress: false,
        IpProtocol: "tcp",
        FromPort: 22,
        ToPort: 22,
        CidrIpv4: "10.20.0.0/16",
        Description: "vpn",
      },
    ],
  };
}

describe("approve: running a dry-run finding's planned remediation", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  /** The sample SSH event replayed in dry-run: OPEN findings with a planned revoke, nothing revoked. */
  async function planned(config: Parameters<typeof testRuntime>[0] = { config: DRY_RUN }): Promise<void> {
    t = await testRuntime(config);
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [liveGroup()] });
    t.ec2.on(DescribeSecurityGroupRulesCommand).resolves(liveRules());
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    await processEvent(sg("authorize-ssh-world-and-office-cidrs"), t.runtime);
    expect(await t.runtime.store.get(idFor("EC2.13"))).toMatchObject({
      status: "OPEN",
      remediation: { mode: "dry-run", result: "planned" },
    });
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    t.notifier.alerts.length = 0;
  }

  const revokes = () => t.ec2.commandCalls(RevokeSecurityGroupIngressCommand).map((c) => c.args[0].input);

  it("re-reads the group, revokes exactly the world-open rule and records who approved it", async () => {
    await planned();
    t.runtime.now = () => new Date("2025-03-11T15:00:00.000Z");
    const result = await approve(
      idFor("EC2.13"),
      { by: "alice", principal: "arn:aws:iam::111122223333:user/alice", via: "cli" },
      t.runtime,
    );

    expect(result).toMatchObject({ approved: true, outcome: "remediated" });
    expect(result.message).toBe(
      `${idFor("EC2.13")} approved by alice via cli; remediated: revoked from ${GROUP}: tcp 22 from 0.0.0.0/0 (${WORLD_SSH_RULE}); finding REMEDIATED`,
    );
    expect(t.ec2.commandCalls(DescribeSecurityGroupsCommand).at(-1)?.args[0].input).toEqual({
      GroupIds: [GROUP],
    });
    expect(revokes()).toEqual([{ GroupId: GROUP, SecurityGroupRuleIds: [WORLD_SSH_RULE] }]);
    const finding = await t.runtime.store.get(idFor("EC2.13"));
    expect(finding).toMatchObject({
      status: "REMEDIATED",
      remediation: { mode: "auto", result: "succeeded", time: "2025-03-11T15:00:00.000Z" },
      approval: {
        by: "alice",
        principal: "arn:aws:iam::111122223333:user/alice",
        via: "cli",
        at: "2025-03-11T15:00:00.000Z",
        outcome: "remediated",
        plan: { remediationId: "revoke-security-group-ingress", time: "2025-03-11T14:02:18.000Z" },
      },
    });
    expect(finding?.approval).not.toHaveProperty("approvedFindingId");
    // The other checks' findings on the same rule were fixed by the same revoke, under this approval.
    for (const checkId of ["EC2.19", "EC2.53", "EC2.18"]) {
      expect(await t.runtime.store.get(idFor(checkId)), checkId).toMatchObject({
        status: "REMEDIATED",
        approval: { by: "alice", outcome: "remediated", approvedFindingId: idFor("EC2.13") },
      });
    }
    // One alert for the resource, through the normal pipeline.
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.findings.map((f) => f.status)).toEqual(
      expect.arrayContaining(["REMEDIATED"]),
    );
  });

  it("of two approvals at once (a double click) only one runs; the second says so", async () => {
    await planned();
    const results = await Promise.all([
      approve(idFor("EC2.13"), ALICE, t.runtime),
      approve(idFor("EC2.13"), { by: "bob", via: "slack" }, t.runtime),
    ]);
    expect(revokes()).toHaveLength(1);
    expect(results.filter((r) => r.approved)).toHaveLength(1);
    const loser = results.find((r) => !r.approved);
    expect(loser?.refusal).toMatch(/^(in-progress|already-approved)$/);
    expect(loser?.message).toMatch(/(is being approved|was already approved) by (alice|bob)/);

    const again = await approve(idFor("EC2.13"), ALICE, t.runtime);
    expect(again).toMatchObject({ approved: false, refusal: "already-approved" });
    expect(revokes()).toHaveLength(1);
  });

  it("changes nothing when the rule is gone by the time of the approval: the finding resolves", async () => {
    await planned();
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [liveGroup({ worldSsh: false })] });
    const result = await approve(idFor("EC2.13"), ALICE, t.runtime);
    expect(result).toMatchObject({ approved: false, outcome: "resolved" });
    expect(result.message).toContain(
      "re-read before acting, the resource no longer violates EC2.13: nothing changed",
    );
    expect(revokes()).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("EC2.13"))).toMatchObject({
      status: "RESOLVED",
      approval: { by: "alice", outcome: "resolved" },
    });
  });

  it("changes nothing when the group was deleted meanwhile", async () => {
    await planned();
    t.ec2.on(DescribeSecurityGroupsCommand).rejects(
      Object.assign(new Error("The security group does not exist"), {
        name: "InvalidGroup.NotFound",
        $metadata: {},
      }),
    );
    const result = await approve(idFor("EC2.13"), ALICE, t.runtime);
    expect(result).toMatchObject({ approved: false, outcome: "resolved" });
    expect(revokes()).toHaveLength(0);
  });

  it("honours an exemption tag added since the plan: suppressed, nothing revoked", async () => {
    await planned();
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({
      SecurityGroups: [
        liveGroup({
          tags: { "vigil:exempt": "EC2.13,EC2.19,EC2.53,EC2.18", "vigil:exempt-reason": "bastion" },
        }),
      ],
    });
    const result = await approve(idFor("EC2.13"), ALICE, t.runtime);
    expect(result).toMatchObject({ approved: false, outcome: "suppressed" });
    expect(result.message).toContain("the resource is exempt now (bastion)");
    expect(revokes()).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("EC2.13"))).toMatchObject({ status: "SUPPRESSED" });
  });

  it("a failed approved run stays OPEN and may be approved again", async () => {
    await planned();
    t.ec2
      .on(RevokeSecurityGroupIngressCommand)
      .rejectsOnce(
        Object.assign(new Error("not allowed"), {
          name: "UnauthorizedOperation",
          $metadata: { httpStatusCode: 403 },
        }),
      )
      .callsFake(revokeAnswer);
    const first = await approve(idFor("EC2.13"), ALICE, t.runtime);
    expect(first).toMatchObject({ approved: false, outcome: "failed" });
    expect(first.message).toContain("not allowed");
    expect(await t.runtime.store.get(idFor("EC2.13"))).toMatchObject({
      status: "OPEN",
      remediation: { mode: "auto", result: "failed" },
      approval: { outcome: "failed" },
    });

    t.runtime.now = () => new Date("2025-03-11T14:30:00.000Z");
    const second = await approve(idFor("EC2.13"), { by: "bob", via: "cli" }, t.runtime);
    expect(second, second.message).toMatchObject({ approved: true, outcome: "remediated" });
    expect(revokes()).toHaveLength(2);
    expect((await t.runtime.store.get(idFor("EC2.13")))?.approval).toMatchObject({
      by: "bob",
      outcome: "remediated",
    });
  });

  it("refuses, changing nothing: unknown, remediation off now, no AWS, another Region, a claim in progress", async () => {
    await planned();
    expect(await approve("vf-unknown", ALICE, t.runtime)).toMatchObject({
      refusal: "not-found",
      message: "no finding vf-unknown",
    });

    const id = idFor("EC2.13");
    const config = t.runtime.config;
    t.runtime.config = parseConfig({ modes: { ...DRY_RUN.modes, "EC2.13": "off" } });
    expect(await approve(id, ALICE, t.runtime)).toMatchObject({ refusal: "mode-off" });
    t.runtime.config = config;

    const { readClients } = t.runtime;
    t.runtime.readClients = undefined;
    expect(await approve(id, ALICE, t.runtime)).toMatchObject({ refusal: "no-aws" });
    t.runtime.readClients = readClients;

    expect(await approve(id, ALICE, t.runtime, { region: "eu-west-1" })).toMatchObject({
      refusal: "unsupported",
    });
    expect(await approve(id, ALICE, t.runtime, { account: "444455556666" })).toMatchObject({
      refusal: "unsupported",
    });
    expect(revokes()).toHaveLength(0);
    expect((await t.runtime.store.get(id))?.approval).toBeUndefined();

    // Someone else's claim, a minute old: in progress. Ten minutes old: the run died, it is taken over.
    const current = await t.runtime.store.get(id);
    if (!current?.remediation) throw new Error("no finding");
    const plan = {
      remediationId: current.remediation.remediationId,
      action: current.remediation.action,
      time: current.remediation.time,
    };
    await t.runtime.store.put(
      { ...current, approval: { by: "carol", via: "slack", at: "2025-03-11T14:09:00.000Z", plan } },
      current.version,
    );
    t.runtime.now = () => new Date("2025-03-11T14:10:00.000Z");
    expect(await approve(id, ALICE, t.runtime)).toMatchObject({ refusal: "in-progress" });
    t.runtime.now = () => new Date("2025-03-11T14:19:00.000Z");
    expect(await approve(id, ALICE, t.runtime)).toMatchObject({ approved: true });
    expect(revokes()).toHaveLength(1);
  });

  it("a finding that is not OPEN or has no plan is refused", async () => {
    t = await testRuntime({ config: { modes: { ...DRY_RUN.modes, "EC2.13": "off" } } });
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [liveGroup()] });
    await processEvent(sg("authorize-ssh-world-and-office-cidrs"), t.runtime);
    expect(await approve(idFor("EC2.13"), ALICE, t.runtime)).toMatchObject({
      refusal: "nothing-planned",
      message: `finding ${idFor("EC2.13")} has no planned (dry-run) remediation to approve (last remediation: off, skipped)`,
    });
    const open = await t.runtime.store.get(idFor("EC2.19"));
    if (!open) throw new Error("no EC2.19 finding");
    await t.runtime.store.put({ ...open, status: "RESOLVED" }, open.version);
    expect(await approve(idFor("EC2.19"), ALICE, t.runtime)).toMatchObject({ refusal: "not-open" });
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
  });
});

describe("approvalConfig", () => {
  const ssh = checks.find((c) => c.id === "EC2.13");
  const rdp = checks.find((c) => c.id === "EC2.14");
  it("makes only the approved check auto in the resource's account, keeping a global modeOverride for the rest", () => {
    if (!ssh || !rdp) throw new Error("catalog changed");
    const config = approvalConfig(parseConfig({ modeOverride: "dry-run" }), "EC2.13", "111122223333");
    expect(modeFor(ssh, config, { account: "111122223333" })).toBe("auto");
    expect(modeFor(rdp, config, { account: "111122223333" })).toBe("dry-run");
  });
});
