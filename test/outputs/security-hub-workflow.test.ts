import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from "@aws-sdk/client-securityhub";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import type { Finding, FindingStatus, StatusChange } from "../../shared/findings/model";
import { syncToSecurityHub, syncFailed, syncSummary } from "../../shared/outputs/security-hub-sync";
import {
  syncWorkflow,
  workflowUpdates,
  type WorkflowUpdate,
} from "../../shared/outputs/security-hub-workflow";
import { recordingLogger } from "../support/runtime";

const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const product = (region: string, account = ACCOUNT) =>
  `arn:aws:securityhub:${region}:${account}:product/${account}/default`;

function finding(
  n: number,
  status: FindingStatus,
  history: Omit<StatusChange, "at">[] = [{ from: null, to: status }],
  where: { region?: string; account?: string } = {},
): Finding {
  const region = where.region ?? "us-east-1";
  const account = where.account ?? ACCOUNT;
  return {
    id: `vf-${String(n).padStart(6, "0")}`,
    checkId: "EC2.13",
    title: "Security groups should not allow ingress from 0.0.0.0/0 to port 22",
    controls: [],
    severity: "HIGH",
    resource: {
      type: "AWS::EC2::SecurityGroup",
      id: `sg-${n}`,
      arn: `arn:aws:ec2:${region}:${account}:security-group/sg-${n}`,
      account,
      region,
    },
    status,
    evidence: [],
    summary: "tcp 22 open to 0.0.0.0/0",
    eventIds: [],
    firstSeen: "2026-11-01T10:00:00.000Z",
    lastSeen: "2026-11-20T10:00:00.000Z",
    history: history.map((h, i) => ({
      ...h,
      at: `2026-11-${String(10 + i).padStart(2, "0")}T10:00:00.000Z`,
    })),
    version: 1,
  };
}
/** Every SecurityHubClient (the sync makes one per Region). */
const hub = mockClient(SecurityHubClient);
beforeEach(() => hub.reset());

const asffOf = (f: Finding) => ({ Id: `vigil/${f.id}`, ProductArn: product(f.resource.region) });
const pair = (f: Finding) => ({ finding: f, asff: asffOf(f) });

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

describe("workflowUpdates: the workflow changes a Vigil status implies", () => {
  it("SUPPRESSED -> SUPPRESSED, RESOLVED and REMEDIATED -> RESOLVED, reopened OPEN -> NEW; first-time OPEN left alone", () => {
    const fresh = finding(1, "OPEN");
    const suppressed = finding(2, "SUPPRESSED", [
      { from: null, to: "OPEN" },
      { from: "OPEN", to: "SUPPRESSED" },
    ]);
    const resolved = finding(3, "RESOLVED", [
      { from: null, to: "OPEN" },
      { from: "OPEN", to: "RESOLVED" },
    ]);
    const remediated = finding(4, "REMEDIATED", [
      { from: null, to: "OPEN" },
      { from: "OPEN", to: "REMEDIATED" },
    ]);
    const unsuppressed = finding(5, "OPEN", [
      { from: null, to: "OPEN" },
      { from: "OPEN", to: "SUPPRESSED" },
      { from: "SUPPRESSED", to: "OPEN" },
    ]);
    const reopened = finding(6, "OPEN", [
      { from: null, to: "RESOLVED" },
      { from: "RESOLVED", to: "OPEN" },
    ]);

    expect(
      workflowUpdates([fresh, suppressed, resolved, remediated, unsuppressed, reopened].map(pair)),
    ).toEqual([
      { status: "SUPPRESSED", identifier: asffOf(suppressed) },
      { status: "RESOLVED", identifier: asffOf(resolved) },
      { status: "RESOLVED", identifier: asffOf(remediated) },
      { status: "NEW", identifier: asffOf(unsuppressed) },
      { status: "NEW", identifier: asffOf(reopened) },
    ]);
  });
});

