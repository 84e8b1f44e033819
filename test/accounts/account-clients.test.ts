import { describe, expect, it, vi } from "vitest";
import { accountClients, type AccountClientsOptions } from "../../shared/aws/account-clients";
import type { RoleTarget } from "../../shared/aws/clients";
import { parseConfig } from "../../shared/config/load";
import { recordingLogger } from "../support/runtime";
import { fakeRole, stsError, stubbedSet, type StubbedSet } from "./support";

const HOME = "111122223333";
const MEMBER = "222233334444";
const OTHER_MEMBER = "333344445555";
const EXTERNAL_ID = "vigil-o-a1b2c3d4e5-central";
const HOME_ROLE = "arn:aws:iam::111122223333:role/vigil-remediation-us-east-1";
const MEMBER_ROLE: RoleTarget = {
  roleArn: `arn:aws:iam::${MEMBER}:role/vigil-remediation-member`,
  externalId: EXTERNAL_ID,
};

const organization = (enabled = true) =>
  parseConfig({
    organization: {
      enabled,
      organizationId: "o-a1b2c3d4e5",
      organizationalUnits: ["ou-ab12-cdef3456"],
      externalId: EXTERNAL_ID,
    },
  }).organization;

/** The picker with recording factories: which client sets it made, which roles it assumed. */
function setup(options: Partial<AccountClientsOptions> & { role?: ReturnType<typeof fakeRole> } = {}) {
  const { role = fakeRole(), ...overrides } = options;
  const home = stubbedSet("us-east-1");
  const sets: StubbedSet[] = [];
  const roles: (RoleTarget | string)[] = [];
  const callerAccount = vi.fn(async () => HOME);
  const logger = recordingLogger();
  const picker = accountClients({
    home: home.clients,
    homeAccount: HOME,
    homeRegion: "us-east-1",
    organization: organization(),
    forwardingRegions: ["eu-west-1"],
    remediationRole: undefined,
    logger,
    clientSet: (region, credentials) => {
      const set = stubbedSet(region, credentials);
      sets.push(set);
      return set.clients;
    },
    roleCredentials: (target) => {
      roles.push(target);
      return role;
    },
    callerAccount,
    ...overrides,
  });
  return { picker, home, sets, roles, role, callerAccount, logger };
}

