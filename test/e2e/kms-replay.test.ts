import {
  CreateKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyRotationCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCliHarness, type CliHarness } from "../support/cli-harness";
import type { KmsDouble } from "../support/local-aws/kms";

/**
 * `vigil replay` in a child process against the local endpoint's KMS: keys are created and changed
 * through the SDK the way a user would, then the matching CloudTrail event is replayed.
 */

const TIMEOUT = 60_000;

interface KeyEvent {
  detail: {
    requestParameters: Record<string, unknown>;
    responseElements: Record<string, unknown> | null;
    resources?: { ARN: string }[];
  };
}

describe("KMS remediations through the CLI against the local endpoint", () => {
  let h: CliHarness;
  let kms: KMSClient;
  let double: KmsDouble;

  beforeAll(async () => {
    h = await startCliHarness();
    kms = new KMSClient(h.clientConfig);
    double = h.aws.double<KmsDouble>("kms");
  }, TIMEOUT);
  afterAll(async () => {
    kms.destroy();
    await h.close();
  });

  async function newKey(): Promise<{ keyId: string; arn: string }> {
    const meta = (await kms.send(new CreateKeyCommand({ Description: "e2e" }))).KeyMetadata;
    return { keyId: meta?.KeyId ?? "", arn: meta?.Arn ?? "" };
  }

  /** A sample event rewritten for this key (request, answer and resources). */
  function forKey(sample: string, key: { keyId: string; arn: string }, response?: Record<string, unknown>) {
    return h.writeEvent<KeyEvent>(sample, (event) => {
      event.detail.requestParameters = { ...event.detail.requestParameters, keyId: key.arn };
      if (response) event.detail.responseElements = response;
      event.detail.resources = [{ ...event.detail.resources?.[0], ARN: key.arn }];
    });
  }

  it(
    "DisableKeyRotation --mode auto turns rotation back on for exactly that key",
    async () => {
      const key = await newKey();
      const bystander = await newKey();
      await kms.send(new EnableKeyRotationCommand({ KeyId: key.keyId, RotationPeriodInDays: 180 }));
      await kms.send(new DisableKeyRotationCommand({ KeyId: key.keyId }));
      expect(double.key(key.keyId)?.rotationEnabled).toBe(false);

      const file = await forKey("kms/DisableKeyRotation.json", key);
      const before = h.aws.requests.length;
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(double.key(key.keyId)?.rotationEnabled).toBe(true);
      expect(double.key(bystander.keyId)?.rotationEnabled).toBe(false);
      // Vigil's own requests: read the key, its rotation and its tags, then one write on that key.
      const vigils = h.aws.requests.slice(before).filter((r) => r.service === "kms");
      expect(vigils.map((r) => [r.action, r.params.KeyId])).toEqual([
        ["DescribeKey", key.arn],
        ["GetKeyRotationStatus", key.arn],
        ["ListResourceTags", key.arn],
        ["GetKeyRotationStatus", key.arn],
        ["EnableKeyRotation", key.arn],
      ]);
      const finding = (await h.findings()).find((f) => f.checkId === "KMS.4" && f.resourceId === key.keyId);
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        severity: "MEDIUM",
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect(h.alerts().length).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    "ScheduleKeyDeletion is dry-run by default: the finding is open, nothing is sent",
    async () => {
      const key = await newKey();
      const scheduled = await kms.send(
        new ScheduleKeyDeletionCommand({ KeyId: key.keyId, PendingWindowInDays: 7 }),
      );
      const file = await forKey("kms/ScheduleKeyDeletion.json", key, {
        keyId: key.arn,
        deletionDate: "Mar 28, 2025, 6:09:47 PM",
        keyState: scheduled.KeyState,
        pendingWindowInDays: 7,
      });
      const result = await h.vigil(["replay", file]);
      expect(result.code, result.stderr).toBe(0);

      expect(h.aws.calls("kms", "CancelKeyDeletion")).toEqual([]);
      expect(double.key(key.keyId)?.keyState).toBe("PendingDeletion");
      const finding = (await h.findings()).find((f) => f.checkId === "KMS.3" && f.resourceId === key.keyId);
      expect(finding).toMatchObject({
        status: "OPEN",
        severity: "CRITICAL",
        remediation: { mode: "dry-run", result: "planned" },
      });
    },
    TIMEOUT,
  );

  it(
    "ScheduleKeyDeletion --mode auto cancels the deletion; the key stays Disabled (no Config history)",
    async () => {
      const key = await newKey();
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId, PendingWindowInDays: 7 }));
      const file = await forKey("kms/ScheduleKeyDeletion.json", key, {
        keyId: key.arn,
        deletionDate: "Mar 28, 2025, 6:09:47 PM",
        keyState: "PendingDeletion",
        pendingWindowInDays: 7,
      });
      const result = await h.vigil(["replay", file, "--mode", "auto"]);
      expect(result.code, result.stderr).toBe(0);

      expect(h.aws.calls("kms", "CancelKeyDeletion").map((r) => r.params.KeyId)).toEqual([key.arn]);
      expect(h.aws.calls("kms", "EnableKey")).toEqual([]);
      expect(double.key(key.keyId)?.keyState).toBe("Disabled");
      const finding = (await h.findings()).find((f) => f.checkId === "KMS.3" && f.resourceId === key.keyId);
      expect(finding).toMatchObject({
        status: "REMEDIATED",
        remediation: { mode: "auto", result: "succeeded" },
      });
      expect(finding?.remediation?.action).toMatch(/deletion cancelled; key left Disabled/);
    },
    TIMEOUT,
  );
});
