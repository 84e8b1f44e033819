import {
  CreateDetectorCommand,
  DeleteDetectorCommand,
  GuardDutyClient,
  ListDetectorsCommand,
  UpdateDetectorCommand,
  type UpdateDetectorCommandInput,
} from "@aws-sdk/client-guardduty";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SnsAlertPayload } from "../../shared/notifiers/sns";
import { startCliHarness, type CliHarness, type FindingJson } from "../support/cli-harness";
import type { GuardDutyDouble, LocalDetector } from "../support/local-aws/guardduty";

/**
 * `vigil replay` in a child process against the local endpoint's GuardDuty: the detector is created
 * and weakened through the SDK the way an intruder would, then the matching CloudTrail event (a
 * sample from events/guardduty, rewritten for the detector) is replayed with `--mode auto`.
 * GuardDuty allows one detector per Region, so each test starts from a fresh one in us-east-1.
 */

const TIMEOUT = 60_000;
const ACCOUNT = "111122223333";
/** Who the samples say did it. */
const ACTOR = {
  type: "IAMUser",
  arn: `arn:aws:iam::${ACCOUNT}:user/build-bot`,
  sourceIp: "203.0.113.201",
  userAgent: expect.stringMatching(/^aws-cli\/2\.22\.35 .*md\/command#guardduty\./),
};

type Finding = Omit<FindingJson, "actor"> & { actor: Record<string, unknown> | null };

interface DetectorEvent {
  detail: { requestParameters: Record<string, unknown> };
}

const arnOf = (detectorId: string, region = "us-east-1") =>
  `arn:aws:guardduty:${region}:${ACCOUNT}:detector/${detectorId}`;
/** Vigil's GuardDuty requests since `from` (not the findings table nor the alert topic). */
const guardDutyCalls = (h: CliHarness, from: number) =>
  h.aws.requests
    .slice(from)
    .filter((r) => r.service === "guardduty")
    .map((r) => [r.action, r.params]);
const payloadOf = (message: string) =>
  JSON.parse(message.slice(message.lastIndexOf("\n\n") + 2)) as SnsAlertPayload;
/** Each protection plan's status (and its agent management's, when it has some), as the detector has them now. */
const plansOf = (detector: LocalDetector | undefined) =>
  Object.fromEntries(
    [...(detector?.plans ?? [])].map(([name, plan]) => [
      name,
      plan.additional.size ? { status: plan.status, ...Object.fromEntries(plan.additional) } : plan.status,
    ]),
  );

describe("GuardDuty tampering through the CLI against the local endpoint", () => {
  let h: CliHarness;
  let guardDuty: GuardDutyClient;
  let double: GuardDutyDouble;

  beforeAll(async () => {
    h = await startCliHarness();
    guardDuty = new GuardDutyClient(h.clientConfig);
    double = h.aws.double<GuardDutyDouble>("guardduty");
  }, TIMEOUT);
  afterAll(async () => {
    guardDuty.destroy();
    await h.close();
  });
  // One detector per Region: each test creates its own.
  beforeEach(async () => {
    const { DetectorIds = [] } = await guardDuty.send(new ListDetectorsCommand({}));
    for (const id of DetectorIds) await guardDuty.send(new DeleteDetectorCommand({ DetectorId: id }));
  });

  async function newDetector(client = guardDuty): Promise<string> {
    const { DetectorId = "" } = await client.send(new CreateDetectorCommand({ Enable: true }));
    return DetectorId;
  }

  /** The sample event rewritten for the detector (its request is the one the intruder sent). */
  const forDetector = (sample: string, detectorId: string) =>
    h.writeEvent<DetectorEvent>(`guardduty/${sample}.json`, (event) => {
      event.detail.requestParameters.detectorId = detectorId;
    });

  async function finding(checkId: string, detectorId: string): Promise<Finding | undefined> {
    const all = (await h.findings()) as unknown as Finding[];
    return all.find((f) => f.checkId === checkId && f.resourceId === detectorId);
  }

  const alertsFor = (detectorId: string) =>
    h
      .alerts()
      .map((m) => payloadOf(m.Message))
      .filter((p) => p.resource.id === detectorId);

  it(
    "UpdateDetector enable=false --mode auto re-enables exactly that detector; actor and tampering alert; undo refuses",
    async () => {
      const detectorId = await newDetector();
      // Another Region's suspended detector is none of this event's business.
      const west = new GuardDutyClient({ ...h.clientConfig, region: "us-west-2" });
      const bystander = await newDetector(west);
      await west.send(new UpdateDetectorCommand({ DetectorId: bystander, Enable: false }));
      west.destroy();
      await guardDuty.send(new UpdateDetectorCommand({ DetectorId: detectorId, Enable: false }));
      expect(double.detector(detectorId)?.status).toBe("DISABLED");

      const file = await forDetector("UpdateDetector-disable", detectorId);
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(double.detector(detectorId)?.status).toBe("ENABLED");
      expect(double.detector(bystander)?.status).toBe("DISABLED");
      // Tags (exemptions), the one write on that detector, then the read that confirms it.
      expect(guardDutyCalls(h, before)).toEqual([
        ["ListTagsForResource", { resourceArn: arnOf(detectorId) }],
        ["UpdateDetector", { detectorId, enable: "true" }],
        ["GetDetector", { detectorId }],
      ]);
      const disabled = await finding("VIGIL.GUARDDUTY.DISABLED", detectorId);
      expect(disabled).toMatchObject({
        status: "REMEDIATED",
        severity: "CRITICAL",
        actor: ACTOR,
        remediation: { mode: "auto", result: "succeeded", action: `detector ${detectorId}: re-enabled` },
      });
      expect(alertsFor(detectorId)).toMatchObject([
        {
          tampering: true,
          actor: { arn: ACTOR.arn, sourceIp: ACTOR.sourceIp, userAgent: ACTOR.userAgent },
          findings: [{ checkId: "VIGIL.GUARDDUTY.DISABLED", status: "REMEDIATED" }],
        },
      ]);

      const beforeUndo = h.aws.requests.length;
      const undo = await h.vigil(["undo", disabled?.id ?? ""]);
      expect(undo.code).not.toBe(0);
      expect(undo.stderr).toContain("by a remediation without undo");
      expect(undo.stderr).toContain("never suspends or deletes a GuardDuty detector");
      expect(guardDutyCalls(h, beforeUndo)).toEqual([]);
      expect(double.detector(detectorId)?.status).toBe("ENABLED");
    },
    TIMEOUT,
  );

  it(
    "UpdateDetector enable=false for a detector deleted since: nothing re-enabled, so the finding stays OPEN",
    async () => {
      const detectorId = await newDetector();
      await guardDuty.send(new UpdateDetectorCommand({ DetectorId: detectorId, Enable: false }));
      await guardDuty.send(new DeleteDetectorCommand({ DetectorId: detectorId }));

      const file = await forDetector("UpdateDetector-disable", detectorId);
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      // GuardDuty answers BadRequestException for a detector that is gone: tags read as none, the update refused.
      expect(guardDutyCalls(h, before)).toEqual([
        ["ListTagsForResource", { resourceArn: arnOf(detectorId) }],
        ["UpdateDetector", { detectorId, enable: "true" }],
      ]);
      expect(double.detectorIds()).toEqual([]);
      // The Region has no GuardDuty at all: REMEDIATED here would be a false all-clear.
      expect(await finding("VIGIL.GUARDDUTY.DISABLED", detectorId)).toMatchObject({
        status: "OPEN",
        remediation: {
          mode: "auto",
          result: "skipped",
          action: `detector ${detectorId} no longer exists: nothing to re-enable (see VIGIL.GUARDDUTY.DELETED)`,
        },
      });
    },
    TIMEOUT,
  );

  it(
    "features turned off --mode auto: exactly those plans come back with the agent management turned off with them, nothing else moves",
    async () => {
      const detectorId = await newDetector();
      await guardDuty.send(
        new UpdateDetectorCommand({
          DetectorId: detectorId,
          Features: [
            {
              Name: "RUNTIME_MONITORING",
              Status: "ENABLED",
              AdditionalConfiguration: [
                { Name: "EKS_ADDON_MANAGEMENT", Status: "ENABLED" },
                { Name: "ECS_FARGATE_AGENT_MANAGEMENT", Status: "ENABLED" },
              ],
            },
          ],
        }),
      );
      // The sample's request, as the intruder sent it.
      const change: UpdateDetectorCommandInput = {
        DetectorId: detectorId,
        Features: [
          { Name: "S3_DATA_EVENTS", Status: "DISABLED" },
          {
            Name: "RUNTIME_MONITORING",
            Status: "DISABLED",
            AdditionalConfiguration: [{ Name: "EKS_ADDON_MANAGEMENT", Status: "DISABLED" }],
          },
          { Name: "EBS_MALWARE_PROTECTION", Status: "ENABLED" },
        ],
      };
      await guardDuty.send(new UpdateDetectorCommand(change));
      const weakened = plansOf(double.detector(detectorId));
      expect(weakened).toMatchObject({
        S3_DATA_EVENTS: "DISABLED",
        RUNTIME_MONITORING: {
          status: "DISABLED",
          EKS_ADDON_MANAGEMENT: "DISABLED",
          ECS_FARGATE_AGENT_MANAGEMENT: "ENABLED",
        },
      });

      const file = await forDetector("UpdateDetector-disable-protections", detectorId);
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(guardDutyCalls(h, before)).toEqual([
        ["ListTagsForResource", { resourceArn: arnOf(detectorId) }],
        [
          "UpdateDetector",
          {
            detectorId,
            features: JSON.stringify([
              { name: "S3_DATA_EVENTS", status: "ENABLED" },
              {
                name: "RUNTIME_MONITORING",
                status: "ENABLED",
                additionalConfiguration: [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }],
              },
            ]),
          },
        ],
        ["GetDetector", { detectorId }],
      ]);
      expect(plansOf(double.detector(detectorId))).toEqual({
        ...weakened,
        S3_DATA_EVENTS: "ENABLED",
        // The plan is back as it ran: the EKS add-on management the call turned off with it is on again;
        // ECS Fargate agent management, which the call did not touch, was never changed.
        RUNTIME_MONITORING: {
          status: "ENABLED",
          EKS_ADDON_MANAGEMENT: "ENABLED",
          ECS_FARGATE_AGENT_MANAGEMENT: "ENABLED",
        },
      });
      expect(double.detector(detectorId)?.status).toBe("ENABLED");
      const found = (await h.findings()).filter(
        (f) => f.checkId === "VIGIL.GUARDDUTY.PROTECTION_DISABLED" && f.resourceId === detectorId,
      );
      expect(found).toMatchObject([
        {
          status: "REMEDIATED",
          severity: "HIGH",
          actor: { arn: ACTOR.arn },
          remediation: {
            mode: "auto",
            result: "succeeded",
            action: `detector ${detectorId}: S3_DATA_EVENTS on, RUNTIME_MONITORING on (with EKS_ADDON_MANAGEMENT)`,
          },
        },
      ]);
      expect(alertsFor(detectorId)).toMatchObject([{ tampering: true }]);
    },
    TIMEOUT,
  );

  it(
    "legacy dataSources turning EKS audit logs off --mode auto: the plan comes back through features",
    async () => {
      const detectorId = await newDetector();
      await guardDuty.send(
        new UpdateDetectorCommand({
          DetectorId: detectorId,
          DataSources: { S3Logs: { Enable: true }, Kubernetes: { AuditLogs: { Enable: false } } },
        }),
      );
      expect(double.detector(detectorId)?.plans.get("EKS_AUDIT_LOGS")?.status).toBe("DISABLED");

      const file = await forDetector("UpdateDetector-disable-datasources", detectorId);
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(guardDutyCalls(h, before).filter(([action]) => action === "UpdateDetector")).toEqual([
        [
          "UpdateDetector",
          { detectorId, features: JSON.stringify([{ name: "EKS_AUDIT_LOGS", status: "ENABLED" }]) },
        ],
      ]);
      expect(double.detector(detectorId)?.plans.get("EKS_AUDIT_LOGS")?.status).toBe("ENABLED");
      expect(double.detector(detectorId)?.plans.get("S3_DATA_EVENTS")?.status).toBe("ENABLED");
      expect(await finding("VIGIL.GUARDDUTY.PROTECTION_DISABLED", detectorId)).toMatchObject({
        status: "REMEDIATED",
        remediation: { result: "succeeded", action: `detector ${detectorId}: EKS_AUDIT_LOGS on` },
      });
    },
    TIMEOUT,
  );

  it(
    "DeleteDetector --mode auto with none left: one new enabled detector, never a second",
    async () => {
      const deleted = await newDetector();
      await guardDuty.send(new DeleteDetectorCommand({ DetectorId: deleted }));
      expect(double.detectorIds()).toEqual([]);

      const file = await forDetector("DeleteDetector", deleted);
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      const [created, ...more] = double.detectorIds();
      expect(more).toEqual([]);
      expect(created).toMatch(/^[0-9a-f]{32}$/);
      expect(created).not.toBe(deleted);
      expect(double.detector(created ?? "")?.status).toBe("ENABLED");
      // No tag read for a detector that is gone; the guard, then the one create.
      expect(guardDutyCalls(h, before)).toEqual([
        ["ListDetectors", {}],
        ["CreateDetector", { enable: "true" }],
      ]);
      expect(await finding("VIGIL.GUARDDUTY.DELETED", deleted)).toMatchObject({
        status: "REMEDIATED",
        severity: "CRITICAL",
        actor: ACTOR,
        remediation: {
          mode: "auto",
          result: "succeeded",
          action: `created enabled detector ${created} in us-east-1 (replaces deleted ${deleted})`,
        },
      });
      expect(alertsFor(deleted)).toMatchObject([{ tampering: true, actor: { arn: ACTOR.arn } }]);

      // The same event again (a redelivery): the Region has a detector now, nothing is created.
      const again = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(again.code, again.stderr).toBe(0);
      expect(double.detectorIds()).toEqual([created]);
      expect(h.aws.requests.slice(before).filter((r) => r.action === "CreateDetector")).toHaveLength(1);
    },
    TIMEOUT,
  );

  it(
    "DeleteDetector --mode auto when someone already made a new one: no CreateDetector, the finding stays open",
    async () => {
      const deleted = await newDetector();
      await guardDuty.send(new DeleteDetectorCommand({ DetectorId: deleted }));
      const replacement = await newDetector();

      const file = await forDetector("DeleteDetector", deleted);
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(guardDutyCalls(h, before)).toEqual([["ListDetectors", {}]]);
      expect(double.detectorIds()).toEqual([replacement]);
      expect(await finding("VIGIL.GUARDDUTY.DELETED", deleted)).toMatchObject({
        status: "OPEN",
        remediation: {
          mode: "auto",
          result: "skipped",
          action: `not created: us-east-1 already has detector ${replacement}`,
        },
      });
    },
    TIMEOUT,
  );
});
