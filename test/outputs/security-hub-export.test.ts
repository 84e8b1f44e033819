import {
  BatchImportFindingsCommand,
  LimitExceededException,
  SecurityHubClient,
  type AwsSecurityFinding,
} from "@aws-sdk/client-securityhub";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadSecurityHub } from "../../shared/aws/sdk";
import {
  BATCH_IMPORT_LIMITS,
  createSecurityHubClient,
  exportToSecurityHub,
} from "../../shared/outputs/security-hub-export";
import { recordingLogger } from "../support/runtime";

const ACCOUNT = "111122223333";

/** A minimal valid ASFF finding; `n` makes the Id unique. */
function asff(n: number, extra: Partial<AwsSecurityFinding> = {}): AwsSecurityFinding {
  return {
    SchemaVersion: "2018-10-08",
    Id: `vigil/vf-${String(n).padStart(24, "0")}`,
    ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`,
    GeneratorId: "vigil/EC2.19",
    AwsAccountId: ACCOUNT,
    Types: ["Software and Configuration Checks/AWS Security Best Practices"],
    CreatedAt: "2025-03-11T14:02:18.000Z",
    UpdatedAt: "2025-03-20T10:00:00.000Z",
    Severity: { Label: "HIGH" },
    Title: "Security groups should not allow unrestricted access to ports with high risk",
    Description: `finding ${n}`,
    Resources: [
      { Type: "AwsEc2SecurityGroup", Id: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-${n}` },
    ],
    ...extra,
  };
}
const many = (count: number) => Array.from({ length: count }, (_, i) => asff(i));

/** Security Hub accepting everything it is sent. */
const acceptAll = (input: { Findings: AwsSecurityFinding[] | undefined }) => ({
  FailedCount: 0,
  SuccessCount: input.Findings?.length ?? 0,
  FailedFindings: [],
});

