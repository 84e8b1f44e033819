import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateTagsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { accountClients, type AccountClientsOptions } from "../../shared/aws/account-clients";
import { undo } from "../../shared/cli/undo";
import type { VigilConfigInput } from "../../shared/config/schema";
import { findingId } from "../../shared/findings/id";
import { IncompleteProcessingError, processEvent } from "../../shared/pipeline/process-event";
import type { VigilRuntime } from "../../shared/pipeline/runtime";
import { loadEvent, sg } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";
import { fakeRole, stsError, stubbedSet, type StubbedSet } from "./support";

/**
 * The pipeline in the event's own account and Region: a member account's event (organisation
 * mode, forwarded from eu-west-1) is read and remediated through the clients the member role gets,
 * and recorded under the member account; the home account's events keep the runtime's own clients.
 */

const HOME = "111122223333";
const MEMBER = "222233334444";
const REGION = "eu-west-1";
const MEMBER_GROUP = "sg-0a4e7c2b9f1d36e58";
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/vigil-remediation-member`;
const SSH_CHECKS = ["EC2.13", "EC2.18", "EC2.19", "EC2.53"];

const organization = (enabled = true): VigilConfigInput => ({
  organization: {
    enabled,
    organizationId: "o-a1b2c3d4e5",
    organizationalUnits: ["ou-ab12-cdef3456"],
    externalId: "vigil-o-a1b2c3d4e5-central",
  },
  forwarding: { regions: [REGION] },
});
const memberEvent = () => loadEvent("organization/authorize-ssh-world-member-account.json");
const idFor = (checkId: string) =>
  findingId({ account: MEMBER, region: REGION, checkId, resourceId: MEMBER_GROUP });

/** A group's EC2 that answers the tag read and the revoke. */
function answering(set: StubbedSet, groupId: string): StubbedSet {
  set.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: groupId, Tags: [] }] });
  set.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
  return set;
}

describe("the pipeline in a member account's own account and Region", () => {
  let t: TestRuntime;
  let member: StubbedSet;
  let made: string[];

  async function start(
    config: VigilConfigInput,
    role = fakeRole(),
    options: Partial<AccountClientsOptions> = {},
  ): Promise<ReturnType<typeof fakeRole>> {
    t = await testRuntime({ config });
    member = answering(stubbedSet(REGION), MEMBER_GROUP);
    made = [];
    t.runtime.accountClients = accountClients({
      home: t.runtime.readClients as NonNullable<VigilRuntime["readClients"]>,
      homeAccount: HOME,
      homeRegion: "us-east-1",
      organization: t.runtime.config.organization,
      forwardingRegions: t.runtime.config.forwarding.regions,
      remediationRole: undefined,
      logger: t.logger,
      clientSet: (region) => {
        made.push(region);
        return member.clients;
      },
      roleCredentials: () => role,
      ...options,
    });
    return role;
  }
  afterEach(() => t.close());

  describe("organisation mode on", () => {
    beforeEach(() => start(organization()));

    it("reads and revokes through the member role's clients in the event's Region, and records the member account", async () => {
      const report = await processEvent(memberEvent(), t.runtime);

      expect(report.outcome).toBe("processed");
      expect(made).toEqual([REGION]);
      expect(t.ec2.calls()).toEqual([]);
      expect(member.ec2.calls().map((c) => c.args[0].constructor.name)).toEqual([
        "DescribeSecurityGroupsCommand",
        "RevokeSecurityGroupIngressCommand",
      ]);
      expect(member.ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({
        GroupId: MEMBER_GROUP,
        SecurityGroupRuleIds: ["sgr-04b8e2d7a1c9f3e65"],
      });
      expect(report.resources[0]?.remediation).toEqual([
        {
          action: `revoked from ${MEMBER_GROUP}: tcp 22 from 0.0.0.0/0 (sgr-04b8e2d7a1c9f3e65)`,
          result: "succeeded",
        },
      ]);
      const findings = await t.runtime.store.getMany(SSH_CHECKS.map(idFor));
      expect(
        [...findings.values()]
          .map((f) => [f.checkId, f.status, f.resource.account, f.resource.region])
          .sort(),
      ).toEqual(SSH_CHECKS.map((checkId) => [checkId, "REMEDIATED", MEMBER, REGION]));
      expect(findings.get(idFor("EC2.13"))?.resource.arn).toBe(
        `arn:aws:ec2:${REGION}:${MEMBER}:security-group/${MEMBER_GROUP}`,
      );
    });

    it("the home account's event keeps the runtime's own clients: no role, no client set made", async () => {
      t.ec2
        .on(DescribeSecurityGroupsCommand)
        .resolves({ SecurityGroups: [{ GroupId: "sg-07c1e5a9d3b2f4068" }] });
      t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
      const report = await processEvent(sg("authorize-ssh-world-ipv4"), t.runtime);
      expect(report.resources[0]?.remediation).toEqual([
        {
          action: "revoked from sg-07c1e5a9d3b2f4068: tcp 22 from 0.0.0.0/0 (sgr-0d27a9c4e81f35b60)",
          result: "succeeded",
        },
      ]);
      expect(made).toEqual([]);
      expect(member.ec2.calls()).toEqual([]);
      expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
    });

    it("undo acts in the finding's own account and Region", async () => {
      await processEvent(memberEvent(), t.runtime);
      member.ec2.on(AuthorizeSecurityGroupIngressCommand).resolves({ Return: true });
      member.ec2.on(CreateTagsCommand).resolves({});
      member.ec2.on(DescribeSecurityGroupRulesCommand).resolves({ SecurityGroupRules: [] });

      await undo(idFor("EC2.13"), t.runtime);
      expect(member.ec2.commandCalls(AuthorizeSecurityGroupIngressCommand)[0]?.args[0].input).toMatchObject({
        GroupId: MEMBER_GROUP,
      });
      expect(member.ec2.commandCalls(CreateTagsCommand)).toHaveLength(1);
      expect(t.ec2.calls()).toEqual([]);
      expect((await t.runtime.store.get(idFor("EC2.13")))?.status).toBe("SUPPRESSED");
    });

    it("an oversized Config item from a member account is fetched in its own account and Region", async () => {
      const group = "sg-0123456789abcdef0";
      const event = sg("config-oversized-item");
      Object.assign(event, { account: MEMBER, region: REGION });
      Object.assign(event.detail.configurationItemSummary as Record<string, unknown>, {
        awsAccountId: MEMBER,
        awsRegion: REGION,
        ARN: `arn:aws:ec2:${REGION}:${MEMBER}:security-group/${group}`,
      });
      member.configService.on(GetResourceConfigHistoryCommand).resolves({
        configurationItems: [
          {
            configurationItemStatus: "OK",
            resourceType: "AWS::EC2::SecurityGroup",
            resourceId: group,
            awsRegion: REGION,
            accountId: MEMBER,
            configurationItemCaptureTime: new Date("2025-03-13T11:00:04.900Z"),
            configuration: JSON.stringify({
              groupId: group,
              groupName: "huge-partner-allowlist",
              ipPermissions: [
                {
                  ipProtocol: "tcp",
                  fromPort: 443,
                  toPort: 443,
                  ipv4Ranges: [{ cidrIp: "198.51.100.7/32" }],
                  ipv6Ranges: [],
                  prefixListIds: [],
                  userIdGroupPairs: [],
                },
              ],
              ipPermissionsEgress: [],
            }),
            tags: {},
          },
        ],
      });
      const report = await processEvent(event, t.runtime);
      expect(report.outcome).toBe("processed");
      expect(member.configService.commandCalls(GetResourceConfigHistoryCommand)[0]?.args[0].input).toEqual({
        resourceType: "AWS::EC2::SecurityGroup",
        resourceId: group,
        limit: 1,
      });
      expect(t.configService.calls()).toEqual([]);
      expect(made).toEqual([REGION]);
      expect(report.resources[0]?.resource).toMatchObject({ id: group, account: MEMBER, region: REGION });
    });

    it("a runtime that swapped its clients (a sweep unit, a scan Region) keeps them: the picker is not asked", async () => {
      const own = answering(stubbedSet(REGION), MEMBER_GROUP);
      const unit: VigilRuntime = { ...t.runtime, readClients: own.clients, remediationClients: own.clients };
      await processEvent(memberEvent(), unit);
      expect(made).toEqual([]);
      expect(own.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(1);
      expect(member.ec2.calls()).toEqual([]);
    });
  });

  it("a member role denied: the findings are recorded OPEN from the event, nothing is read or revoked, the reason is kept", async () => {
    const denied = stsError(
      "AccessDenied",
      `not authorized to perform: sts:AssumeRole on resource: ${MEMBER_ROLE}`,
      403,
    );
    await start(organization(), fakeRole(denied));
    const report = await processEvent(memberEvent(), t.runtime);

    const reason = `held back: could not assume ${MEMBER_ROLE} (AccessDenied: ${denied.message})`;
    expect(report.outcome).toBe("processed");
    expect(report.resources[0]?.remediation).toEqual([{ action: reason, result: "skipped" }]);
    expect(member.ec2.calls()).toEqual([]);
    expect(t.ec2.calls()).toEqual([]);
    const finding = await t.runtime.store.get(idFor("EC2.19"));
    expect(finding).toMatchObject({
      status: "OPEN",
      resource: { account: MEMBER, region: REGION },
      remediation: { mode: "auto", result: "skipped", action: reason },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("a throttled AssumeRole fails the event so it is retried, with the remediation recorded as failed", async () => {
    await start(organization(), fakeRole(stsError("Throttling", "Rate exceeded", 400)));
    await expect(processEvent(memberEvent(), t.runtime)).rejects.toBeInstanceOf(IncompleteProcessingError);
    expect(member.ec2.calls()).toEqual([]);
    expect((await t.runtime.store.get(idFor("EC2.19")))?.remediation).toMatchObject({
      result: "failed",
      action: `held back: could not assume ${MEMBER_ROLE} (Throttling: Rate exceeded)`,
    });
  });

  it("organisation mode off: another account's event is recorded, not remediated, and nothing is read", async () => {
    await start(organization(false));
    const report = await processEvent(memberEvent(), t.runtime);
    expect(report.resources[0]?.remediation).toEqual([
      {
        action: `held back: account ${MEMBER} is not Vigil's own (${HOME}) and organisation mode is off`,
        result: "skipped",
      },
    ]);
    expect([member.ec2.calls(), t.ec2.calls(), made]).toEqual([[], [], []]);
    expect((await t.runtime.store.get(idFor("EC2.13")))?.status).toBe("OPEN");
  });

  it("an event that must be confirmed against AWS where Vigil can't read is skipped, saying why", async () => {
    await start(organization(false));
    const event = sg("modify-rule-ssh-to-world");
    Object.assign(event, { account: MEMBER, region: REGION });
    Object.assign(event.detail, { awsRegion: REGION, recipientAccountId: MEMBER });
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("ignored");
    expect(report.reason).toContain(
      `account ${MEMBER} is not Vigil's own (${HOME}) and organisation mode is off`,
    );
    expect([member.ec2.calls(), t.ec2.calls()]).toEqual([[], []]);
  });
});
