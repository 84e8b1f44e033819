import {
  AttachVolumeCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateVolumeCommand,
  DeleteSecurityGroupCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  paginateDescribeSecurityGroups,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanReport } from "../../shared/sweep/report";
import { startCliHarness, type CliHarness } from "../support/cli-harness";
import { startFaultProxy, type FaultProxy } from "../support/local-aws/fault-proxy";

/**
 * A fixture account served by the local endpoint, large enough to page (2,100 security groups:
 * three pages of DescribeSecurityGroups) and with more than 2,500 resources in all, scanned by
 * `vigil scan` in a child process through a proxy that throttles 20% of EC2 requests. Nothing may
 * be lost: every listed resource is evaluated, exactly the seeded violations open, and a second
 * scan resolves what was fixed or deleted in between.
 */

const TIMEOUT = 300_000;
const ACCOUNT = "111122223333";
const GROUPS = 2_100;
const OPEN_EVERY = 100; // groups 0, 100, … allow SSH from anywhere: 21 of them
const INSTANCES = 100;
const INSECURE_INSTANCES = 10; // IMDSv1 allowed (EC2.8)
const VOLUMES = 300;
const UNENCRYPTED_ATTACHED = 15; // EC2.3
const CHECKS = ["EC2.13", "EC2.8", "EC2.3"];
const SSH_WORLD = [{ IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }];

/** Runs `task` over `items`, `width` at a time (seeding thousands of resources quickly but politely). */
async function inChunks<T, R>(
  items: T[],
  width: number,
  task: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += width)
    results.push(...(await Promise.all(items.slice(i, i + width).map((item, j) => task(item, i + j)))));
  return results;
}

interface AuthorizeEvent {
  detail: {
    requestParameters: { groupId: string };
    responseElements: { securityGroupRuleSet: { items: Record<string, unknown>[] } };
  };
}

const openIds = (report: ScanReport, checkId: string) =>
  report.findings
    .filter((f) => f.checkId === checkId && f.status === "OPEN")
    .map((f) => f.resource.id)
    .sort();