/** A fake clock and a sleep that advances it, recording the waits. */
function fakeTime() {
  let now = 0;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

describe("exportToSecurityHub", () => {
  const client = new SecurityHubClient({ region: "us-east-1" });
  const hub = mockClient(client);
  beforeEach(() => hub.reset());
  afterEach(() => vi.useRealTimers());

  it("237 findings go in three BatchImportFindings calls of 100, 100 and 37, in order", async () => {
    hub.on(BatchImportFindingsCommand).callsFake(acceptAll);
    const findings = many(237);
    const logger = recordingLogger();

    const result = await exportToSecurityHub(findings, client, { logger, ...fakeTime() });

    const calls = hub.commandCalls(BatchImportFindingsCommand);
    expect(calls.map((c) => c.args[0].input.Findings?.length)).toEqual([100, 100, 37]);
    expect(calls[0]?.args[0].input).toEqual({ Findings: findings.slice(0, 100) });
    expect(calls[1]?.args[0].input).toEqual({ Findings: findings.slice(100, 200) });
    expect(calls[2]?.args[0].input).toEqual({ Findings: findings.slice(200) });
    expect(result).toEqual({ attempted: 237, imported: 237, failed: [], calls: 3 });
    expect(logger.entries.filter((e) => e.level === "warn")).toEqual([]);
  });

  it("findings Security Hub rejects are returned and logged, never dropped", async () => {
    const findings = many(3);
    hub.on(BatchImportFindingsCommand).resolves({
      FailedCount: 1,
      SuccessCount: 2,
      FailedFindings: [
        { Id: findings[1]?.Id, ErrorCode: "InvalidInput", ErrorMessage: "Finding is invalid" },
      ],
    });
    const logger = recordingLogger();

    const result = await exportToSecurityHub(findings, client, { logger, ...fakeTime() });

    expect(result).toEqual({
      attempted: 3,
      imported: 2,
      failed: [{ Id: findings[1]?.Id, ErrorCode: "InvalidInput", ErrorMessage: "Finding is invalid" }],
      calls: 1,
    });
    const warnings = logger.entries.filter((e) => e.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.attributes[0]).toMatchObject({
      failed: 1,
      imported: 2,
      findings: [{ id: findings[1]?.Id, errorCode: "InvalidInput", errorMessage: "Finding is invalid" }],
    });
  });

  it("a call that fails outright fails its findings (returned with the error), and the next batch still goes", async () => {
    hub
      .on(BatchImportFindingsCommand)
      .rejectsOnce(
        Object.assign(new Error("Account is not subscribed to AWS Security Hub"), {
          name: "InvalidAccessException",
        }),
      )
      .callsFake(acceptAll);
    const findings = many(150);

    const result = await exportToSecurityHub(findings, client, { logger: recordingLogger(), ...fakeTime() });

    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(2);
    expect(result.imported).toBe(50);
    expect(result.failed).toHaveLength(100);
    expect(result.failed[0]).toEqual({
      Id: findings[0]?.Id,
      ErrorCode: "InvalidAccessException",
      ErrorMessage: "Account is not subscribed to AWS Security Hub",
    });
  });

  it("a call still throttled after the SDK's retries is retried after a pause, then succeeds", async () => {
    hub
      .on(BatchImportFindingsCommand)
      .rejectsOnce(
        new LimitExceededException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } }),
      )
      .callsFake(acceptAll);
    const time = fakeTime();

    const result = await exportToSecurityHub(many(5), client, { logger: recordingLogger(), ...time });

    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(2);
    expect(result).toEqual({ attempted: 5, imported: 5, failed: [], calls: 1 });
    expect(time.waits).toEqual([1000]);
  });

  it("throttling that doesn't stop: the findings come back failed after the retries run out", async () => {
    hub
      .on(BatchImportFindingsCommand)
      .rejects(new LimitExceededException({ message: "Rate exceeded", $metadata: { httpStatusCode: 429 } }));

    const result = await exportToSecurityHub(many(2), client, { logger: recordingLogger(), ...fakeTime() });

    expect(hub.commandCalls(BatchImportFindingsCommand)).toHaveLength(3);
    expect(result.imported).toBe(0);
    expect(result.failed.map((f) => f.ErrorCode)).toEqual([
      "LimitExceededException",
      "LimitExceededException",
    ]);
  });

  it("a finding over 240 KB is not sent and is reported as failed", async () => {
    hub.on(BatchImportFindingsCommand).callsFake(acceptAll);
    const big = asff(9, { ProductFields: { "vigil/Huge": "x".repeat(BATCH_IMPORT_LIMITS.bytesPerFinding) } });

    const result = await exportToSecurityHub([asff(1), big, asff(2)], client, {
      logger: recordingLogger(),
      ...fakeTime(),
    });

    expect(hub.commandCalls(BatchImportFindingsCommand)[0]?.args[0].input.Findings?.map((f) => f.Id)).toEqual(
      [asff(1).Id, asff(2).Id],
    );
    expect(result.failed).toEqual([
      { Id: big.Id, ErrorCode: "FindingTooLarge", ErrorMessage: expect.any(String) },
    ]);
  });

  it("paces calls at the documented 10 per second after a burst of 30 (fake timers)", async () => {
    vi.useFakeTimers({ now: 0 });
    const at: number[] = [];
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      at.push(Date.now());
      return acceptAll(input);
    });

    const done = exportToSecurityHub(many(35), client, { batchSize: 1, logger: recordingLogger() });
    await vi.runAllTimersAsync();
    const result = await done;

    expect(result.calls).toBe(35);
    expect(at.slice(0, 30)).toEqual(Array(30).fill(0));
    expect(at.slice(30)).toEqual([100, 200, 300, 400, 500]);
  });

  it("pacing follows the configured rate and burst (fake timers)", async () => {
    vi.useFakeTimers({ now: 0 });
    const at: number[] = [];
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      at.push(Date.now());
      return acceptAll(input);
    });

    const done = exportToSecurityHub(many(5), client, {
      batchSize: 1,
      ratePerSecond: 1,
      burst: 2,
      logger: recordingLogger(),
    });
    await vi.runAllTimersAsync();
    await done;

    expect(at).toEqual([0, 0, 1000, 2000, 3000]);
  });
});

describe("the Security Hub client", () => {
  it("loads lazily through sdk.ts and retries with the SDK's standard strategy", async () => {
    const { BatchImportFindingsCommand: Loaded } = await loadSecurityHub();
    expect(Loaded).toBe(BatchImportFindingsCommand);
    const client = await createSecurityHubClient("eu-west-1");
    expect(await client.config.region()).toBe("eu-west-1");
    expect(await client.config.maxAttempts()).toBe(5);
  });
});
