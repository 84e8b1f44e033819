import {
  ListAccountsCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
  type Account,
} from "@aws-sdk/client-organizations";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load";
import type { OrganizationSettings } from "../../shared/config/organization";
import { sweepAccounts } from "../../shared/sweep/accounts";
import type { Collector } from "../../shared/sweep/collector";
import { MAX_PLAN_BYTES, sweepPlanner, type SweepPlan } from "../../shared/sweep/planner";
import { planUnits } from "../../shared/sweep/sweep";
import { recordingLogger } from "../support/runtime";

const HOME = "111122223333";
const MANAGEMENT = "999988887777";
const ORG = "o-a1b2c3d4e5";
const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${HOME}:function:VigilStack-SweepPlanner` };
const STARTED = "2026-11-27T00:00:00Z";

const organizations = mockClient(OrganizationsClient);
afterEach(() => organizations.reset());
const client = async () => new OrganizationsClient({ region: "us-east-1" });

const account = (id: string, state: Account["State"] = "ACTIVE"): Account => ({
  Id: id,
  Arn: `arn:aws:organizations::${MANAGEMENT}:account/${ORG}/${id}`,
  Name: `account-${id}`,
  State: state,
});
const orgMode = (organizationalUnits: string[]): OrganizationSettings => ({
  enabled: true,
  organizationId: ORG,
  organizationalUnits,
  memberRoleName: "vigil-remediation-member",
  externalId: "vigil-external-id",
});
/** The requests as sent (the SDK's paginators reuse one input object, so the mock's own record shows the last page's). */
const asked: { command: string; input: Record<string, unknown> }[] = [];
afterEach(() => asked.splice(0));
type Answer = Record<string, unknown>;
/** Answers `Command` by its input (ParentId and NextToken), recording a copy of each request. */
function answer(
  command:
    | typeof ListAccountsCommand
    | typeof ListAccountsForParentCommand
    | typeof ListOrganizationalUnitsForParentCommand,
  pages: Record<string, Answer>,
) {
  organizations.on(command as never).callsFake((input: Record<string, unknown>) => {
    const { MaxResults: _unset, ...sent } = input;
    asked.push({ command: command.name, input: { ...sent } });
    const key = [input.ParentId, input.NextToken].filter((part) => part !== undefined).join(" ");
    const page = pages[key];
    if (!page) throw new Error(`unexpected ${command.name} ${key}`);
    return page;
  });
}
const requests = (command: { name: string }) =>
  asked.filter((a) => a.command === command.name).map((a) => a.input);

describe("sweep accounts (Organizations)", () => {
  it("organisation mode off: the home account only, without asking Organizations", async () => {
    const found = await sweepAccounts(parseConfig({}).organization, HOME, client);
    expect(found).toEqual({ accounts: [HOME], skipped: [] });
    expect(organizations.calls()).toHaveLength(0);
  });

  it("walks the OUs and their nested OUs, every page, keeping the ACTIVE accounts; the home account first", async () => {
    answer(ListAccountsForParentCommand, {
      "ou-ab12-aaaaaaaa": { Accounts: [account("222222222222")], NextToken: "page-2" },
      "ou-ab12-aaaaaaaa page-2": {
        Accounts: [account("333333333333"), account("444444444444", "SUSPENDED")],
      },
      "ou-ab12-bbbbbbbb": { Accounts: [account("555555555555"), account(HOME)] },
      "ou-ab12-cccccccc": { Accounts: [account("666666666666", "PENDING_CLOSURE")] },
      "ou-ab12-dddddddd": { Accounts: [account("777777777777")] },
    });
    answer(ListOrganizationalUnitsForParentCommand, {
      "ou-ab12-aaaaaaaa": { OrganizationalUnits: [{ Id: "ou-ab12-bbbbbbbb" }], NextToken: "ous-2" },
      "ou-ab12-aaaaaaaa ous-2": { OrganizationalUnits: [{ Id: "ou-ab12-cccccccc" }] },
      "ou-ab12-bbbbbbbb": { OrganizationalUnits: [{ Id: "ou-ab12-dddddddd" }] },
      "ou-ab12-cccccccc": { OrganizationalUnits: [] },
      "ou-ab12-dddddddd": {},
    });

    const found = await sweepAccounts(orgMode(["ou-ab12-aaaaaaaa"]), HOME, client);

    expect(found.accounts).toEqual([HOME, "222222222222", "333333333333", "555555555555", "777777777777"]);
    expect(found.skipped).toEqual([
      { account: "444444444444", reason: "not ACTIVE (SUSPENDED)" },
      { account: "666666666666", reason: "not ACTIVE (PENDING_CLOSURE)" },
    ]);
    expect(requests(ListAccountsForParentCommand)).toEqual([
      { ParentId: "ou-ab12-aaaaaaaa" },
      { ParentId: "ou-ab12-aaaaaaaa", NextToken: "page-2" },
      { ParentId: "ou-ab12-bbbbbbbb" },
      { ParentId: "ou-ab12-cccccccc" },
      { ParentId: "ou-ab12-dddddddd" },
    ]);
    expect(requests(ListOrganizationalUnitsForParentCommand)).toEqual([
      { ParentId: "ou-ab12-aaaaaaaa" },
      { ParentId: "ou-ab12-aaaaaaaa", NextToken: "ous-2" },
      { ParentId: "ou-ab12-bbbbbbbb" },
      { ParentId: "ou-ab12-cccccccc" },
      { ParentId: "ou-ab12-dddddddd" },
    ]);
    expect(organizations.commandCalls(ListAccountsCommand)).toHaveLength(0);
  });

  it("an OU listed twice (itself and under a listed parent) is walked once", async () => {
    answer(ListAccountsForParentCommand, {
      "ou-ab12-aaaaaaaa": { Accounts: [account("222222222222")] },
      "ou-ab12-bbbbbbbb": { Accounts: [account("333333333333")] },
    });
    answer(ListOrganizationalUnitsForParentCommand, {
      "ou-ab12-aaaaaaaa": { OrganizationalUnits: [{ Id: "ou-ab12-bbbbbbbb" }] },
      "ou-ab12-bbbbbbbb": { OrganizationalUnits: [] },
    });
    const found = await sweepAccounts(orgMode(["ou-ab12-aaaaaaaa", "ou-ab12-bbbbbbbb"]), HOME, client);
    expect(found.accounts).toEqual([HOME, "222222222222", "333333333333"]);
    expect(requests(ListAccountsForParentCommand).map((input) => input.ParentId)).toEqual([
      "ou-ab12-aaaaaaaa",
      "ou-ab12-bbbbbbbb",
    ]);
  });

  it("a root id: the whole organisation with ListAccounts (every page), without the management account", async () => {
    answer(ListAccountsCommand, {
      "": { Accounts: [account(MANAGEMENT), account("222222222222")], NextToken: "next" },
      next: { Accounts: [account(HOME), account("333333333333", "SUSPENDED"), account("444444444444")] },
    });
    const found = await sweepAccounts(orgMode(["r-ab12"]), HOME, client);
    expect(found.accounts).toEqual([HOME, "222222222222", "444444444444"]);
    expect(found.skipped).toEqual([
      { account: "333333333333", reason: "not ACTIVE (SUSPENDED)" },
      {
        account: MANAGEMENT,
        reason: "the management account (no member role: service-managed StackSets skip it)",
      },
    ]);
    expect(requests(ListAccountsCommand)).toEqual([{}, { NextToken: "next" }]);
    expect(organizations.commandCalls(ListAccountsForParentCommand)).toHaveLength(0);
  });

  it("reads the retired Status when an account has no State yet", async () => {
    organizations.on(ListAccountsCommand).resolves({
      Accounts: [
        { Id: "222222222222", Arn: account("222222222222").Arn, Status: "ACTIVE" },
        { Id: "333333333333", Arn: account("333333333333").Arn, Status: "SUSPENDED" },
      ],
    });
    const found = await sweepAccounts(orgMode(["r-ab12"]), HOME, client);
    expect(found.accounts).toEqual([HOME, "222222222222"]);
  });

  it("an Organizations error fails the plan (the execution fails and alarms)", async () => {
    organizations
      .on(ListAccountsForParentCommand)
      .rejects(new Error("AccessDeniedException: not a delegated administrator"));
    await expect(sweepAccounts(orgMode(["ou-ab12-aaaaaaaa"]), HOME, client)).rejects.toThrow(/AccessDenied/);
  });
});

describe("sweep planner", () => {
  const collector = (resourceType: string, scope: Collector["scope"]): Collector =>
    ({ resourceType, scope, iamActions: [], collect: async function* () {} }) as unknown as Collector;
  const COLLECTORS = [
    collector("AWS::EC2::SecurityGroup", "regional"),
    collector("AWS::IAM::Role", "global"),
    collector("AWS::S3::Bucket", "global"),
  ];
  const planner = (config: object = {}, accounts: string[] = [HOME], homeAccount?: string) => {
    const logger = recordingLogger();
    const run = sweepPlanner({
      config: parseConfig(config),
      region: "us-east-1",
      ...(homeAccount ? { homeAccount } : {}),
      collectors: COLLECTORS,
      plan: planUnits,
      accounts: async (_organization, home) => ({
        accounts: [home, ...accounts.filter((a) => a !== home)],
        skipped: [],
      }),
      organizations: client,
      now: () => new Date("2026-11-27T05:00:00.000Z"),
      logger,
    });
    return { run, logger };
  };
  /** The units the state machine will run: each pair's types, as the Distributed Map's ItemSelector looks them up. */
  const unitsOf = (plan: SweepPlan) =>
    plan.pairs.flatMap((pair) =>
      (plan.resourceTypes[pair.types] ?? []).map((type) => `${pair.account} ${pair.region} ${type}`),
    );

  it("one account, the stack's Region: one pair with every type, named by the schedule's time", async () => {
    const plan = await planner().run({ scheduledTime: STARTED }, context);
    expect(plan).toEqual({
      startedAt: STARTED,
      homeAccount: HOME,
      accounts: 1,
      regions: ["us-east-1"],
      units: 3,
      resourceTypes: { "0": ["AWS::EC2::SecurityGroup", "AWS::IAM::Role", "AWS::S3::Bucket"] },
      pairs: [{ account: HOME, region: "us-east-1", types: "0" }],
    });
  });

  it("accounts x Regions: global types in each account's home (first) Region only; pairs share their type lists", async () => {
    const { run } = planner({ sweep: { regions: ["eu-west-1", "us-east-1"] } }, [HOME, "222222222222"]);
    const plan = await run({ scheduledTime: STARTED }, context);
    expect(plan.resourceTypes).toEqual({
      "0": ["AWS::EC2::SecurityGroup", "AWS::IAM::Role", "AWS::S3::Bucket"],
      "1": ["AWS::EC2::SecurityGroup"],
    });
    expect(plan.pairs).toEqual([
      { account: HOME, region: "eu-west-1", types: "0" },
      { account: HOME, region: "us-east-1", types: "1" },
      { account: "222222222222", region: "eu-west-1", types: "0" },
      { account: "222222222222", region: "us-east-1", types: "1" },
    ]);
    expect(plan.units).toBe(8);
    // The same units as planUnits per account: the grouping loses nothing.
    expect(unitsOf(plan).sort()).toEqual(
      [HOME, "222222222222"]
        .flatMap((a) =>
          planUnits({ account: a, regions: ["eu-west-1", "us-east-1"], collectors: COLLECTORS }),
        )
        .map((u) => `${u.account} ${u.region} ${u.resourceType}`)
        .sort(),
    );
  });

  it("VIGIL_HOME_ACCOUNT names the home account; without a scheduled time, now names the sweep", async () => {
    const plan = await planner({}, [], "444455556666").run({}, context);
    expect(plan.homeAccount).toBe("444455556666");
    expect(plan.pairs.map((pair) => pair.account)).toEqual(["444455556666"]);
    expect(plan.startedAt).toBe("2026-11-27T05:00:00.000Z");
  });

  const REGIONS = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "sa-east-1",
  ];
  const members = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));

  it("a plan of 250 accounts x 14 Regions fits Step Functions' 256 KiB state", async () => {
    const { run } = planner({ sweep: { regions: REGIONS.slice(0, 14) } }, members(249));
    const plan = await run({ scheduledTime: STARTED }, context);
    expect(plan.pairs).toHaveLength(250 * 14);
    expect(Buffer.byteLength(JSON.stringify(plan))).toBeLessThanOrEqual(MAX_PLAN_BYTES);
  });

  it("a plan too large for the state fails with the reason and what to change", async () => {
    const { run } = planner({ sweep: { regions: REGIONS } }, members(399));
    await expect(run({ scheduledTime: STARTED }, context)).rejects.toThrow(
      /sweep plan is too large for Step Functions' state \(6400 account\/Region pairs, \d+ bytes, limit 250000\): sweep fewer Regions/,
    );
  });
});
