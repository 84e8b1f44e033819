import {
  AccessDeniedException,
  ChildNotFoundException,
  ListParentsCommand,
  OrganizationsClient,
  TooManyRequestsException,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { organizationUnits, ORGANIZATION_UNITS_TTL_MS } from "../../shared/aws/organization-units";

const MEMBER = "222233334444";
const NEIGHBOUR = "333344445555";
const TEAM_OU = "ou-ab12-team0001";
const WORKLOADS_OU = "ou-ab12-wkld0001";
const ROOT = "r-ab12";

const client = new OrganizationsClient({ region: "us-east-1" });
const org = mockClient(client);

/** The tree: ROOT > WORKLOADS_OU > TEAM_OU > MEMBER, NEIGHBOUR. */
function answerTree(): void {
  org
    .on(ListParentsCommand, { ChildId: MEMBER })
    .resolves({ Parents: [{ Id: TEAM_OU, Type: "ORGANIZATIONAL_UNIT" }] });
  org
    .on(ListParentsCommand, { ChildId: NEIGHBOUR })
    .resolves({ Parents: [{ Id: TEAM_OU, Type: "ORGANIZATIONAL_UNIT" }] });
  org
    .on(ListParentsCommand, { ChildId: TEAM_OU })
    .resolves({ Parents: [{ Id: WORKLOADS_OU, Type: "ORGANIZATIONAL_UNIT" }] });
  org.on(ListParentsCommand, { ChildId: WORKLOADS_OU }).resolves({ Parents: [{ Id: ROOT, Type: "ROOT" }] });
}

const asked = () => org.commandCalls(ListParentsCommand).map((call) => call.args[0].input);

describe("organizationUnits", () => {
  let clock = 0;
  const units = () => organizationUnits({ client: async () => client, now: () => clock });
  beforeEach(() => {
    org.reset();
    clock = 1_000;
  });

  it("walks ListParents from the account up to the root: OUs nearest first, the root left out", async () => {
    answerTree();
    await expect(units().ancestry(MEMBER)).resolves.toEqual({
      organizationalUnits: [TEAM_OU, WORKLOADS_OU],
      calls: 3,
    });
    expect(asked()).toEqual([{ ChildId: MEMBER }, { ChildId: TEAM_OU }, { ChildId: WORKLOADS_OU }]);
  });

  it("an account directly under the root has no OUs", async () => {
    org.on(ListParentsCommand).resolves({ Parents: [{ Id: ROOT, Type: "ROOT" }] });
    await expect(units().ancestry(MEMBER)).resolves.toEqual({ organizationalUnits: [], calls: 1 });
  });

  it("caches each parent: the same account costs nothing, a neighbour one call, until the TTL runs out", async () => {
    answerTree();
    const lookup = units();
    await lookup.ancestry(MEMBER);
    await expect(lookup.ancestry(MEMBER)).resolves.toEqual({
      organizationalUnits: [TEAM_OU, WORKLOADS_OU],
      calls: 0,
    });
    await expect(lookup.ancestry(NEIGHBOUR)).resolves.toMatchObject({ calls: 1 });
    expect(asked()).toEqual([
      { ChildId: MEMBER },
      { ChildId: TEAM_OU },
      { ChildId: WORKLOADS_OU },
      { ChildId: NEIGHBOUR },
    ]);
    clock += ORGANIZATION_UNITS_TTL_MS + 1;
    await expect(lookup.ancestry(MEMBER)).resolves.toMatchObject({ calls: 3 });
  });

  it("concurrent lookups of one account share the calls", async () => {
    answerTree();
    const lookup = units();
    await Promise.all([lookup.ancestry(MEMBER), lookup.ancestry(MEMBER)]);
    expect(asked()).toHaveLength(3);
  });

  it("follows NextToken past an empty page", async () => {
    org
      .on(ListParentsCommand, { ChildId: MEMBER })
      .resolvesOnce({ Parents: [], NextToken: "page-2" })
      .resolves({ Parents: [{ Id: ROOT, Type: "ROOT" }] });
    await expect(units().ancestry(MEMBER)).resolves.toEqual({ organizationalUnits: [], calls: 1 });
    expect(asked()).toEqual([{ ChildId: MEMBER }, { ChildId: MEMBER, NextToken: "page-2" }]);
  });

  it.each([
    ["no permission", new AccessDeniedException({ message: "not authorized", $metadata: {} })],
    ["not in the organisation", new ChildNotFoundException({ message: "no such child", $metadata: {} })],
    ["throttled", new TooManyRequestsException({ message: "slow down", $metadata: {} })],
  ])("rejects when ListParents fails (%s) and does not remember the failure", async (_, error) => {
    org.on(ListParentsCommand).rejectsOnce(error);
    const lookup = units();
    await expect(lookup.ancestry(MEMBER)).rejects.toBe(error);
    org.on(ListParentsCommand).resolves({ Parents: [{ Id: ROOT, Type: "ROOT" }] });
    await expect(lookup.ancestry(MEMBER)).resolves.toEqual({ organizationalUnits: [], calls: 1 });
  });

  it("rejects an answer without a parent or with an unknown parent type instead of guessing", async () => {
    org.on(ListParentsCommand, { ChildId: MEMBER }).resolves({ Parents: [] });
    await expect(units().ancestry(MEMBER)).rejects.toThrow(/returned no parent/);
    org
      .on(ListParentsCommand, { ChildId: MEMBER })
      .resolves({ Parents: [{ Id: "x-1", Type: "FOLDER" as never }] });
    await expect(units().ancestry(MEMBER)).rejects.toThrow(/unexpected parent/);
  });

  it("stops on a cycle rather than looping", async () => {
    org.on(ListParentsCommand).resolves({ Parents: [{ Id: TEAM_OU, Type: "ORGANIZATIONAL_UNIT" }] });
    await expect(units().ancestry(MEMBER)).rejects.toThrow(/levels of organizational units/);
  });
});
