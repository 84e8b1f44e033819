import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { sweepReadClients, sweepRemediationClients, type RoleTarget } from "../../shared/aws/clients";
import { parseConfig } from "../../shared/config/load";
import type { VigilRuntime } from "../../shared/pipeline/runtime";
import type { ReadClients } from "../../shared/resources/adapter";
import type { Collector } from "../../shared/sweep/collector";
import type { SweepUnit, SweepUnitResult } from "../../shared/sweep/report";
import { sweepRuntimes } from "../../shared/sweep/unit-runtime";
import {
  INVALID_SWEEP_UNIT,
  SWEEP_UNIT_FAILED,
  sweepWorker,
  type SweepUnitInput,
  type UnitTarget,
} from "../../shared/sweep/worker";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import type { StsDouble } from "../support/local-aws/sts";
import { recordingLogger } from "../support/runtime";

const HOME = "111122223333";
const MEMBER = "222233334444";
const EXTERNAL_ID = "vigil-o-a1b2c3d4e5-central";
const MEMBER_ROLE = `arn:aws:iam::${MEMBER}:role/vigil-remediation-member`;
const HOME_ROLE = `arn:aws:iam::${HOME}:role/vigil-remediation-us-east-1`;
const STARTED = "2026-11-27T00:00:00Z";
const context = { invokedFunctionArn: `arn:aws:lambda:us-east-1:${HOME}:function:VigilStack-SweepWorker` };
const ORGANIZATION = {
  organization: {
    enabled: true,
    organizationId: "o-a1b2c3d4e5",
    organizationalUnits: ["ou-ab12-cdef3456"],
    externalId: EXTERNAL_ID,
  },
  forwarding: { regions: ["eu-west-1"] },
};

const collector = (resourceType: string): Collector =>
  ({
    resourceType,
    scope: "regional",
    iamActions: [],
    collect: async function* () {},
  }) as unknown as Collector;
const COLLECTORS = [collector("AWS::EC2::SecurityGroup")];
const unitInput = (unit: Partial<SweepUnitInput> = {}): SweepUnitInput => ({
  account: HOME,
  region: "eu-west-1",
  resourceType: "AWS::EC2::SecurityGroup",
  startedAt: STARTED,
  homeAccount: HOME,
  ...unit,
});
const completed = (unit: SweepUnit): SweepUnitResult => ({
  ...unit,
  outcome: "completed",
  resources: 3,
  deletedResources: 1,
  durationMs: 5,
});

