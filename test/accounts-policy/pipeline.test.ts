import {
  AccessDeniedException,
  ListParentsCommand,
  OrganizationsClient,
  TooManyRequestsException,
} from "@aws-sdk/client-organizations";
import { DescribeSecurityGroupsCommand, RevokeSecurityGroupIngressCommand } from "@aws-sdk/client-ec2";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { VigilConfigInput } from "../../shared/config/schema";
import { findingId } from "../../shared/findings/id";
import { IncompleteProcessingError, processEvent } from "../../shared/pipeline/process-event";
import { loadEvent } from "../support/events";
import { revokeAnswer, testRuntime, type TestRuntime } from "../support/runtime";

/** A member account's world-open SSH rule, as CloudTrail delivers it to the central bus. */
const event = () => loadEvent("organization/authorize-ssh-world-member-account.json");
const MEMBER = "222233334444";
const GROUP = "sg-0a4e7c2b9f1d36e58";
const TEAM_OU = "ou-ab12-team0001";
const WORKLOADS_OU = "ou-ab12-wkld0001";
const SANDBOX_OU = "ou-ab12-sbox0001";
const CHECKS = ["EC2.13", "EC2.18", "EC2.19", "EC2.53"];
const idFor = (checkId: string) =>
  findingId({ account: MEMBER, region: "eu-west-1", checkId, resourceId: GROUP });
const HELD_BACK =
  "held back: the account's organizational units (per-OU modes and exemptions) could not be read";

describe("per-account and per-OU policy on a member account's event", () => {
  let t: TestRuntime;
  // Every OrganizationsClient, as the runtime creates its own (shared/pipeline/account-scope.ts).
  let org: AwsClientStub<OrganizationsClient>;

  const run = async (config: VigilConfigInput) => {
    t = await testRuntime({ config });
    t.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [{ GroupId: GROUP, Tags: [] }] });
    t.ec2.on(RevokeSecurityGroupIngressCommand).callsFake(revokeAnswer);
    return processEvent(event(), t.runtime);
  };
  const findings = () => t.runtime.store.getMany(CHECKS.map(idFor));
  const listParentsInputs = () => org.commandCalls(ListParentsCommand).map((call) => call.args[0].input);

  beforeEach(() => {
    org = mockClient(OrganizationsClient);
    // ROOT > WORKLOADS_OU > TEAM_OU > MEMBER
    org
      .on(ListParentsCommand, { ChildId: MEMBER })
      .resolves({ Parents: [{ Id: TEAM_OU, Type: "ORGANIZATIONAL_UNIT" }] });
    org
      .on(ListParentsCommand, { ChildId: TEAM_OU })
      .resolves({ Parents: [{ Id: WORKLOADS_OU, Type: "ORGANIZATIONAL_UNIT" }] });
    org
      .on(ListParentsCommand, { ChildId: WORKLOADS_OU })
      .resolves({ Parents: [{ Id: "r-ab12", Type: "ROOT" }] });
  });
  afterEach(async () => {
    org.restore();
    await t.close();
  });

  it("an OU-level `off` on the account's grandparent OU: nothing revoked, findings OPEN in the member account", async () => {
    const report = await run({
      accounts: [{ organizationalUnits: [WORKLOADS_OU], modeOverride: "off", reason: "sandbox workloads" }],
    });

    expect(listParentsInputs()).toEqual([
      { ChildId: MEMBER },
      { ChildId: TEAM_OU },
      { ChildId: WORKLOADS_OU },
    ]);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    const stored = await findings();
    for (const id of ["EC2.13", "EC2.19"].map(idFor)) {
      expect(stored.get(id)).toMatchObject({
        status: "OPEN",
        resource: { account: MEMBER, region: "eu-west-1", id: GROUP },
        remediation: {
          mode: "off",
          result: "skipped",
          action: `remediation is off for this check (set for OU ${WORKLOADS_OU}: sandbox workloads)`,
        },
      });
    }
    // Tag read (1) + three ListParents calls.
    expect(report.resources[0]?.awsCalls).toBe(4);
  });

  it("an entry naming the account beats the OU's `off`: revoked", async () => {
    await run({
      accounts: [
        { accounts: [MEMBER], modeOverride: "auto", reason: "the platform team's account is auto" },
        { organizationalUnits: [TEAM_OU], modeOverride: "off" },
      ],
    });
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)[0]?.args[0].input).toEqual({
      GroupId: GROUP,
      SecurityGroupRuleIds: ["sgr-04b8e2d7a1c9f3e65"],
    });
    expect((await t.runtime.store.get(idFor("EC2.19")))?.status).toBe("REMEDIATED");
  });

  it("an exemption on the parent OU suppresses the member account's findings; nothing revoked", async () => {
    await run({
      exemptions: [{ checks: "*", organizationalUnits: [TEAM_OU], reason: "bastion OU, reviewed" }],
    });

    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("EC2.19"))).toMatchObject({
      status: "SUPPRESSED",
      suppression: { source: "config", reason: "bastion OU, reviewed" },
    });
  });

  it("rules for another OU don't apply (and the walk is made once per container)", async () => {
    await run({ exemptions: [{ checks: "*", organizationalUnits: [SANDBOX_OU], reason: "sandbox" }] });
    expect((await t.runtime.store.get(idFor("EC2.19")))?.status).toBe("REMEDIATED");
    expect(listParentsInputs()).toHaveLength(3);

    await processEvent({ ...event(), id: "second-delivery-id" }, t.runtime);
    expect(listParentsInputs()).toHaveLength(3);
  });

  it("no lookup when no rule names an OU, or the OU rules are about other checks", async () => {
    await run({ accounts: [{ accounts: ["999988887777"], modeOverride: "off" }] });
    await t.close();
    await run({ accounts: [{ organizationalUnits: [TEAM_OU], modes: { "S3.1": "off" } }] });
    expect(listParentsInputs()).toEqual([]);
    expect((await t.runtime.store.get(idFor("EC2.19")))?.status).toBe("REMEDIATED");
  });

  it("a failed lookup (no permission) holds the remediation back; the findings are still recorded, OPEN", async () => {
    org
      .on(ListParentsCommand)
      .rejects(new AccessDeniedException({ message: "not authorized", $metadata: {} }));
    const report = await run({
      exemptions: [{ checks: ["EC2.19"], organizationalUnits: [TEAM_OU], reason: "x" }],
    });

    expect(report.outcome).toBe("processed");
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    const stored = await findings();
    for (const checkId of CHECKS.filter((id) => id !== "EC2.18")) {
      expect(stored.get(idFor(checkId))).toMatchObject({
        status: "OPEN",
        remediation: { result: "skipped", action: HELD_BACK },
      });
    }
    expect(t.logger.entries.map((e) => e.message)).toContain(
      "could not look up the account's organizational units; auto-remediation held back",
    );
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("a throttled lookup holds back too and fails the event so its redelivery tries again", async () => {
    org.on(ListParentsCommand).rejects(new TooManyRequestsException({ message: "slow down", $metadata: {} }));
    await expect(
      run({ accounts: [{ organizationalUnits: [TEAM_OU], modeOverride: "dry-run" }] }),
    ).rejects.toBeInstanceOf(IncompleteProcessingError);
    expect(t.ec2.commandCalls(RevokeSecurityGroupIngressCommand)).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("EC2.19"))).toMatchObject({
      status: "OPEN",
      remediation: { result: "failed", action: HELD_BACK },
    });
  });
});
