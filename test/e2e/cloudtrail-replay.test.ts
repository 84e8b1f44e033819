import {
  AddTagsCommand,
  CloudTrailClient,
  CreateTrailCommand,
  DeleteTrailCommand,
  StartLoggingCommand,
  StopLoggingCommand,
  UpdateTrailCommand,
  type UpdateTrailCommandInput,
} from "@aws-sdk/client-cloudtrail";
import { CreateKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SnsAlertPayload } from "../../shared/notifiers/sns";
import { startCliHarness, type CliHarness, type FindingJson } from "../support/cli-harness";
import type { CloudTrailDouble } from "../support/local-aws/cloudtrail";
import type { ConfigServiceDouble } from "../support/local-aws/config-service";

/**
 * `vigil replay` in a child process against the local endpoint's CloudTrail: trails are created
 * and weakened through the SDK the way an intruder would, then the matching CloudTrail event
 * (a sample from events/cloudtrail, rewritten for the trail) is replayed with `--mode auto`.
 */

const TIMEOUT = 60_000;
const ACCOUNT = "111122223333";
const KEY_ARN = `arn:aws:kms:us-east-1:${ACCOUNT}:key/2b7e4c91-5d3a-4f86-9a1c-7e0b3d5f8a24`;
/** Who the samples say did it. */
const ACTOR = {
  type: "IAMUser",
  arn: `arn:aws:iam::${ACCOUNT}:user/build-bot`,
  sourceIp: "203.0.113.201",
  userAgent: expect.stringMatching(/^aws-cli\/2\.22\.35 .*md\/command#cloudtrail\./),
};

type Finding = Omit<FindingJson, "actor"> & { actor: Record<string, unknown> | null };

interface TrailEvent {
  detail: {
    requestParameters: Record<string, unknown>;
    responseElements: Record<string, unknown> | null;
  };
}

const arnOf = (name: string) => `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/${name}`;
/** Vigil's CloudTrail requests since `from` (not the findings table nor the alert topic). */
const cloudTrailCalls = (h: CliHarness, from: number) =>
  h.aws.requests
    .slice(from)
    .filter((r) => r.service === "cloudtrail")
    .map((r) => [r.action, r.params]);
/** The JSON part of an SNS alert: what follows the message's last blank line. */
const payloadOf = (message: string) =>
  JSON.parse(message.slice(message.lastIndexOf("\n\n") + 2)) as SnsAlertPayload;

describe("CloudTrail tampering through the CLI against the local endpoint", () => {
  let h: CliHarness;
  let cloudTrail: CloudTrailClient;
  let double: CloudTrailDouble;

  beforeAll(async () => {
    h = await startCliHarness();
    cloudTrail = new CloudTrailClient(h.clientConfig);
    double = h.aws.double<CloudTrailDouble>("cloudtrail");
  }, TIMEOUT);
  afterAll(async () => {
    cloudTrail.destroy();
    await h.close();
  });

  /** A logging, validated, encrypted multi-Region trail, as an account's audit trail is set up. */
  async function newTrail(name: string): Promise<void> {
    await cloudTrail.send(
      new CreateTrailCommand({
        Name: name,
        S3BucketName: `${name}-logs-${ACCOUNT}`,
        IsMultiRegionTrail: true,
        EnableLogFileValidation: true,
        KmsKeyId: KEY_ARN,
      }),
    );
    await cloudTrail.send(new StartLoggingCommand({ Name: name }));
  }

  /** The intruder's UpdateTrail, and the sample event rewritten with its request and AWS's answer. */
  async function weaken(sample: string, change: UpdateTrailCommandInput): Promise<string> {
    const out = await cloudTrail.send(new UpdateTrailCommand(change));
    return h.writeEvent<TrailEvent>(`cloudtrail/${sample}.json`, (event) => {
      event.detail.requestParameters = {
        name: change.Name,
        ...(change.EnableLogFileValidation !== undefined
          ? { enableLogFileValidation: change.EnableLogFileValidation }
          : {}),
        ...(change.IsMultiRegionTrail !== undefined ? { isMultiRegionTrail: change.IsMultiRegionTrail } : {}),
        ...(change.IncludeGlobalServiceEvents !== undefined
          ? { includeGlobalServiceEvents: change.IncludeGlobalServiceEvents }
          : {}),
      };
      event.detail.responseElements = {
        name: out.Name,
        s3BucketName: out.S3BucketName,
        includeGlobalServiceEvents: out.IncludeGlobalServiceEvents,
        isMultiRegionTrail: out.IsMultiRegionTrail,
        trailARN: out.TrailARN,
        logFileValidationEnabled: out.LogFileValidationEnabled,
        ...(out.KmsKeyId ? { kmsKeyId: out.KmsKeyId } : {}),
        isOrganizationTrail: out.IsOrganizationTrail,
      };
    });
  }

  /** A sample whose request names the trail (StopLogging by ARN, DeleteTrail by name, as the samples do). */
  const forTrail = (sample: string, name: string) =>
    h.writeEvent<TrailEvent>(`cloudtrail/${sample}.json`, (event) => {
      const byArn = String(event.detail.requestParameters.name).startsWith("arn:");
      event.detail.requestParameters.name = byArn ? arnOf(name) : name;
    });

  async function finding(checkId: string, name: string): Promise<Finding | undefined> {
    const all = (await h.findings()) as unknown as Finding[];
    return all.find((f) => f.checkId === checkId && f.resourceId === arnOf(name));
  }

  /** The alerts about one trail, JSON part parsed. */
  const alertsFor = (name: string) =>
    h
      .alerts()
      .map((m) => payloadOf(m.Message))
      .filter((p) => p.resource.id === arnOf(name));

  it(
    "StopLogging --mode auto restarts logging on exactly that trail; the finding names the actor; undo refuses",
    async () => {
      await newTrail("org-audit-trail");
      await newTrail("bystander-trail");
      await cloudTrail.send(new StopLoggingCommand({ Name: arnOf("org-audit-trail") }));
      await cloudTrail.send(new StopLoggingCommand({ Name: "bystander-trail" }));

      const file = await forTrail("StopLogging", "org-audit-trail");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(double.trail("org-audit-trail")?.isLogging).toBe(true);
      expect(double.trail("bystander-trail")?.isLogging).toBe(false);
      // The tag read (exemptions), then exactly one write: StartLogging on that trail's ARN.
      expect(cloudTrailCalls(h, before)).toEqual([
        ["ListTags", { ResourceIdList: arnOf("org-audit-trail") }],
        ["StartLogging", { Name: arnOf("org-audit-trail") }],
      ]);
      const stopped = await finding("VIGIL.CLOUDTRAIL.LOGGING_STOPPED", "org-audit-trail");
      expect(stopped).toMatchObject({
        status: "REMEDIATED",
        severity: "CRITICAL",
        actor: ACTOR,
        remediation: {
          mode: "auto",
          result: "succeeded",
          action: `${arnOf("org-audit-trail")}: logging restarted`,
        },
      });
      const [alert] = alertsFor("org-audit-trail");
      expect(alert).toMatchObject({
        tampering: true,
        actor: { arn: ACTOR.arn, sourceIp: ACTOR.sourceIp },
        findings: [{ checkId: "VIGIL.CLOUDTRAIL.LOGGING_STOPPED", status: "REMEDIATED" }],
      });

      // Turning logging back off is not something Vigil does for anyone: no undo, by design.
      const beforeUndo = h.aws.requests.length;
      const undo = await h.vigil(["undo", stopped?.id ?? ""]);
      expect(undo.code).not.toBe(0);
      expect(undo.stderr).toContain("by a remediation without undo");
      expect(undo.stderr).toContain("not undoable by design");
      expect(cloudTrailCalls(h, beforeUndo)).toEqual([]);
      expect(double.trail("org-audit-trail")?.isLogging).toBe(true);
      expect((await finding("VIGIL.CLOUDTRAIL.LOGGING_STOPPED", "org-audit-trail"))?.status).toBe(
        "REMEDIATED",
      );
    },
    TIMEOUT,
  );

  it(
    "UpdateTrail turning log file validation off --mode auto: validation is back on, nothing else changes",
    async () => {
      await newTrail("validated-trail");
      const file = await weaken("UpdateTrail-disable-log-file-validation", {
        Name: "validated-trail",
        EnableLogFileValidation: false,
      });
      expect(double.trail("validated-trail")?.logFileValidationEnabled).toBe(false);

      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(cloudTrailCalls(h, before)).toEqual([
        ["ListTags", { ResourceIdList: arnOf("validated-trail") }],
        ["UpdateTrail", { Name: arnOf("validated-trail"), EnableLogFileValidation: "true" }],
      ]);
      expect(double.trail("validated-trail")).toMatchObject({
        logFileValidationEnabled: true,
        isLogging: true,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        kmsKeyId: KEY_ARN,
      });
      expect(await finding("CloudTrail.4", "validated-trail")).toMatchObject({
        status: "REMEDIATED",
        severity: "LOW",
        actor: ACTOR,
        remediation: { mode: "auto", result: "succeeded" },
      });
      // The key is still there: no CloudTrail.2 finding.
      expect(await finding("CloudTrail.2", "validated-trail")).toBeUndefined();
      expect(alertsFor("validated-trail")).toMatchObject([{ tampering: true }]);
    },
    TIMEOUT,
  );

  it(
    "UpdateTrail making the trail single-Region --mode auto: multi-Region is set back",
    async () => {
      await newTrail("regional-trail");
      const file = await weaken("UpdateTrail-single-region", {
        Name: arnOf("regional-trail"),
        IsMultiRegionTrail: false,
      });
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(cloudTrailCalls(h, before)).toEqual([
        ["ListTags", { ResourceIdList: arnOf("regional-trail") }],
        ["UpdateTrail", { Name: arnOf("regional-trail"), IsMultiRegionTrail: "true" }],
      ]);
      expect(double.trail("regional-trail")?.isMultiRegionTrail).toBe(true);
      expect(await finding("VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED", "regional-trail")).toMatchObject({
        status: "REMEDIATED",
        severity: "HIGH",
        remediation: { mode: "auto", result: "succeeded" },
      });
    },
    TIMEOUT,
  );

  it(
    "single-Region and no global service events: no write (CloudTrail would refuse multi-Region alone), finding stays open",
    async () => {
      await newTrail("global-trail");
      const file = await weaken("UpdateTrail-single-region", {
        Name: "global-trail",
        IsMultiRegionTrail: false,
        IncludeGlobalServiceEvents: false,
      });
      // What Vigil must not send: AWS rejects multi-Region without global service events.
      await expect(
        cloudTrail.send(new UpdateTrailCommand({ Name: "global-trail", IsMultiRegionTrail: true })),
      ).rejects.toMatchObject({ name: "InvalidParameterCombinationException" });

      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(cloudTrailCalls(h, before)).toEqual([["ListTags", { ResourceIdList: arnOf("global-trail") }]]);
      expect(double.trail("global-trail")).toMatchObject({
        isMultiRegionTrail: false,
        includeGlobalServiceEvents: false,
      });
      expect(await finding("VIGIL.CLOUDTRAIL.MULTI_REGION_DISABLED", "global-trail")).toMatchObject({
        status: "OPEN",
        remediation: {
          mode: "auto",
          result: "skipped",
          detail: expect.stringContaining("no longer includes global service events"),
        },
      });
    },
    TIMEOUT,
  );

  /** The intruder's UpdateTrail removing the key, and the sample event rewritten for the trail. */
  async function removeKey(name: string): Promise<string> {
    const out = await cloudTrail.send(new UpdateTrailCommand({ Name: name, KmsKeyId: "" }));
    expect(out.KmsKeyId).toBeUndefined();
    return h.writeEvent<TrailEvent>("cloudtrail/UpdateTrail-remove-kms-key.json", (event) => {
      event.detail.requestParameters = { name, kmsKeyId: "" };
      event.detail.responseElements = {
        name: out.Name,
        s3BucketName: out.S3BucketName,
        includeGlobalServiceEvents: out.IncludeGlobalServiceEvents,
        isMultiRegionTrail: out.IsMultiRegionTrail,
        trailARN: out.TrailARN,
        logFileValidationEnabled: out.LogFileValidationEnabled,
        isOrganizationTrail: out.IsOrganizationTrail,
      };
    });
  }

  /** AWS Config's record of the trail with its key, before the sample's call (2025-03-16T02:12:30Z). */
  function recordedWithKey(name: string, keyArn: string): void {
    h.aws.double<ConfigServiceDouble>("config").seedHistory({
      resourceType: "AWS::CloudTrail::Trail",
      resourceId: name,
      configurationItemCaptureTime: Date.parse("2025-03-10T08:00:00Z") / 1000,
      configurationItemStatus: "OK",
      configuration: JSON.stringify({ name, trailARN: arnOf(name), kmsKeyId: keyArn }),
    });
  }

  it(
    "UpdateTrail removing the KMS key --mode auto: the key AWS Config recorded is put back; undo refuses",
    async () => {
      const kms = new KMSClient(h.clientConfig);
      const key =
        (await kms.send(new CreateKeyCommand({ Description: "trail logs" }))).KeyMetadata?.Arn ?? "";
      await cloudTrail.send(
        new CreateTrailCommand({
          Name: "encrypted-trail",
          S3BucketName: "encrypted-trail-logs",
          EnableLogFileValidation: true,
          KmsKeyId: key,
        }),
      );
      recordedWithKey("encrypted-trail", key);
      const file = await removeKey("encrypted-trail");

      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(cloudTrailCalls(h, before)).toEqual([
        ["ListTags", { ResourceIdList: arnOf("encrypted-trail") }],
        ["GetTrail", { Name: arnOf("encrypted-trail") }],
        ["UpdateTrail", { Name: arnOf("encrypted-trail"), KmsKeyId: key }],
      ]);
      expect(
        h.aws.requests
          .slice(before)
          .filter((r) => r.service === "kms" || r.service === "config")
          .map((r) => r.action),
      ).toEqual(["GetResourceConfigHistory", "DescribeKey"]);
      expect(double.trail("encrypted-trail")?.kmsKeyId).toBe(key);
      const fixed = await finding("CloudTrail.2", "encrypted-trail");
      expect(fixed).toMatchObject({
        status: "REMEDIATED",
        severity: "MEDIUM",
        actor: ACTOR,
        remediation: {
          remediationId: "restore-cloudtrail-kms-key",
          mode: "auto",
          result: "succeeded",
          action: `${arnOf("encrypted-trail")}: KMS key ${key} restored`,
        },
      });

      const undo = await h.vigil(["undo", fixed?.id ?? ""]);
      expect(undo.code).not.toBe(0);
      expect(undo.stderr).toContain("not undoable by design");
      expect(double.trail("encrypted-trail")?.kmsKeyId).toBe(key);
      kms.destroy();
    },
    TIMEOUT,
  );

  it(
    "UpdateTrail removing a key now pending deletion --mode auto: not put back, finding stays OPEN with the reason",
    async () => {
      const kms = new KMSClient(h.clientConfig);
      const key =
        (await kms.send(new CreateKeyCommand({ Description: "old trail key" }))).KeyMetadata?.Arn ?? "";
      await cloudTrail.send(
        new CreateTrailCommand({
          Name: "doomed-key-trail",
          S3BucketName: "doomed-key-trail-logs",
          EnableLogFileValidation: true,
          KmsKeyId: key,
        }),
      );
      recordedWithKey("doomed-key-trail", key);
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key, PendingWindowInDays: 7 }));
      const file = await removeKey("doomed-key-trail");

      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(cloudTrailCalls(h, before)).toEqual([
        ["ListTags", { ResourceIdList: arnOf("doomed-key-trail") }],
      ]);
      expect(double.trail("doomed-key-trail")?.kmsKeyId).toBeUndefined();
      expect(await finding("CloudTrail.2", "doomed-key-trail")).toMatchObject({
        status: "OPEN",
        remediation: {
          result: "skipped",
          action: expect.stringContaining(`previous key not restored: key ${key} is PendingDeletion`),
        },
      });
      kms.destroy();
    },
    TIMEOUT,
  );

  it(
    "DeleteTrail --mode auto: alert only (who and from where), not a single CloudTrail request",
    async () => {
      await newTrail("dev-sandbox-trail");
      await cloudTrail.send(new DeleteTrailCommand({ Name: "dev-sandbox-trail" }));
      expect(double.trail("dev-sandbox-trail")).toBeUndefined();

      const file = await forTrail("DeleteTrail", "dev-sandbox-trail");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(cloudTrailCalls(h, before)).toEqual([]);
      expect(double.trail("dev-sandbox-trail")).toBeUndefined();
      expect(await finding("VIGIL.CLOUDTRAIL.DELETED", "dev-sandbox-trail")).toMatchObject({
        status: "OPEN",
        severity: "CRITICAL",
        actor: ACTOR,
        remediation: null,
      });
      expect(alertsFor("dev-sandbox-trail")).toMatchObject([
        { tampering: true, actor: { arn: ACTOR.arn, sourceIp: ACTOR.sourceIp, userAgent: ACTOR.userAgent } },
      ]);
    },
    TIMEOUT,
  );

  it(
    "a trail tagged vigil:exempt: StopLogging is recorded SUPPRESSED, logging stays off, no write",
    async () => {
      await newTrail("exempt-trail");
      await cloudTrail.send(
        new AddTagsCommand({
          ResourceId: arnOf("exempt-trail"),
          TagsList: [
            { Key: "vigil:exempt", Value: "VIGIL.CLOUDTRAIL.LOGGING_STOPPED" },
            { Key: "vigil:exempt-reason", Value: "cost review" },
          ],
        }),
      );
      await cloudTrail.send(new StopLoggingCommand({ Name: "exempt-trail" }));

      const file = await forTrail("StopLogging", "exempt-trail");
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(cloudTrailCalls(h, before)).toEqual([["ListTags", { ResourceIdList: arnOf("exempt-trail") }]]);
      expect(double.trail("exempt-trail")?.isLogging).toBe(false);
      expect(await finding("VIGIL.CLOUDTRAIL.LOGGING_STOPPED", "exempt-trail")).toMatchObject({
        status: "SUPPRESSED",
        remediation: null,
        suppression: { source: "tag", reason: "cost review" },
      });
    },
    TIMEOUT,
  );
});