describe("sweep worker: one unit from the state machine", () => {
  const setup = (
    options: { organization?: boolean; homeAccount?: string; sweep?: ReturnType<typeof vi.fn> } = {},
  ) => {
    const targets: UnitTarget[] = [];
    const runtime = { region: "stub" } as unknown as VigilRuntime;
    const sweep = options.sweep ?? vi.fn(async (unit: SweepUnit) => completed(unit));
    const logger = recordingLogger();
    const handler = sweepWorker({
      runtimeFor: async (target) => {
        targets.push(target);
        return runtime;
      },
      organization: { enabled: options.organization ?? false },
      ...(options.homeAccount ? { homeAccount: options.homeAccount } : {}),
      collectors: COLLECTORS,
      sweep: sweep as never,
      logger,
    });
    return { handler, sweep, targets, runtime, logger };
  };

  it("sweeps the unit with the runtime of its account and Region and the sweep's name; returns a small result", async () => {
    const { handler, sweep, targets, runtime } = setup();
    const output = await handler(unitInput(), context);
    expect(output).toEqual({
      account: HOME,
      region: "eu-west-1",
      resourceType: "AWS::EC2::SecurityGroup",
      outcome: "completed",
      resources: 3,
      deletedResources: 1,
      durationMs: 5,
    });
    expect(targets).toEqual([{ account: HOME, region: "eu-west-1", homeAccount: HOME }]);
    expect(sweep).toHaveBeenCalledWith(
      { account: HOME, region: "eu-west-1", resourceType: "AWS::EC2::SecurityGroup" },
      runtime,
      { collectors: COLLECTORS, startedAt: STARTED },
    );
  });

  it("organisation mode: a member account's unit is swept in that account, the home account known", async () => {
    const { handler, targets } = setup({ organization: true, homeAccount: HOME });
    await handler(unitInput({ account: MEMBER, homeAccount: "999988887777" }), context);
    // VIGIL_HOME_ACCOUNT (the stack's) wins over the plan's.
    expect(targets).toEqual([{ account: MEMBER, region: "eu-west-1", homeAccount: HOME }]);
  });

  it("without VIGIL_HOME_ACCOUNT the plan's home account applies, else the function's own", async () => {
    const { handler, targets } = setup({ organization: true });
    await handler(unitInput({ account: MEMBER, homeAccount: "999988887777" }), context);
    const { homeAccount: _omitted, ...withoutHome } = unitInput();
    await handler(withoutHome, context);
    expect(targets.map((t) => t.homeAccount)).toEqual(["999988887777", HOME]);
  });

  it("a failed unit throws SweepUnitFailed (the state machine retries it, then records it), with the reason", async () => {
    const sweep = vi.fn(async (unit: SweepUnit) => ({
      ...completed(unit),
      outcome: "failed",
      error: "Throttling",
    }));
    const { handler, logger } = setup({ sweep });
    const failure = await handler(unitInput(), context).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe(SWEEP_UNIT_FAILED);
    expect((failure as Error).message).toBe(`${HOME} eu-west-1 AWS::EC2::SecurityGroup: Throttling`);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: "error",
        message: "sweep unit failed",
        attributes: [expect.objectContaining({ result: expect.objectContaining({ error: "Throttling" }) })],
      }),
    );
  });

  it("a sweep or runtime that throws (e.g. the member role can't be assumed) is a failed unit too", async () => {
    const sweep = vi.fn(async () => {
      throw new Error("AccessDenied: not authorized to perform sts:AssumeRole");
    });
    const { handler } = setup({ sweep, organization: true });
    await expect(handler(unitInput({ account: MEMBER }), context)).rejects.toMatchObject({
      name: SWEEP_UNIT_FAILED,
      message: `${MEMBER} eu-west-1 AWS::EC2::SecurityGroup: AccessDenied: not authorized to perform sts:AssumeRole`,
    });
  });

  it.each([
    ["an SQS event (the old fan-out)", { Records: [{ body: JSON.stringify(unitInput()) }] }],
    ["a unit without a resource type", { account: HOME, region: "eu-west-1", startedAt: STARTED }],
    ["a bad Region", unitInput({ region: "Europe" })],
    ["a bad start time", unitInput({ startedAt: "yesterday" })],
    ["an extra field", { ...unitInput(), checks: ["EC2.18"] }],
  ])("rejects %s with InvalidSweepUnit, without sweeping (no retry would fix it)", async (_name, input) => {
    const { handler, sweep, targets } = setup();
    await expect(handler(input, context)).rejects.toMatchObject({ name: INVALID_SWEEP_UNIT });
    expect(sweep).not.toHaveBeenCalled();
    expect(targets).toEqual([]);
  });

  it("rejects another account's unit outside organisation mode", async () => {
    const { handler, sweep } = setup({ homeAccount: HOME });
    await expect(handler(unitInput({ account: MEMBER }), context)).rejects.toMatchObject({
      name: INVALID_SWEEP_UNIT,
      message: `unit of account ${MEMBER}, but Vigil runs in ${HOME} and organisation mode is off`,
    });
    expect(sweep).not.toHaveBeenCalled();
  });

  it("securityHub.export: asks for the touched findings; an export that throws is logged, the unit still done", async () => {
    const sweep = vi.fn(async (unit: SweepUnit, _rt: VigilRuntime, _options: object) => ({
      ...completed(unit),
      touchedFindingIds: ["vf-1"],
    }));
    const getMany = vi.fn(async () => new Map());
    const logger = recordingLogger();
    const handler = sweepWorker({
      runtimeFor: async () => ({ store: { getMany } }) as unknown as VigilRuntime,
      collectors: COLLECTORS,
      sweep,
      logger,
      exportFindings: async () => {
        throw new Error("Security Hub is not enabled");
      },
    });
    const output = await handler(unitInput(), context);
    expect(output).not.toHaveProperty("touchedFindingIds");
    expect(sweep.mock.calls[0]?.[2]).toEqual({
      collectors: COLLECTORS,
      startedAt: STARTED,
      trackFindings: true,
    });
    expect(getMany).toHaveBeenCalledWith(["vf-1"]);
    expect(logger.entries.map((e) => e.message)).toEqual([
      "Security Hub export after the sweep unit failed",
      "sweep unit done",
    ]);
  });
});