describe("accountClients: which credentials and Region a resource is reached with", () => {
  it("the home account in the home Region: the runtime's own clients, nothing made, nothing called", async () => {
    const { picker, sets, roles, role, callerAccount } = setup();
    expect(await picker.clientsFor(HOME, "us-east-1")).toBeUndefined();
    // IAM and CloudFront resources live in the `global` pseudo-Region: the home Region serves them.
    expect(await picker.clientsFor(HOME, "global")).toBeUndefined();
    expect([sets.length, roles.length, role.calls]).toEqual([0, 0, 0]);
    expect(callerAccount).not.toHaveBeenCalled();
  });

  it("the home account in a forwarded Region: reads there with the function's credentials, remediation as the home role there", async () => {
    const { picker, sets, roles, role } = setup({ remediationRole: HOME_ROLE });
    const scoped = await picker.clientsFor(HOME, "eu-west-1");
    expect(sets.map((s) => [s.region, s.credentials])).toEqual([
      ["eu-west-1", undefined],
      ["eu-west-1", role],
    ]);
    expect(roles).toEqual([HOME_ROLE]);
    expect(scoped?.reads).toBe(sets[0]?.clients);
    expect(scoped?.remediation).toMatchObject({ ec2: sets[1]?.clients.ec2, logger: expect.anything() });
    expect(scoped?.unavailable).toBeUndefined();
    // Cached for the container: the next event in that Region makes nothing new.
    expect(await picker.clientsFor(HOME, "eu-west-1")).toBe(scoped);
    expect(sets).toHaveLength(2);
  });

  it("the home account without a remediation role (the CLI): one set in that Region reads and remediates", async () => {
    const { picker, sets } = setup();
    const scoped = await picker.clientsFor(HOME, "eu-west-1");
    expect(sets).toHaveLength(1);
    expect(scoped?.remediation?.ec2).toBe(sets[0]?.clients.ec2);
  });

  it("a Region Vigil is not deployed in: reads there, remediation held back with the reason", async () => {
    const { picker, sets } = setup({ remediationRole: HOME_ROLE });
    const scoped = await picker.clientsFor(HOME, "ap-southeast-2");
    expect(sets.map((s) => s.region)).toEqual(["ap-southeast-2"]);
    expect(scoped).toMatchObject({
      reads: sets[0]?.clients,
      remediation: undefined,
      unavailable:
        "held back: Vigil is not deployed in ap-southeast-2 (the home Region and forwarding.regions), where its role may act",
    });
  });

  it("a member account in organisation mode: reads and remediation as its role, with the ExternalId, in the resource's Region", async () => {
    const { picker, sets, roles, role } = setup({ remediationRole: HOME_ROLE });
    const scoped = await picker.clientsFor(MEMBER, "eu-west-1");
    expect(roles).toEqual([MEMBER_ROLE]);
    // Assumed up front, once: a role that can't be assumed is known before any read.
    expect(role.calls).toBe(1);
    expect(sets.map((s) => [s.region, s.credentials])).toEqual([["eu-west-1", role]]);
    expect(scoped?.reads).toBe(sets[0]?.clients);
    expect(scoped?.remediation?.ec2).toBe(sets[0]?.clients.ec2);
    expect(await picker.clientsFor(MEMBER, "eu-west-1")).toBe(scoped);

    // Its home-Region resources (and `global` ones) get a set of their own, with the same role's credentials.
    const home = await picker.clientsFor(MEMBER, "global");
    expect(sets.map((s) => s.region)).toEqual(["eu-west-1", "us-east-1"]);
    expect(home?.reads).toBe(sets[1]?.clients);
    expect(roles).toEqual([MEMBER_ROLE]);

    await picker.clientsFor(OTHER_MEMBER, "eu-west-1");
    expect(roles).toEqual([
      MEMBER_ROLE,
      { roleArn: `arn:aws:iam::${OTHER_MEMBER}:role/vigil-remediation-member`, externalId: EXTERNAL_ID },
    ]);
  });

  it("a member role that can't be assumed: no reads, no remediation, the reason and an error log; tried again next time", async () => {
    const denied = stsError(
      "AccessDenied",
      `User: arn:aws:sts::${HOME}:assumed-role/vigil-cloudtrail-event/fn is not authorized to perform: sts:AssumeRole on resource: ${MEMBER_ROLE.roleArn}`,
      403,
    );
    const role = fakeRole(denied);
    const { picker, sets, logger } = setup({ role });
    const scoped = await picker.clientsFor(MEMBER, "eu-west-1");
    expect(scoped).toEqual({
      reads: undefined,
      remediation: undefined,
      unavailable: `held back: could not assume ${MEMBER_ROLE.roleArn} (AccessDenied: ${denied.message})`,
      cause: denied,
    });
    expect(sets).toEqual([]);
    expect(logger.entries).toEqual([
      {
        level: "error",
        message: "cannot assume the member account's role: findings recorded, remediation held back",
        attributes: [{ account: MEMBER, roleArn: MEMBER_ROLE.roleArn, error: denied }],
      },
    ]);
    await picker.clientsFor(MEMBER, "eu-west-1");
    expect(role.calls).toBe(2);
  });

  it("another account outside organisation mode: nothing to read or remediate with, and why", async () => {
    const { picker, sets, roles, logger } = setup({ organization: organization(false) });
    expect(await picker.clientsFor(MEMBER, "us-east-1")).toEqual({
      reads: undefined,
      remediation: undefined,
      unavailable: `held back: account ${MEMBER} is not Vigil's own (${HOME}) and organisation mode is off`,
    });
    expect([sets.length, roles.length]).toEqual([0, 0]);
    expect(logger.entries.map((e) => [e.level, e.message])).toEqual([
      ["warn", "event from another account outside organisation mode: recorded, not remediated"],
    ]);
  });

  it("without VIGIL_HOME_ACCOUNT outside organisation mode, every account is the credentials' own (no STS call)", async () => {
    const { picker, callerAccount } = setup({ homeAccount: undefined, organization: organization(false) });
    expect(await picker.clientsFor(MEMBER, "us-east-1")).toBeUndefined();
    expect(callerAccount).not.toHaveBeenCalled();
  });

  it("without VIGIL_HOME_ACCOUNT in organisation mode, STS names the home account once", async () => {
    const { picker, callerAccount, roles } = setup({ homeAccount: undefined });
    expect(await picker.clientsFor(HOME, "us-east-1")).toBeUndefined();
    await picker.clientsFor(MEMBER, "us-east-1");
    expect(callerAccount).toHaveBeenCalledTimes(1);
    expect(roles).toEqual([MEMBER_ROLE]);
  });

  it("when STS can't name the home account, remediation is held back until it can", async () => {
    const callerAccount = vi
      .fn()
      .mockRejectedValueOnce(stsError("ThrottlingException", "Rate exceeded", 400));
    callerAccount.mockResolvedValue(HOME);
    const { picker } = setup({ homeAccount: undefined, callerAccount });
    expect(await picker.clientsFor(HOME, "us-east-1")).toMatchObject({
      reads: undefined,
      remediation: undefined,
      unavailable:
        "held back: Vigil's own account could not be told (ThrottlingException: Rate exceeded); set VIGIL_HOME_ACCOUNT",
    });
    expect(await picker.clientsFor(HOME, "us-east-1")).toBeUndefined();
  });

  it("rejects a VIGIL_HOME_ACCOUNT that is no account id", () => {
    expect(() => setup({ homeAccount: "central" })).toThrow(
      'VIGIL_HOME_ACCOUNT must be a 12-digit account id, not "central"',
    );
  });
});