describe("syncWorkflow", () => {
  const client = new SecurityHubClient({ region: "us-east-1" });

  const updates = (count: number, status: WorkflowUpdate["status"], from = 0): WorkflowUpdate[] =>
    Array.from({ length: count }, (_, i) => ({
      status,
      identifier: { Id: `vigil/vf-${from + i}`, ProductArn: product("us-east-1") },
    }));

  it("one request per status, at most 100 FindingIdentifiers each", async () => {
    hub.on(BatchUpdateFindingsCommand).callsFake((input: { FindingIdentifiers: unknown[] }) => ({
      ProcessedFindings: input.FindingIdentifiers,
      UnprocessedFindings: [],
    }));
    const resolved = updates(150, "RESOLVED");
    const suppressed = updates(2, "SUPPRESSED", 1000);

    const result = await syncWorkflow([...resolved, ...suppressed], client, {
      logger: recordingLogger(),
      ...fakeTime(),
    });

    expect(hub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input)).toEqual([
      {
        FindingIdentifiers: resolved.slice(0, 100).map((u) => u.identifier),
        Workflow: { Status: "RESOLVED" },
      },
      { FindingIdentifiers: resolved.slice(100).map((u) => u.identifier), Workflow: { Status: "RESOLVED" } },
      { FindingIdentifiers: suppressed.map((u) => u.identifier), Workflow: { Status: "SUPPRESSED" } },
    ]);
    expect(result).toEqual({ updated: 152, unprocessed: [], calls: 3 });
  });

  it("UnprocessedFindings and failed calls are returned and logged", async () => {
    const [first, second] = updates(2, "RESOLVED");
    hub
      .on(BatchUpdateFindingsCommand, { Workflow: { Status: "RESOLVED" } })
      .resolves({
        ProcessedFindings: [first!.identifier],
        UnprocessedFindings: [
          {
            FindingIdentifier: second!.identifier,
            ErrorCode: "FindingNotFound",
            ErrorMessage: "Finding Not Found",
          },
        ],
      })
      .on(BatchUpdateFindingsCommand, { Workflow: { Status: "NEW" } })
      .rejects(Object.assign(new Error("not authorized"), { name: "AccessDeniedException" }));
    const reopened = updates(1, "NEW", 7);
    const logger = recordingLogger();

    const result = await syncWorkflow([first!, second!, ...reopened], client, { logger, ...fakeTime() });

    expect(result.updated).toBe(1);
    expect(result.unprocessed).toEqual([
      {
        FindingIdentifier: second!.identifier,
        ErrorCode: "FindingNotFound",
        ErrorMessage: "Finding Not Found",
      },
      {
        FindingIdentifier: reopened[0]!.identifier,
        ErrorCode: "AccessDeniedException",
        ErrorMessage: "not authorized",
      },
    ]);
    const warnings = logger.entries.filter((e) => e.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.attributes[0]).toMatchObject({
      unprocessed: 2,
      updated: 1,
      findings: [
        { id: second!.identifier.Id, errorCode: "FindingNotFound" },
        { id: reopened[0]!.identifier.Id, errorCode: "AccessDeniedException" },
      ],
    });
  });

  it("paces requests under 10 per second after a burst of 30", async () => {
    hub.on(BatchUpdateFindingsCommand).resolves({ ProcessedFindings: [], UnprocessedFindings: [] });
    const time = fakeTime();
    await syncWorkflow(updates(3200, "RESOLVED"), client, { logger: recordingLogger(), ...time });
    expect(hub.commandCalls(BatchUpdateFindingsCommand)).toHaveLength(32);
    expect(time.waits).toEqual([100, 100]);
  });
});