describe("sweep runtimes: the clients of each account and Region", () => {
  const base = (config: object = ORGANIZATION) =>
    ({ config: parseConfig(config), logger: recordingLogger() }) as unknown as VigilRuntime;
  const setup = (config: object = ORGANIZATION) => {
    const reads: [string, RoleTarget | undefined][] = [];
    const writes: [RoleTarget | string | undefined, string, ReadClients][] = [];
    const readSet = (region: string) => ({ region }) as unknown as ReadClients;
    const runtimeFor = sweepRuntimes({
      base: async () => base(config),
      config: parseConfig(config),
      stackRegion: "us-east-1",
      homeRemediationRole: HOME_ROLE,
      readClients: (region, as) => {
        reads.push([region, as]);
        return readSet(region);
      },
      remediationClients: (role, region, shared) => {
        writes.push([role, region, shared]);
        return { role } as unknown as ReadClients;
      },
    });
    return { runtimeFor, reads, writes };
  };

  it("a member account: reads and remediation as its member role, with the ExternalId", async () => {
    const { runtimeFor, reads, writes } = setup();
    const rt = await runtimeFor({ account: MEMBER, region: "us-east-1", homeAccount: HOME });
    const role = { roleArn: MEMBER_ROLE, externalId: EXTERNAL_ID };
    expect(reads).toEqual([["us-east-1", role]]);
    expect(writes).toEqual([[role, "us-east-1", rt.readClients]]);
    expect(rt.remediationClients).toMatchObject({ role });
  });

  it("the home account: its own credentials to read, the stack's remediation role to write", async () => {
    const { runtimeFor, reads, writes } = setup();
    const rt = await runtimeFor({ account: HOME, region: "us-east-1", homeAccount: HOME });
    expect(reads).toEqual([["us-east-1", undefined]]);
    expect(writes).toEqual([[HOME_ROLE, "us-east-1", rt.readClients]]);
  });

  it("remediates only where Vigil is deployed (the stack's Region and forwarding.regions); elsewhere it reports", async () => {
    const { runtimeFor, writes } = setup();
    const forwarded = await runtimeFor({ account: MEMBER, region: "eu-west-1", homeAccount: HOME });
    const elsewhere = await runtimeFor({ account: MEMBER, region: "ap-south-1", homeAccount: HOME });
    expect(forwarded.remediationClients).toBeDefined();
    expect(elsewhere.remediationClients).toBeUndefined();
    expect(elsewhere.readClients).toEqual({ region: "ap-south-1" });
    expect(writes.map(([, region]) => region)).toEqual(["eu-west-1"]);
  });

  it("a member account's role is in its Region's partition", async () => {
    const { runtimeFor, reads } = setup({ ...ORGANIZATION, forwarding: { regions: [] } });
    await runtimeFor({ account: MEMBER, region: "cn-north-1", homeAccount: HOME });
    expect(reads[0]?.[1]?.roleArn).toBe(`arn:aws-cn:iam::${MEMBER}:role/vigil-remediation-member`);
  });

  it("one runtime per account and Region for the container's life; sweep.remediate false turns modes off", async () => {
    const { runtimeFor, reads } = setup({ ...ORGANIZATION, sweep: { remediate: false } });
    const first = await runtimeFor({ account: MEMBER, region: "us-east-1", homeAccount: HOME });
    expect(await runtimeFor({ account: MEMBER, region: "us-east-1", homeAccount: HOME })).toBe(first);
    await runtimeFor({ account: HOME, region: "us-east-1", homeAccount: HOME });
    expect(reads).toHaveLength(2);
    expect(first.config.modeOverride).toBe("off");
  });
});