describe("vigil scan over a fixture account, with 20% of EC2 requests throttled", () => {
  let h: CliHarness;
  let proxy: FaultProxy;
  let ec2: EC2Client;
  let groups: string[];
  let openGroups: string[];
  let imdsv1: string[];
  let unencrypted: string[];
  let sshRuleIds: Map<string, string>;

  const scan = async () => {
    const result = await h.vigil(["scan", "--checks", ...CHECKS, "--format", "json"], {
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_ACCOUNT_ID: ACCOUNT,
    });
    expect(result.stderr).not.toMatch(/unit failed/i);
    return { code: result.code, report: JSON.parse(result.stdout) as ScanReport };
  };
  const listedGroups = async () => {
    const ids: string[] = [];
    for await (const page of paginateDescribeSecurityGroups({ client: ec2 }, {}))
      ids.push(...(page.SecurityGroups ?? []).map((g) => g.GroupId ?? ""));
    return ids;
  };

  beforeAll(async () => {
    h = await startCliHarness();
    proxy = await startFaultProxy({
      target: h.aws.endpoint,
      rates: { throttle: 0.2 },
      seed: 7,
      only: (req) => req.service === "ec2",
    });
    ec2 = new EC2Client(h.clientConfig);

    groups = await inChunks([...Array(GROUPS).keys()], 25, async (i) => {
      const { GroupId = "" } = await ec2.send(
        new CreateSecurityGroupCommand({ GroupName: `app-${i}`, Description: `fixture group ${i}` }),
      );
      return GroupId;
    });
    openGroups = groups.filter((_, i) => i % OPEN_EVERY === 0);
    const authorized = await inChunks(openGroups, 25, (GroupId) =>
      ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: SSH_WORLD })),
    );
    sshRuleIds = new Map(
      openGroups.map((g, i) => [g, authorized[i]?.SecurityGroupRules?.[0]?.SecurityGroupRuleId ?? ""]),
    );

    const run = async (count: number, httpTokens: "required" | "optional") =>
      (
        await ec2.send(
          new RunInstancesCommand({
            ImageId: "ami-0abcdef1234567890",
            MinCount: count,
            MaxCount: count,
            MetadataOptions: { HttpTokens: httpTokens },
          }),
        )
      ).Instances?.map((i) => i.InstanceId ?? "") ?? [];
    imdsv1 = await run(INSECURE_INSTANCES, "optional");
    const instances = [...imdsv1, ...(await run(INSTANCES - INSECURE_INSTANCES, "required"))];

    const volumes = await inChunks([...Array(VOLUMES).keys()], 25, async (i) => {
      const { VolumeId = "" } = await ec2.send(
        new CreateVolumeCommand({
          AvailabilityZone: "us-east-1a",
          Size: 8,
          Encrypted: i >= UNENCRYPTED_ATTACHED,
        }),
      );
      return VolumeId;
    });
    // The first volumes (the unencrypted ones among them) are attached, one per instance; the rest are spare.
    await inChunks(instances, 25, (InstanceId, i) =>
      ec2.send(new AttachVolumeCommand({ VolumeId: volumes[i], InstanceId, Device: "/dev/sdf" })),
    );
    unencrypted = volumes.slice(0, UNENCRYPTED_ATTACHED);
  }, TIMEOUT);

  afterAll(async () => {
    ec2?.destroy();
    await proxy?.close();
    await h?.close();
  });

  it(
    "evaluates every resource across pages despite throttling, opens exactly the seeded violations, then resolves what was fixed",
    async () => {
      const everyGroup = await listedGroups(); // the fixture's own groups plus the VPC's default group
      expect(everyGroup.length).toBeGreaterThan(2 * 1000); // three pages for the collector
      proxy.log.length = 0;

      const first = await scan();
      expect(first.code).toBe(0);
      const units = Object.fromEntries(first.report.units.map((u) => [u.resourceType, u]));
      expect(units["AWS::EC2::SecurityGroup"]).toMatchObject({
        outcome: "completed",
        resources: everyGroup.length,
      });
      expect(units["AWS::EC2::Instance"]).toMatchObject({ outcome: "completed", resources: INSTANCES });
      expect(units["AWS::EC2::Volume"]).toMatchObject({ outcome: "completed", resources: VOLUMES });
      expect(first.report.units.reduce((n, u) => n + u.resources, 0)).toBeGreaterThan(2_500);
      // The throttling really happened, on the listing calls themselves, and the SDK rode it out.
      const throttled = proxy.log.filter((r) => r.fault === "throttle");
      expect(throttled.length).toBeGreaterThan(0);
      expect(new Set(throttled.map((r) => r.action))).toContain("DescribeSecurityGroups");

      expect(openIds(first.report, "EC2.13")).toEqual([...openGroups].sort());
      expect(openIds(first.report, "EC2.8")).toEqual([...imdsv1].sort());
      expect(openIds(first.report, "EC2.3")).toEqual([...unencrypted].sort());
      const tally = Object.fromEntries(first.report.checks.map((c) => [c.checkId, c]));
      expect(tally["EC2.13"]).toMatchObject({ evaluated: everyGroup.length, failed: openGroups.length });

      // The event path on one of the same resources lands on the very finding the scan opened.
      const replayed = openGroups[openGroups.length - 1] ?? "";
      const scanned = first.report.findings.find((f) => f.checkId === "EC2.13" && f.resource.id === replayed);
      const event = await h.writeEvent<AuthorizeEvent>(
        "security-group/authorize-ssh-world-ipv4.json",
        (e) => {
          e.detail.requestParameters.groupId = replayed;
          for (const item of e.detail.responseElements.securityGroupRuleSet.items)
            Object.assign(item, { groupId: replayed, securityGroupRuleId: sshRuleIds.get(replayed) });
        },
      );
      const replay = await h.vigil(["replay", event, "--mode", "off"], { AWS_ACCOUNT_ID: ACCOUNT });
      expect(replay.code).toBe(0);
      const viaEvent = (await h.findings()).find((f) => f.checkId === "EC2.13" && f.resourceId === replayed);
      expect(viaEvent).toMatchObject({ id: scanned?.id, status: "OPEN" });
      expect(viaEvent?.eventIds).toHaveLength(2); // the scan's and the event's

      // Between the scans: five groups are fixed, three are deleted.
      const fixed = openGroups.slice(0, 5);
      const deleted = openGroups.slice(5, 8);
      await inChunks(fixed, 5, (GroupId) =>
        ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId, IpPermissions: SSH_WORLD })),
      );
      await inChunks(deleted, 5, (GroupId) => ec2.send(new DeleteSecurityGroupCommand({ GroupId })));

      const second = await scan();
      expect(second.code).toBe(0);
      expect(openIds(second.report, "EC2.13")).toEqual(openGroups.slice(8).sort());
      const resolved = second.report.findings
        .filter((f) => f.checkId === "EC2.13" && f.status === "RESOLVED")
        .map((f) => f.resource.id)
        .sort();
      expect(resolved).toEqual([...fixed, ...deleted].sort());
      expect(second.report.units.find((u) => u.resourceType === "AWS::EC2::SecurityGroup")).toMatchObject({
        resources: everyGroup.length - deleted.length,
        deletedResources: deleted.length,
      });
      // Read-only: the scan itself changed nothing.
      expect(h.aws.calls("ec2", "RevokeSecurityGroupIngress")).toHaveLength(fixed.length);
    },
    TIMEOUT,
  );
});
