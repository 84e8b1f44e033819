import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from "@aws-sdk/client-securityhub";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { findingId } from "../../shared/findings/id";
import type { VigilLogger } from "../../shared/log";
import { syncToSecurityHub } from "../../shared/outputs/security-hub-sync";
import { securityGroupRef } from "../../shared/resources/security-group/ref";
import type { IngressRule } from "../../shared/resources/security-group/state";
import { defineCollector } from "../../shared/sweep/collector";
import { sweepUnit } from "../../shared/sweep/sweep";
import { sweepWorker } from "../../shared/sweep/worker";
import { recordingLogger, testRuntime } from "../support/runtime";

/**
 * The scheduled sweep's export (config `securityHub.export`): the worker, the real sweep unit,
 * pipeline and store, Security Hub mocked. A unit's touched findings (opened, closed as gone) are
 * read from the store and imported, then their workflow changes sent.
 */
const ACCOUNT = "111122223333";
const context = {
  invokedFunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:VigilStack-SweepFunction`,
};
const logger = (): VigilLogger => ({ debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() });
/** One unit, as the sweep's state machine passes it to the worker (infra/sweep.ts). */
const unit = (startedAt: string) => ({
  account: ACCOUNT,
  region: "eu-west-1",
  resourceType: "AWS::EC2::SecurityGroup",
  startedAt,
  homeAccount: ACCOUNT,
});

describe("sweep worker exports to Security Hub", () => {
  const hub = mockClient(SecurityHubClient);
  afterEach(() => hub.reset());
  const SSH: IngressRule = {
    protocol: "tcp",
    fromPort: 22,
    toPort: 22,
    source: { kind: "cidr4", cidr: "0.0.0.0/0" },
    ruleId: "sgr-0123456789abcdef0",
  };
  const GROUP = "sg-0a11ce0000000000a";
  const PRODUCT = `arn:aws:securityhub:eu-west-1:${ACCOUNT}:product/${ACCOUNT}/default`;
  const ID = `vigil/${findingId({ account: ACCOUNT, region: "eu-west-1", checkId: "EC2.13", resourceId: GROUP })}`;

  it("after each unit, exports the findings it touched (opened, then closed as gone) from the store, in the unit's Region", async () => {
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: AwsSecurityFinding[] }) => ({
      SuccessCount: input.Findings.length,
      FailedCount: 0,
      FailedFindings: [],
    }));
    hub.on(BatchUpdateFindingsCommand).callsFake((input: { FindingIdentifiers: unknown[] }) => ({
      ProcessedFindings: input.FindingIdentifiers,
      UnprocessedFindings: [],
    }));
    const t = await testRuntime({ config: { modeOverride: "off" } });
    try {
      const listing: { groups: Record<string, IngressRule[]> } = { groups: { [GROUP]: [SSH] } };
      const sgCollector = defineCollector({
        resourceType: "AWS::EC2::SecurityGroup",
        scope: "regional",
        iamActions: ["ec2:DescribeSecurityGroups"],
        async *collect(ctx) {
          for (const [groupId, ingress] of Object.entries(listing.groups))
            yield {
              resource: securityGroupRef(groupId, ctx.account, ctx.region, "web"),
              state: {
                groupId,
                groupName: "web",
                vpcId: "vpc-0c0ffee000000000c",
                ownerId: ctx.account,
                tags: {},
                ingress,
                egress: [],
              },
              complete: true,
              observedAt: ctx.now.toISOString(),
              tagsKnown: true,
            };
        },
      });
      const regions: string[] = [];
      const log = logger();
      // EC2.13 only: the one finding this test follows.
      const rt = { ...t.runtime, checks: t.runtime.checks.filter((c) => c.id === "EC2.13") };
      const handler = sweepWorker({
        runtimeFor: async () => rt,
        collectors: [sgCollector],
        sweep: sweepUnit,
        logger: log,
        exportFindings: async (findings, region) => {
          regions.push(region);
          await syncToSecurityHub(findings, {
            clientFor: (r) => new SecurityHubClient({ region: r }),
            now: new Date("2026-11-27T05:00:00.000Z"),
            homeRegion: region,
            logger: recordingLogger(),
          });
        },
      });

      expect(await handler(unit("2026-11-27T00:00:00Z"), context)).toMatchObject({ outcome: "completed" });
      listing.groups = {}; // the group is deleted before the next sweep
      expect(await handler(unit("2026-11-27T06:00:00Z"), context)).toMatchObject({
        outcome: "completed",
      });

      expect(regions).toEqual(["eu-west-1", "eu-west-1"]);
      const imports = hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings ?? []);
      expect(
        imports.map((batch) => batch.map((f) => [f.Id, f.ProductArn, f.Compliance?.Status, f.RecordState])),
      ).toEqual([[[ID, PRODUCT, "FAILED", "ACTIVE"]], [[ID, PRODUCT, "PASSED", "ARCHIVED"]]]);
      // Only the closed finding needs a workflow change (the import set NEW when it created the finding).
      expect(hub.commandCalls(BatchUpdateFindingsCommand).map((c) => c.args[0].input)).toEqual([
        { FindingIdentifiers: [{ Id: ID, ProductArn: PRODUCT }], Workflow: { Status: "RESOLVED" } },
      ]);
      // The logs count the findings, they don't list them.
      expect(log.info).toHaveBeenCalledWith(
        "sweep unit done",
        expect.objectContaining({ result: expect.objectContaining({ findingsTouched: 1 }) }),
      );
      expect(JSON.stringify(vi.mocked(log.info).mock.calls)).not.toContain("touchedFindingIds");
    } finally {
      await t.close();
    }
  });
});
