import {
  CreateTagsCommand,
  DescribeInstancesCommand,
  EC2Client,
  ModifyInstanceMetadataOptionsCommand,
  type ModifyInstanceMetadataOptionsCommandOutput,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import type { RemediationClients } from "../../shared/remediations/define";
import requireImdsv2 from "../../shared/remediations/require-imdsv2";
import type { Ec2InstanceState } from "../../shared/resources/ec2-instance/state";
import { LEGACY, awsError, described, liveInstance } from "./support";

const ec2Client = new EC2Client({ region: "us-east-1" });
const ec2 = mockClient(ec2Client);
const clients = { ec2: () => ec2Client } as unknown as RemediationClients;
afterEach(() => ec2.reset());

const state: Ec2InstanceState = {
  instanceId: LEGACY,
  metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" },
};
const imdsv1 = (evidence: Record<string, unknown> = {}): Violation => ({
  summary: "s",
  evidence: { instanceId: LEGACY, httpTokens: "optional", httpEndpoint: "enabled", ...evidence },
});
const run = (violations: Violation[], dryRun = false) =>
  requireImdsv2.apply({ state, violations, dryRun }, clients);
const modifies = () => ec2.commandCalls(ModifyInstanceMetadataOptionsCommand).map((c) => c.args[0].input);
const applied = (HttpTokens: "optional" | "required"): ModifyInstanceMetadataOptionsCommandOutput => ({
  $metadata: {},
  InstanceId: LEGACY,
  InstanceMetadataOptions: {
    State: "pending",
    HttpTokens,
    HttpEndpoint: "enabled",
    HttpPutResponseHopLimit: 2,
  },
});

describe("require-imdsv2", () => {
  it("is disruptive, needs one write and names its undo actions", () => {
    expect(requireImdsv2).toMatchObject({
      resourceType: "AWS::EC2::Instance",
      disruptive: true,
      iamActions: ["ec2:ModifyInstanceMetadataOptions"],
      undoIamActions: ["ec2:DescribeInstances", "ec2:CreateTags", "ec2:ModifyInstanceMetadataOptions"],
    });
  });

  it("sets HttpTokens=required (and the endpoint it already had) on exactly that instance, nothing else", async () => {
    ec2.on(ModifyInstanceMetadataOptionsCommand).resolves(applied("required"));
    const outcome = await run([imdsv1()]);
    expect(modifies()).toEqual([{ InstanceId: LEGACY, HttpTokens: "required", HttpEndpoint: "enabled" }]);
    expect(ec2.calls()).toHaveLength(1);
    expect(outcome).toEqual({
      result: "succeeded",
      action: `ModifyInstanceMetadataOptions ${LEGACY} HttpTokens=required HttpEndpoint=enabled: IMDSv1 is off on ${LEGACY}`,
      undo: { remediationId: "require-imdsv2", params: { instanceId: LEGACY, httpTokens: "optional" } },
      awsCalls: 1,
    });
  });

  it("never turns the endpoint on when the evidence doesn't say it was on", async () => {
    ec2.on(ModifyInstanceMetadataOptionsCommand).resolves(applied("required"));
    await run([imdsv1({ httpEndpoint: undefined })]);
    expect(modifies()).toEqual([{ InstanceId: LEGACY, HttpTokens: "required" }]);
  });

  it("dry-run plans the exact call and sends nothing", async () => {
    expect(await run([imdsv1()], true)).toEqual({
      result: "planned",
      action: `ModifyInstanceMetadataOptions ${LEGACY} HttpTokens=required HttpEndpoint=enabled`,
      awsCalls: 0,
    });
    expect(ec2.calls()).toHaveLength(0);
  });

  it("no IMDSv1 violation for this instance: skipped, nothing sent", async () => {
    const other = await run([imdsv1({ instanceId: "i-0a1b2c3d4e5f60718" })]);
    const required = await run([imdsv1({ httpTokens: "required" })]);
    for (const outcome of [other, required]) expect(outcome.result).toBe("skipped");
    expect(ec2.calls()).toHaveLength(0);
  });

  it("an instance that is gone: already-gone", async () => {
    ec2.on(ModifyInstanceMetadataOptionsCommand).rejects(awsError("InvalidInstanceID.NotFound"));
    expect(await run([imdsv1()])).toMatchObject({ result: "already-gone", awsCalls: 1 });
  });

  it("an answer that doesn't show required is a failure, without undo", async () => {
    ec2.on(ModifyInstanceMetadataOptionsCommand).resolves(applied("optional"));
    const outcome = await run([imdsv1()]);
    expect(outcome).toMatchObject({
      result: "failed",
      detail: `EC2 answered HttpTokens=optional for ${LEGACY}`,
    });
    expect(outcome.undo).toBeUndefined();
  });

  it("other errors propagate (the pipeline records and retries transient ones)", async () => {
    ec2.on(ModifyInstanceMetadataOptionsCommand).rejects(awsError("RequestLimitExceeded"));
    await expect(run([imdsv1()])).rejects.toThrow("RequestLimitExceeded");
  });
});

describe("require-imdsv2 undo", () => {
  const payload = (params: Record<string, unknown> = {}) => ({
    remediationId: "require-imdsv2",
    params: { instanceId: LEGACY, httpTokens: "optional", exemptChecks: ["EC2.8"], ...params },
  });

  it("tags the instance exempt first (keeping existing ids), then puts HttpTokens back to optional", async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolves(described(liveInstance(LEGACY, { Tags: [{ Key: "vigil:exempt", Value: "EC2.9" }] })));
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(ModifyInstanceMetadataOptionsCommand).resolves(applied("optional"));
    const message = await requireImdsv2.undo(payload(), clients);
    expect(ec2.commandCalls(CreateTagsCommand).map((c) => c.args[0].input)).toEqual([
      {
        Resources: [LEGACY],
        Tags: [
          { Key: "vigil:exempt", Value: "EC2.9 EC2.8" },
          { Key: "vigil:exempt-reason", Value: "restored with vigil undo" },
        ],
      },
    ]);
    expect(modifies()).toEqual([{ InstanceId: LEGACY, HttpTokens: "optional" }]);
    const order = ec2.calls().map((c) => c.args[0].constructor.name);
    expect(order).toEqual([
      "DescribeInstancesCommand",
      "CreateTagsCommand",
      "ModifyInstanceMetadataOptionsCommand",
    ]);
    expect(message).toBe(
      `restored on ${LEGACY}: HttpTokens=optional (IMDSv1 allowed again); ${LEGACY} tagged vigil:exempt=EC2.9 EC2.8`,
    );
  });

  it("an instance that is gone: says so, changes nothing", async () => {
    ec2.on(DescribeInstancesCommand).rejects(awsError("InvalidInstanceID.NotFound"));
    await expect(requireImdsv2.undo(payload(), clients)).rejects.toThrow(
      /no longer exists: nothing to restore/,
    );
    expect(modifies()).toEqual([]);
  });

  it("refuses a payload that is not its own shape", async () => {
    await expect(requireImdsv2.undo(payload({ httpTokens: "required" }), clients)).rejects.toThrow();
    await expect(requireImdsv2.undo(payload({ instanceId: "sg-0123" }), clients)).rejects.toThrow();
    expect(ec2.calls()).toHaveLength(0);
  });
});
