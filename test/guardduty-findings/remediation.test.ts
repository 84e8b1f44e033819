import { CreateTagsCommand, EC2Client, ModifyInstanceAttributeCommand } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { RemediationClients } from "../../shared/remediations/define";
import quarantine from "../../shared/remediations/quarantine-instance";
import type { GuardDutyFindingState } from "../../shared/resources/guardduty-finding/state";
import { ENI_ID, INSTANCE_ID, QUARANTINE_GROUP, WEB_GROUP } from "./support";

const ec2Client = new EC2Client({ region: "us-east-1" });
const ec2 = mockClient(ec2Client);
const refuse = () => Promise.reject(new Error("not this client"));
const clients = new Proxy({ ec2: () => ec2Client } as unknown as RemediationClients, {
  get: (target, key) => (key in target ? target[key as keyof RemediationClients] : refuse),
});

const state = { sample: false, resource: { resourceType: "Instance" } } as GuardDutyFindingState;
const eligible = {
  eligible: true,
  instanceId: INSTANCE_ID,
  securityGroupId: QUARANTINE_GROUP,
  networkInterfaces: [],
  optOutTagKey: "vigil:no-quarantine",
};
const violation = (quarantinePlan: unknown) => ({
  summary: "GuardDuty …",
  evidence: { quarantine: quarantinePlan },
});

describe("quarantine-instance", () => {
  afterEach(() => ec2.reset());

  it("is disruptive, and undo leaves the finding OPEN (it tags the instance, not the finding)", () => {
    expect(quarantine).toMatchObject({
      resourceType: "AWS::GuardDuty::Finding",
      disruptive: true,
      undoExemptsByTag: false,
      iamActions: ["ec2:DescribeInstances", "ec2:ModifyInstanceAttribute"],
      undoIamActions: ["ec2:CreateTags", "ec2:ModifyInstanceAttribute"],
    });
  });

  it("acts on nothing without an eligible plan in the evidence, whatever the mode", async () => {
    for (const evidence of [
      undefined,
      { eligible: "yes" },
      { ...eligible, instanceId: "i-0c5e; rm -rf /" },
    ]) {
      const outcome = await quarantine.apply(
        { state, violations: [violation(evidence)], dryRun: false },
        clients,
      );
      expect(outcome).toEqual({
        result: "skipped",
        action: "no quarantine: no quarantine plan in the finding",
        awsCalls: 0,
      });
    }
    expect(ec2.calls()).toEqual([]);
  });

  it("never for a sample finding, even with an eligible plan", async () => {
    const outcome = await quarantine.apply(
      { state: { ...state, sample: true }, violations: [violation(eligible)], dryRun: false },
      clients,
    );
    expect(outcome.result).toBe("skipped");
    expect(ec2.calls()).toEqual([]);
  });

  it("undo tags the instance opted out first, then puts back exactly the groups it replaced", async () => {
    ec2.on(CreateTagsCommand).resolves({});
    ec2.on(ModifyInstanceAttributeCommand).resolves({});
    const message = await quarantine.undo(
      {
        remediationId: "quarantine-instance",
        params: {
          instanceId: INSTANCE_ID,
          quarantineGroupId: QUARANTINE_GROUP,
          optOutTagKey: "vigil:no-quarantine",
          networkInterfaces: [{ networkInterfaceId: ENI_ID, groups: [WEB_GROUP, "sg-0123456789abcdef0"] }],
          // What the pipeline adds to every undo payload.
          exemptChecks: ["VIGIL.GUARDDUTY.FINDING"],
          exemptionTagKey: "vigil:exempt",
        },
      },
      clients,
    );
    expect(ec2.calls().map((c) => c.args[0].constructor.name)).toEqual([
      "CreateTagsCommand",
      "ModifyInstanceAttributeCommand",
    ]);
    expect(ec2.commandCalls(CreateTagsCommand)[0]?.args[0].input).toEqual({
      Resources: [INSTANCE_ID],
      Tags: [{ Key: "vigil:no-quarantine", Value: "restored with vigil undo" }],
    });
    expect(ec2.commandCalls(ModifyInstanceAttributeCommand)[0]?.args[0].input).toEqual({
      InstanceId: INSTANCE_ID,
      Groups: [WEB_GROUP, "sg-0123456789abcdef0"],
    });
    expect(message).toBe(
      `restored on ${INSTANCE_ID}: security groups ${ENI_ID}: ${WEB_GROUP}, sg-0123456789abcdef0 (was quarantine group ${QUARANTINE_GROUP}); tagged vigil:no-quarantine so Vigil won't quarantine it again`,
    );
  });

  it("undo refuses a payload it can't restore exactly (no groups, several interfaces)", async () => {
    const params = {
      instanceId: INSTANCE_ID,
      quarantineGroupId: QUARANTINE_GROUP,
      optOutTagKey: "vigil:no-quarantine",
    };
    for (const networkInterfaces of [
      [{ networkInterfaceId: ENI_ID, groups: [] }],
      [
        { networkInterfaceId: ENI_ID, groups: [WEB_GROUP] },
        { networkInterfaceId: "eni-0aa", groups: [WEB_GROUP] },
      ],
    ]) {
      await expect(
        quarantine.undo(
          { remediationId: "quarantine-instance", params: { ...params, networkInterfaces } },
          clients,
        ),
      ).rejects.toThrow();
    }
    expect(ec2.calls()).toEqual([]);
  });
});