describe("sweep runtimes against the local endpoint: who signs the calls", () => {
  let aws: LocalAws;
  let sts: StsDouble;
  beforeAll(async () => {
    aws = await startLocalAws();
    sts = aws.double<StsDouble>("sts");
    // The worker's own credentials: the home account's function.
    sts.addCaller("test", HOME);
    sts.allowRole(MEMBER_ROLE, { externalId: EXTERNAL_ID });
    sts.allowRole(HOME_ROLE);
  });
  afterAll(async () => aws?.close());
  afterEach(() => vi.unstubAllEnvs());

  const runtimes = () => {
    vi.stubEnv("AWS_ENDPOINT_URL", aws.endpoint);
    vi.stubEnv("AWS_ACCESS_KEY_ID", "test");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "test");
    vi.stubEnv("AWS_REGION", "us-east-1");
    return sweepRuntimes({
      base: async () =>
        ({ config: parseConfig(ORGANIZATION), logger: recordingLogger() }) as unknown as VigilRuntime,
      config: parseConfig(ORGANIZATION),
      stackRegion: "us-east-1",
      homeRemediationRole: HOME_ROLE,
      readClients: sweepReadClients,
      remediationClients: sweepRemediationClients,
    });
  };
  /** The STS session (if any) whose key signed the last DescribeSecurityGroups, and the Region it was signed for. */
  const lastCaller = () => {
    const call = aws.calls("ec2", "DescribeSecurityGroups").at(-1);
    const signature = call && aws.signatureOf(call);
    return {
      session: sts.sessionOf(signature?.accessKeyId),
      region: signature?.region,
      key: signature?.accessKeyId,
    };
  };

  it("a member account's reads and remediation go out as the member role, assumed with the ExternalId", async () => {
    const rt = await runtimes()({ account: MEMBER, region: "eu-west-1", homeAccount: HOME });
    await (await rt.readClients!.ec2()).send(new DescribeSecurityGroupsCommand({}));
    expect(lastCaller()).toMatchObject({
      region: "eu-west-1",
      session: { roleArn: MEMBER_ROLE, externalId: EXTERNAL_ID, roleSessionName: "vigil-remediation" },
    });
    await (await rt.remediationClients!.ec2()).send(new DescribeSecurityGroupsCommand({}));
    expect(lastCaller()).toMatchObject({
      region: "eu-west-1",
      session: { roleArn: MEMBER_ROLE, externalId: EXTERNAL_ID },
    });
  });

  it("the home account reads with the function's own key and remediates as the stack's role (no ExternalId)", async () => {
    const rt = await runtimes()({ account: HOME, region: "us-east-1", homeAccount: HOME });
    await (await rt.readClients!.ec2()).send(new DescribeSecurityGroupsCommand({}));
    expect(lastCaller()).toEqual({ session: undefined, region: "us-east-1", key: "test" });
    await (await rt.remediationClients!.ec2()).send(new DescribeSecurityGroupsCommand({}));
    const { session } = lastCaller();
    expect(session?.roleArn).toBe(HOME_ROLE);
    expect(session?.externalId).toBeUndefined();
  });
});
