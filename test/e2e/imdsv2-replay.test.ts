import { CreateSubnetCommand, EC2Client, RunInstancesCommand } from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness, type FindingJson } from "../support/cli-harness";
import { ec2Instances } from "../support/local-aws/ec2-instances";

/**
 * `vigil replay` in a child process against the local endpoint, for a RunInstances that left IMDSv1
 * on: default dry-run writes nothing, `--mode auto` sets HttpTokens=required on exactly the launched
 * instance (not its neighbour), `vigil undo` puts optional back and tags the instance exempt.
 */

const TIMEOUT = 60_000;
const SAMPLE = "instance/RunInstances-imdsv1-httptokens-optional.json";

interface LaunchEvent {
  detail: {
    requestParameters: { subnetId?: string };
    responseElements: { instancesSet: { items: { instanceId: string; subnetId: string }[] } };
  };
}

describe("vigil replay: EC2.8 instance launched with IMDSv1 allowed", () => {
  let h: CliHarness;
  let ec2: EC2Client;
  let subnetId: string;

  /** Two instances launched the way the sample's caller did (tokens optional), in a subnet without public addresses. */
  async function launch(): Promise<[string, string]> {
    const out = await ec2.send(
      new RunInstancesCommand({
        ImageId: "ami-0e9d3a7c1b5f24680",
        MinCount: 2,
        MaxCount: 2,
        SubnetId: subnetId,
        MetadataOptions: { HttpTokens: "optional", HttpEndpoint: "enabled", HttpPutResponseHopLimit: 2 },
        TagSpecifications: [
          { ResourceType: "instance", Tags: [{ Key: "Name", Value: "legacy-reporting-01" }] },
        ],
      }),
    );
    const [first, second] = (out.Instances ?? []).map((i) => i.InstanceId ?? "");
    if (!first || !second) throw new Error("the endpoint launched no instances");
    return [first, second];
  }
  /** The sample event, naming only `instanceId` as launched (fresh event ids and times). */
  const eventFor = (instanceId: string) =>
    h.writeEvent<LaunchEvent>(SAMPLE, (event) => {
      event.detail.requestParameters.subnetId = subnetId;
      const [item] = event.detail.responseElements.instancesSet.items;
      if (item) Object.assign(item, { instanceId, subnetId });
    });
  const tokensOf = (instanceId: string) =>
    ec2Instances(h.aws.ec2State).instances.get(instanceId)?.metadataOptions.httpTokens;
  const writesTo = (instanceId: string) =>
    h.aws.calls("ec2", "ModifyInstanceMetadataOptions").filter((c) => c.params.InstanceId === instanceId);
  const findingsOf = async (instanceId: string): Promise<FindingJson[]> =>
    (await h.findings()).filter((f) => f.resourceId === instanceId);

  beforeAll(async () => {
    h = await startCliHarness();
    ec2 = new EC2Client(h.clientConfig);
    const subnet = await ec2.send(
      new CreateSubnetCommand({ VpcId: "vpc-0d4e7a1c9b3f5e268", CidrBlock: "10.40.12.0/24" }),
    );
    subnetId = subnet.Subnet?.SubnetId ?? "";
  }, TIMEOUT);
  afterAll(async () => {
    ec2?.destroy();
    await h?.close();
  });

  it(
    "default mode (dry-run): the finding is OPEN with the planned call, and no write reaches AWS",
    async () => {
      const [instanceId] = await launch();
      const result = await h.vigil(["replay", await eventFor(instanceId)]);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(writesTo(instanceId)).toEqual([]);
      expect(h.aws.calls("ec2", "ModifyInstanceMetadataOptions")).toEqual([]);
      expect(tokensOf(instanceId)).toBe("optional");
      // The subnet doesn't auto-assign and the live instance has no public address: EC2.9 is compliant.
      expect(await findingsOf(instanceId)).toEqual([
        expect.objectContaining({
          checkId: "EC2.8",
          status: "OPEN",
          severity: "HIGH",
          remediation: expect.objectContaining({
            mode: "dry-run",
            result: "planned",
            action: `ModifyInstanceMetadataOptions ${instanceId} HttpTokens=required HttpEndpoint=enabled`,
          }),
        }),
      ]);
    },
    TIMEOUT,
  );

  it(
    "--mode auto sets HttpTokens=required on exactly that instance; undo puts optional back and tags it exempt",
    async () => {
      const [instanceId, neighbour] = await launch();
      const replay = await h.vigil(["replay", await eventFor(instanceId), "--mode", "auto"]);
      expect(replay, replay.stderr).toMatchObject({ code: 0 });

      const writes = writesTo(instanceId);
      expect(writes).toHaveLength(1);
      const { Action, Version, ...input } = writes[0]?.params ?? {};
      expect({ Action, Version }).toEqual({ Action: "ModifyInstanceMetadataOptions", Version: "2016-11-15" });
      expect(input).toEqual({ InstanceId: instanceId, HttpTokens: "required", HttpEndpoint: "enabled" });
      expect(writesTo(neighbour)).toEqual([]);
      expect(tokensOf(instanceId)).toBe("required");
      expect(tokensOf(neighbour)).toBe("optional");
      // Only the token setting changed: the hop limit the launch chose is kept.
      expect(ec2Instances(h.aws.ec2State).instances.get(instanceId)?.metadataOptions).toMatchObject({
        httpEndpoint: "enabled",
        httpPutResponseHopLimit: 2,
      });

      const [finding] = await findingsOf(instanceId);
      expect(finding).toMatchObject({
        checkId: "EC2.8",
        status: "REMEDIATED",
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect(h.alerts().length).toBeGreaterThan(0);

      const undo = await h.vigil(["undo", finding?.id ?? ""]);
      expect(undo, undo.stderr).toMatchObject({ code: 0 });
      expect(undo.stdout).toContain(`restored on ${instanceId}: HttpTokens=optional`);
      expect(tokensOf(instanceId)).toBe("optional");
      expect(ec2Instances(h.aws.ec2State).instances.get(instanceId)?.tags).toMatchObject({
        "vigil:exempt": "EC2.8",
      });
      expect(writesTo(instanceId).map((c) => c.params.HttpTokens)).toEqual(["required", "optional"]);
      expect(writesTo(neighbour)).toEqual([]);
      expect(await findingsOf(instanceId)).toEqual([
        expect.objectContaining({
          checkId: "EC2.8",
          status: "SUPPRESSED",
          remediation: expect.objectContaining({ result: "undone" }),
        }),
      ]);
    },
    TIMEOUT,
  );
});
