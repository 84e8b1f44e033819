import { randomBytes } from "node:crypto";
import {
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  EC2Client,
  RunInstancesCommand,
  type RunInstancesCommandInput,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness, type FindingJson } from "../support/cli-harness";
import { ec2Instances } from "../support/local-aws/ec2-instances";
import { instanceInterfaces } from "../support/local-aws/ec2-quarantine";

/**
 * `vigil replay` in a child process against the local endpoint, for a GuardDuty finding about a
 * compromised instance, with quarantine enabled through VIGIL_CONFIG: dry-run by default plans and
 * writes nothing; `--mode auto` moves exactly that instance to the quarantine group; `vigil undo`
 * puts its groups back and opts it out, so the finding's next republication leaves it alone; an
 * instance with two network interfaces is never touched.
 */

const TIMEOUT = 90_000;
const SAMPLE = "guardduty-findings/ec2-bitcoin-tool-outbound.json";
const VPC_ID = "vpc-0d4e7a1c9b3f5e268";
const DETECTOR = "6ac8e2f4b1d3a5c7e9f0b2d4a6c8e0f2";

interface FindingEventShape {
  detail: {
    id: string;
    arn: string;
    updatedAt: string;
    resource: {
      instanceDetails: {
        instanceId: string;
        networkInterfaces: {
          networkInterfaceId: string;
          subnetId: string;
          vpcId: string;
          securityGroups: unknown[];
        }[];
      };
    };
    service: { count: number };
  };
}