describe("syncToSecurityHub", () => {
  it("imports per account and Region with that Region's client, then sends the workflow changes of imported findings", async () => {
    // Security Hub rejects vf-000008 (and only it).
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => {
      const rejected = input.Findings.filter((f) => f.Id === "vigil/vf-000008");
      return {
        SuccessCount: input.Findings.length - rejected.length,
        FailedCount: rejected.length,
        FailedFindings: rejected.map((f) => ({ Id: f.Id, ErrorCode: "InvalidInput", ErrorMessage: "bad" })),
      };
    });
    hub.on(BatchUpdateFindingsCommand).callsFake((input: { FindingIdentifiers: unknown[] }) => ({
      ProcessedFindings: input.FindingIdentifiers,
      UnprocessedFindings: [],
    }));
    const east = [
      finding(1, "OPEN"),
      finding(2, "RESOLVED", [
        { from: null, to: "OPEN" },
        { from: "OPEN", to: "RESOLVED" },
      ]),
      finding(3, "SUPPRESSED"),
    ];
    const west = [finding(4, "REMEDIATED", [{ from: null, to: "REMEDIATED" }], { region: "eu-west-1" })];
    const other = [
      finding(5, "OPEN", undefined, { account: OTHER }),
      finding(6, "OPEN", undefined, { account: OTHER }),
    ];
    // vf-000008 was reopened, but Security Hub rejects it: no workflow change for a finding not imported.
    const global = [
      finding(7, "OPEN", undefined, { region: "global" }),
      finding(8, "OPEN", [
        { from: null, to: "SUPPRESSED" },
        { from: "SUPPRESSED", to: "OPEN" },
      ]),
    ];
    const regions: string[] = [];
    const time = fakeTime();
    const clients = new Map<string, SecurityHubClient>();

    const result = await syncToSecurityHub([...east, ...west, ...other, ...global], {
      clientFor: (region) => {
        regions.push(region);
        const client = clients.get(region) ?? new SecurityHubClient({ region });
        clients.set(region, client);
        return client;
      },
      now: new Date("2026-11-27T05:00:00.000Z"),
      homeRegion: "us-east-1",
      logger: recordingLogger(),
      clock: time.now,
      sleep: time.sleep,
    });

    const imports = hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings ?? []);
    expect(
      imports.map((batch) => batch.map((f) => [f.Id, f.ProductArn, f.Workflow?.Status, f.RecordState])),
    ).toEqual([
      [
        ["vigil/vf-000001", product("us-east-1"), "NEW", "ACTIVE"],
        ["vigil/vf-000002", product("us-east-1"), "RESOLVED", "ARCHIVED"],
        ["vigil/vf-000003", product("us-east-1"), "SUPPRESSED", "ACTIVE"],
        // A global resource's finding goes to the home Region.
        ["vigil/vf-000007", product("us-east-1"), "NEW", "ACTIVE"],
        ["vigil/vf-000008", product("us-east-1"), "NEW", "ACTIVE"],
      ],
      [["vigil/vf-000004", product("eu-west-1"), "RESOLVED", "ARCHIVED"]],
      [
        ["vigil/vf-000005", product("us-east-1", OTHER), "NEW", "ACTIVE"],
        ["vigil/vf-000006", product("us-east-1", OTHER), "NEW", "ACTIVE"],
      ],
    ]);
    expect(imports[0]?.[1]?.Compliance?.Status).toBe("PASSED");
    expect(regions).toEqual(["us-east-1", "eu-west-1", "us-east-1"]);
    expect(hub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input)).toEqual([
      {
        FindingIdentifiers: [{ Id: "vigil/vf-000002", ProductArn: product("us-east-1") }],
        Workflow: { Status: "RESOLVED" },
      },
      {
        FindingIdentifiers: [{ Id: "vigil/vf-000003", ProductArn: product("us-east-1") }],
        Workflow: { Status: "SUPPRESSED" },
      },
      {
        FindingIdentifiers: [{ Id: "vigil/vf-000004", ProductArn: product("eu-west-1") }],
        Workflow: { Status: "RESOLVED" },
      },
    ]);
    expect(result).toEqual({ attempted: 8, imported: 7, failed: 1, workflowUpdated: 3, workflowFailed: 0 });
    expect(syncFailed(result)).toBe(true);
    expect(syncSummary(result)).toBe(
      "Security Hub: 7 of 8 findings imported, 1 failed; workflow: 3 updated, 0 failed",
    );
  });
});
