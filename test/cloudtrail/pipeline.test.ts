import {
  GetTrailCommand,
  ListTagsCommand,
  StartLoggingCommand,
  UpdateTrailCommand,
} from "@aws-sdk/client-cloudtrail";
import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { DELETED_ARN, TRAIL_ARN, awsError, idFor, trailEvent } from "./support";

const LOGGING = "VIGIL.CLOUDTRAIL.LOGGING_STOPPED";
const KEY_ARN = "arn:aws:kms:us-east-1:111122223333:key/2b7e4c91-5d3a-4f86-9a1c-7e0b3d5f8a24";
const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.status] as const).sort();
const noTags = (t: TestRuntime) => t.cloudTrail.on(ListTagsCommand).resolves({ ResourceTagList: [] });
const writes = (t: TestRuntime) =>
  [...t.cloudTrail.commandCalls(StartLoggingCommand), ...t.cloudTrail.commandCalls(UpdateTrailCommand)].map(
    (c) => c.args[0].input,
  );

describe("CloudTrail tampering through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  describe("StopLogging / StartLogging", () => {
    it("non-compliant: StopLogging restarts logging on the trail, finding REMEDIATED with who did it", async () => {
      t = await testRuntime();
      noTags(t);
      t.cloudTrail.on(StartLoggingCommand).resolves({});
      const report = await processEvent(trailEvent("StopLogging"), t.runtime);

      expect(report.outcome).toBe("processed");
      expect(t.cloudTrail.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([
        { ResourceIdList: [TRAIL_ARN] },
      ]);
      expect(writes(t)).toEqual([{ Name: TRAIL_ARN }]);
      expect(await statuses(t)).toEqual([[LOGGING, "REMEDIATED"]]);
      expect(await t.runtime.store.get(idFor(LOGGING))).toMatchObject({
        severity: "CRITICAL",
        evidence: [{ trailArn: TRAIL_ARN, setting: "logging", logging: false }],
        actor: { userName: "build-bot", sourceIp: "203.0.113.201" },
        remediation: { result: "succeeded", action: `${TRAIL_ARN}: logging restarted` },
      });
      expect(t.notifier.alerts).toHaveLength(1);
      expect(t.notifier.alerts[0]).toMatchObject({
        tampering: true,
        actor: { userName: "build-bot", sourceIp: "203.0.113.201" },
      });
    });

    it("compliant: StartLogging by anyone resolves the open finding (same trail, by name)", async () => {
      t = await testRuntime({ config: { modes: { [LOGGING]: "off" } } });
      noTags(t);
      await processEvent(trailEvent("StopLogging"), t.runtime);
      expect(await statuses(t)).toEqual([[LOGGING, "OPEN"]]);
      const report = await processEvent(trailEvent("StartLogging-by-name"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(await statuses(t)).toEqual([[LOGGING, "RESOLVED"]]);
      expect(writes(t)).toEqual([]);
      // The resolution is good news: it does not lead with the actor as an intrusion alert would.
      expect(t.notifier.alerts.at(-1)?.tampering).toBeUndefined();
    });

    it("compliant: StartLogging alone opens nothing and reads nothing", async () => {
      t = await testRuntime();
      await processEvent(trailEvent("StartLogging-by-name"), t.runtime);
      expect(await statuses(t)).toEqual([]);
      expect(t.cloudTrail.calls()).toHaveLength(0);
    });

    it("dry-run plans the StartLogging and sends nothing", async () => {
      t = await testRuntime({ config: { modeOverride: "dry-run" } });
      noTags(t);
      await processEvent(trailEvent("StopLogging"), t.runtime);
      expect(writes(t)).toEqual([]);
      expect(await t.runtime.store.get(idFor(LOGGING))).toMatchObject({
        status: "OPEN",
        remediation: { mode: "dry-run", result: "planned", action: `StartLogging ${TRAIL_ARN}` },
      });
    });

    it("a throttled StartLogging fails the event so it is retried", async () => {
      t = await testRuntime();
      noTags(t);
      t.cloudTrail.on(StartLoggingCommand).rejects(awsError("ThrottlingException", { $retryable: {} }));
      await expect(processEvent(trailEvent("StopLogging"), t.runtime)).rejects.toThrow(/ThrottlingException/);
    });

    it("not applicable: an exempt trail is suppressed, never touched", async () => {
      t = await testRuntime();
      t.cloudTrail.on(ListTagsCommand).resolves({
        ResourceTagList: [{ ResourceId: TRAIL_ARN, TagsList: [{ Key: "vigil:exempt", Value: LOGGING }] }],
      });
      await processEvent(trailEvent("StopLogging"), t.runtime);
      expect(writes(t)).toEqual([]);
      expect(await statuses(t)).toEqual([[LOGGING, "SUPPRESSED"]]);
    });

    it("not applicable: a StopLogging that failed (AccessDenied) changed nothing", async () => {
      t = await testRuntime();
      const event = trailEvent("StopLogging");
      event.detail.errorCode = "AccessDenied";
      expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
      expect(t.cloudTrail.calls()).toHaveLength(0);
    });

    it("a trail ARN of another account is reported, not remediated", async () => {
      t = await testRuntime();
      noTags(t);
      const event = trailEvent("StopLogging");
      event.detail.requestParameters = { name: "arn:aws:cloudtrail:us-east-1:444455556666:trail/org-trail" };
      await processEvent(event, t.runtime);
      expect(writes(t)).toEqual([]);
      const [finding] = await t.runtime.store.list();
      expect(finding).toMatchObject({
        checkId: LOGGING,
        status: "OPEN",
        remediation: {
          result: "skipped",
          action: expect.stringMatching(/^not remediated: trail .* is outside/),
        },
      });
    });

    it.each([
      ["no name", (d: Record<string, unknown>) => (d.requestParameters = {})],
      ["a name that is no trail", (d: Record<string, unknown>) => (d.requestParameters = { name: 42 })],
      ["no requestParameters", (d: Record<string, unknown>) => (d.requestParameters = null)],
    ])("malformed StopLogging (%s) is invalid and changes nothing", async (_, change) => {
      t = await testRuntime();
      const event = trailEvent("StopLogging");
      change(event.detail);
      expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
      expect(t.cloudTrail.calls()).toHaveLength(0);
      expect(await statuses(t)).toEqual([]);
    });
  });

  describe("DeleteTrail", () => {
    it("non-compliant: alerts with who and from where, sends nothing", async () => {
      t = await testRuntime();
      const report = await processEvent(trailEvent("DeleteTrail"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(t.cloudTrail.calls()).toHaveLength(0);
      expect(await statuses(t)).toEqual([["VIGIL.CLOUDTRAIL.DELETED", "OPEN"]]);
      expect(await t.runtime.store.get(idFor("VIGIL.CLOUDTRAIL.DELETED", DELETED_ARN))).toMatchObject({
        severity: "CRITICAL",
        summary: "trail dev-sandbox-trail was deleted",
        actor: {
          arn: "arn:aws:iam::111122223333:user/build-bot",
          sourceIp: "203.0.113.201",
          accessKeyId: "AKIAXMPLH4J6K8L1Z3X5",
        },
      });
      expect(t.notifier.alerts).toHaveLength(1);
    });

    it("a deletion does not resolve the trail's other open findings", async () => {
      t = await testRuntime({ config: { modes: { [LOGGING]: "off" } } });
      noTags(t);
      const stop = trailEvent("StopLogging");
      stop.detail.requestParameters = { name: "dev-sandbox-trail" };
      await processEvent(stop, t.runtime);
      await processEvent(trailEvent("DeleteTrail"), t.runtime);
      expect(await statuses(t)).toEqual([
        ["VIGIL.CLOUDTRAIL.DELETED", "OPEN"],
        [LOGGING, "OPEN"],
      ]);
    });

    it("malformed DeleteTrail is invalid", async () => {
      t = await testRuntime();
      const event = trailEvent("DeleteTrail");
      event.detail.requestParameters = {};
      expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
      expect(await statuses(t)).toEqual([]);
    });
  });

  describe("UpdateTrail", () => {
    it("non-compliant: validation turned off is turned back on, exactly that setting", async () => {
      t = await testRuntime();
      noTags(t);
      t.cloudTrail.on(UpdateTrailCommand).resolves({ TrailARN: TRAIL_ARN, LogFileValidationEnabled: true });
      await processEvent(trailEvent("UpdateTrail-disable-log-file-validation"), t.runtime);
      expect(writes(t)).toEqual([{ Name: TRAIL_ARN, EnableLogFileValidation: true }]);
      // The key is still set: CloudTrail.2 opens nothing.
      expect(await statuses(t)).toEqual([["CloudTrail.4", "REMEDIATED"]]);
      expect(await t.runtime.store.get(idFor("CloudTrail.4"))).toMatchObject({
        severity: "LOW",
        controls: ["FSBP CloudTrail.4", "CIS 3.2"],
      });
    });

    it("non-compliant: KMS key removed, the key AWS Config recorded before the call is put back", async () => {
      t = await testRuntime();
      noTags(t);
      t.configService.on(GetResourceConfigHistoryCommand).resolves({
        configurationItems: [
          {
            configurationItemStatus: "OK",
            configurationItemCaptureTime: new Date("2025-03-10T08:00:00Z"),
            configuration: JSON.stringify({ name: "org-audit-trail", kmsKeyId: KEY_ARN }),
          },
        ],
      });
      t.kms
        .on(DescribeKeyCommand)
        .resolves({ KeyMetadata: { KeyId: "k", Arn: KEY_ARN, KeyState: "Enabled" } });
      t.cloudTrail.on(GetTrailCommand).resolves({ Trail: { Name: "org-audit-trail", TrailARN: TRAIL_ARN } });
      t.cloudTrail.on(UpdateTrailCommand).resolves({ TrailARN: TRAIL_ARN, KmsKeyId: KEY_ARN });
      await processEvent(trailEvent("UpdateTrail-remove-kms-key"), t.runtime);

      expect(
        t.configService.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input),
      ).toEqual([
        {
          resourceType: "AWS::CloudTrail::Trail",
          resourceId: "org-audit-trail",
          laterTime: new Date("2025-03-16T02:12:30Z"),
          limit: 100,
        },
      ]);
      expect(t.kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([
        { KeyId: KEY_ARN },
      ]);
      expect(writes(t)).toEqual([{ Name: TRAIL_ARN, KmsKeyId: KEY_ARN }]);
      expect(await statuses(t)).toEqual([["CloudTrail.2", "REMEDIATED"]]);
      expect((await t.runtime.store.get(idFor("CloudTrail.2")))?.remediation).toMatchObject({
        remediationId: "restore-cloudtrail-kms-key",
        result: "succeeded",
        action: `${TRAIL_ARN}: KMS key ${KEY_ARN} restored`,
        detail: expect.stringContaining("not undoable by design"),
      });
    });

    it("non-compliant: KMS key removed from a trail Config never saw with a key: no write, finding stays OPEN, says why", async () => {
      t = await testRuntime();
      noTags(t);
      t.configService.on(GetResourceConfigHistoryCommand).resolves({
        configurationItems: [
          {
            configurationItemStatus: "ResourceDiscovered",
            configurationItemCaptureTime: new Date("2025-03-10T08:00:00Z"),
            configuration: JSON.stringify({ name: "org-audit-trail" }),
          },
        ],
      });
      await processEvent(trailEvent("UpdateTrail-remove-kms-key"), t.runtime);
      expect(writes(t)).toEqual([]);
      expect(t.kms.commandCalls(DescribeKeyCommand)).toHaveLength(0);
      expect(await statuses(t)).toEqual([["CloudTrail.2", "OPEN"]]);
      expect((await t.runtime.store.get(idFor("CloudTrail.2")))?.remediation).toMatchObject({
        result: "skipped",
        action: `no KMS key to restore on ${TRAIL_ARN}`,
        detail: expect.stringContaining("the trail never had one to restore"),
      });
    });

    it("non-compliant: multi-Region turned off is turned back on", async () => {
      t = await testRuntime();
      noTags(t);
      t.cloudTrail.on(UpdateTrailCommand).resolves({ TrailARN: TRAIL_ARN, IsMultiRegionTrail: true });
      await processEvent(trailEvent("UpdateTrail-single-region"), t.runtime);
      expect(writes(t)).toEqual([{ Name: TRAIL_ARN, IsMultiRegionTrail: true }]);
      expect(await statuses(t)).toEqual([["VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED", "REMEDIATED"]]);
    });

    it("compliant: turning validation back on resolves CloudTrail.4 and leaves the logging finding alone", async () => {
      t = await testRuntime({ config: { modes: { "CloudTrail.4": "off", [LOGGING]: "off" } } });
      noTags(t);
      await processEvent(trailEvent("StopLogging"), t.runtime);
      await processEvent(trailEvent("UpdateTrail-disable-log-file-validation"), t.runtime);
      expect(await statuses(t)).toEqual([
        ["CloudTrail.4", "OPEN"],
        [LOGGING, "OPEN"],
      ]);
      await processEvent(trailEvent("UpdateTrail-enable-log-file-validation"), t.runtime);
      expect(await statuses(t)).toEqual([
        ["CloudTrail.4", "RESOLVED"],
        [LOGGING, "OPEN"],
      ]);
      expect(writes(t)).toEqual([]);
    });

    it("a throttled UpdateTrail fails the event", async () => {
      t = await testRuntime();
      noTags(t);
      t.cloudTrail.on(UpdateTrailCommand).rejects(awsError("ThrottlingException", { $retryable: {} }));
      await expect(
        processEvent(trailEvent("UpdateTrail-disable-log-file-validation"), t.runtime),
      ).rejects.toThrow(/ThrottlingException/);
    });

    it("malformed UpdateTrail (no response settings) is invalid and changes nothing", async () => {
      t = await testRuntime();
      const event = trailEvent("UpdateTrail-disable-log-file-validation");
      event.detail.responseElements = { name: "org-audit-trail" };
      expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
      expect(t.cloudTrail.calls()).toHaveLength(0);
      expect(await statuses(t)).toEqual([]);
    });
  });
});