describe("vigil replay: GuardDuty finding with the EC2 quarantine response", () => {
  let h: CliHarness;
  let ec2: EC2Client;
  let subnetId: string;
  let webGroup: string;
  let quarantineGroup: string;
  let config: { VIGIL_CONFIG: string };

  async function launch(extra: Partial<RunInstancesCommandInput> = {}): Promise<string> {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0e9d3a7c1b5f24680",
        MinCount: 1,
        MaxCount: 1,
        ...(extra.NetworkInterfaces ? {} : { SubnetId: subnetId, SecurityGroupIds: [webGroup] }),
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "Name", Value: "legacy-reporting-01" }] },
        ],
        ...extra,
      }),
    );
    const id = out.Instances?.[0]?.InstanceId;
    if (!id) throw new Error("the endpoint launched no instance");
    return id;
  }

  /** The sample finding, about `instanceId` as EC2 has it now; a fresh GuardDuty finding id per test. */
  async function eventFor(instanceId: string, findingId: string, edit?: (event: FindingEventShape) => void) {
    return h.writeEvent<FindingEventShape>(SAMPLE, (event) => {
      event.detail.id = findingId;
      event.detail.arn = `arn:aws:guardduty:us-east-1:111122223333:detector/${DETECTOR}/finding/${findingId}`;
      const details = event.detail.resource.instanceDetails;
      details.instanceId = instanceId;
      details.networkInterfaces = instanceInterfaces(h.aws.ec2State, instanceId).map((ni) => ({
        networkInterfaceId: ni.networkInterfaceId,
        subnetId,
        vpcId: VPC_ID,
        securityGroups: ni.groups.map((groupId) => ({ groupId, groupName: "orders-web" })),
      }));
      edit?.(event);
    });
  }
  const newFindingId = () => randomBytes(16).toString("hex");
  const groupsOf = (instanceId: string) =>
    instanceInterfaces(h.aws.ec2State, instanceId).map((ni) => ni.groups);
  const writesTo = (instanceId: string) =>
    h.aws.calls("ec2", "ModifyInstanceAttribute").filter((c) => c.params.InstanceId === instanceId);
  const findingOf = async (findingId: string): Promise<FindingJson | undefined> =>
    (await h.findings()).find((f) => f.resourceId === findingId);

  beforeAll(async () => {
    h = await startCliHarness();
    ec2 = new EC2Client(h.clientConfig);
    subnetId =
      (await ec2.send(new CreateSubnetCommand({ VpcId: VPC_ID, CidrBlock: "10.40.12.0/24" }))).Subnet
        ?.SubnetId ?? "";
    const group = async (GroupName: string) =>
      (await ec2.send(new CreateSecurityGroupCommand({ GroupName, Description: GroupName, VpcId: VPC_ID })))
        .GroupId ?? "";
    webGroup = await group("orders-web");
    quarantineGroup = await group("vigil-quarantine");
    config = {
      VIGIL_CONFIG: JSON.stringify({
        guardDuty: { quarantine: { enabled: true, securityGroupId: quarantineGroup } },
      }),
    };
  }, TIMEOUT);
  afterAll(async () => {
    ec2?.destroy();
    await h?.close();
  });

  it(
    "quarantine enabled, default mode (dry-run): the finding is OPEN with the plan, no write reaches AWS",
    async () => {
      const instanceId = await launch();
      const findingId = newFindingId();
      const result = await h.vigil(["replay", await eventFor(instanceId, findingId)], config);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(h.aws.calls("ec2", "ModifyInstanceAttribute")).toEqual([]);
      expect(groupsOf(instanceId)).toEqual([[webGroup]]);
      expect(await findingOf(findingId)).toMatchObject({
        checkId: "VIGIL.GUARDDUTY.FINDING",
        status: "OPEN",
        severity: "HIGH",
        remediation: {
          mode: "dry-run",
          result: "planned",
          action: `ModifyInstanceAttribute ${instanceId} Groups=${quarantineGroup} (now ${webGroup} on ${
            instanceInterfaces(h.aws.ec2State, instanceId)[0]?.networkInterfaceId
          })`,
        },
      });
    },
    TIMEOUT,
  );

  it(
    "--mode auto quarantines exactly that instance; undo restores its groups and opts it out of the next republication",
    async () => {
      const instanceId = await launch();
      const neighbour = await launch();
      const findingId = newFindingId();
      const replay = await h.vigil(
        ["replay", await eventFor(instanceId, findingId), "--mode", "auto"],
        config,
      );
      expect(replay, replay.stderr).toMatchObject({ code: 0 });

      const writes = writesTo(instanceId);
      expect(writes).toHaveLength(1);
      const { Action, Version, ...input } = writes[0]?.params ?? {};
      expect({ Action, Version }).toEqual({ Action: "ModifyInstanceAttribute", Version: "2016-11-15" });
      expect(input).toEqual({ InstanceId: instanceId, "GroupId.1": quarantineGroup });
      expect(groupsOf(instanceId)).toEqual([[quarantineGroup]]);
      expect(groupsOf(neighbour)).toEqual([[webGroup]]);
      expect(writesTo(neighbour)).toEqual([]);
      const finding = await findingOf(findingId);
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect(h.alerts().some((m) => m.Message.includes("CryptoCurrency:EC2/BitcoinTool.B"))).toBe(true);

      const undo = await h.vigil(["undo", finding?.id ?? ""]);
      expect(undo, undo.stderr).toMatchObject({ code: 0 });
      expect(undo.stdout).toContain(`restored on ${instanceId}: security groups`);
      expect(groupsOf(instanceId)).toEqual([[webGroup]]);
      expect(ec2Instances(h.aws.ec2State).instances.get(instanceId)?.tags).toMatchObject({
        "vigil:no-quarantine": "restored with vigil undo",
      });
      expect(await findingOf(findingId)).toMatchObject({ status: "OPEN", remediation: { result: "undone" } });

      // GuardDuty republishes the finding hours later: the opted-out instance is left alone.
      const later = await eventFor(instanceId, findingId, (event) => {
        event.detail.updatedAt = new Date(Date.now() + 6 * 3_600_000).toISOString();
        event.detail.service.count = 7;
      });
      const again = await h.vigil(["replay", later, "--mode", "auto"], config);
      expect(again, again.stderr).toMatchObject({ code: 0 });
      expect(writesTo(instanceId).map((c) => c.params["GroupId.1"])).toEqual([quarantineGroup, webGroup]);
      expect(groupsOf(instanceId)).toEqual([[webGroup]]);
      expect(await findingOf(findingId)).toMatchObject({
        status: "OPEN",
        remediation: {
          result: "skipped",
          action: `no quarantine: ${instanceId} is tagged vigil:no-quarantine (opted out of quarantine)`,
        },
      });
    },
    TIMEOUT,
  );

  it(
    "an instance with two network interfaces is never modified, even with --mode auto",
    async () => {
      const instanceId = await launch({
        NetworkInterfaces: [
          { DeviceIndex: 0, SubnetId: subnetId, Groups: [webGroup] },
          { DeviceIndex: 1, SubnetId: subnetId, Groups: [webGroup] },
        ],
      });
      expect(groupsOf(instanceId)).toEqual([[webGroup], [webGroup]]);
      const findingId = newFindingId();
      const result = await h.vigil(
        ["replay", await eventFor(instanceId, findingId), "--mode", "auto"],
        config,
      );
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(writesTo(instanceId)).toEqual([]);
      expect(groupsOf(instanceId)).toEqual([[webGroup], [webGroup]]);
      expect(await findingOf(findingId)).toMatchObject({
        status: "OPEN",
        remediation: {
          mode: "auto",
          result: "skipped",
          action: expect.stringContaining("has 2 network interfaces"),
        },
      });
    },
    TIMEOUT,
  );
});
