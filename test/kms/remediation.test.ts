import { ConfigServiceClient, GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
} from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import cancel from "../../shared/remediations/cancel-kms-key-deletion";
import enableRotation from "../../shared/remediations/enable-kms-key-rotation";
import type { RemediationClients } from "../../shared/remediations/define";
import type { KmsKeyState } from "../../shared/resources/kms-key/state";
import { KEY, KEY_ARN, awsError, describeKey, symmetricCustomerKey } from "./support";

const kmsClient = new KMSClient({ region: "us-east-1" });
const configClient = new ConfigServiceClient({ region: "us-east-1" });
const kms = mockClient(kmsClient);
const config = mockClient(configClient);
const clients = { kms: () => kmsClient, configService: () => configClient } as unknown as RemediationClients;
afterEach(() => {
  kms.reset();
  config.reset();
});

const SCHEDULED_AT = "2025-03-21T18:09:47Z";
const scheduled: KmsKeyState = {
  keyId: KEY,
  keyArn: KEY_ARN,
  region: "us-east-1",
  deletion: { scheduledAt: SCHEDULED_AT, deletionDate: "2025-03-28T18:09:47.000Z", pendingWindowInDays: 7 },
};
const deletionViolation: Violation = { summary: "s", evidence: { keyArn: KEY_ARN, setting: "deletion" } };
const history = (...states: string[]) => ({
  configurationItems: states.map((keyState, i) => ({
    configurationItemCaptureTime: new Date(Date.parse("2025-03-20T10:00:00Z") - i * 86_400_000),
    configuration: JSON.stringify({ keyId: KEY, keyState, enabled: keyState === "Enabled" }),
  })),
});
const writes = () => [
  ...kms.commandCalls(CancelKeyDeletionCommand).map((c) => ["CancelKeyDeletion", c.args[0].input]),
  ...kms.commandCalls(EnableKeyCommand).map((c) => ["EnableKey", c.args[0].input]),
  ...kms.commandCalls(EnableKeyRotationCommand).map((c) => ["EnableKeyRotation", c.args[0].input]),
];
const runCancel = (dryRun = false, state = scheduled) =>
  cancel.apply({ state, violations: [deletionViolation], dryRun }, clients);

describe("cancel-kms-key-deletion", () => {
  it("dry-run plans, sends nothing, reads nothing", async () => {
    expect(await runCancel(true)).toEqual({
      result: "planned",
      action: `CancelKeyDeletion ${KEY_ARN}; then EnableKey only if AWS Config shows the key Enabled before the deletion was scheduled (CancelKeyDeletion leaves it Disabled)`,
      awsCalls: 0,
    });
    expect(kms.calls()).toHaveLength(0);
    expect(config.calls()).toHaveLength(0);
  });

  it("cancels, and re-enables the key AWS Config recorded Enabled just before the schedule", async () => {
    kms.on(CancelKeyDeletionCommand).resolves({ KeyId: KEY_ARN });
    kms.on(EnableKeyCommand).resolves({});
    config.on(GetResourceConfigHistoryCommand).resolves(history("Enabled"));
    const outcome = await runCancel();
    expect(writes()).toEqual([
      ["CancelKeyDeletion", { KeyId: KEY_ARN }],
      ["EnableKey", { KeyId: KEY_ARN }],
    ]);
    expect(config.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input)).toEqual([
      { resourceType: "AWS::KMS::Key", resourceId: KEY, laterTime: new Date(SCHEDULED_AT), limit: 5 },
    ]);
    expect(outcome).toEqual({
      result: "succeeded",
      action: `${KEY_ARN}: deletion cancelled; key re-enabled: AWS Config recorded it Enabled at 2025-03-20T10:00:00.000Z`,
      detail: expect.stringMatching(/^not undoable by design/),
      awsCalls: 3,
    });
    expect(outcome.undo).toBeUndefined();
  });

  it("skips an earlier pending-deletion item to find the state before it", async () => {
    kms.on(CancelKeyDeletionCommand).resolves({ KeyId: KEY_ARN });
    config.on(GetResourceConfigHistoryCommand).resolves(history("PendingDeletion", "Disabled", "Enabled"));
    const outcome = await runCancel();
    expect(writes()).toEqual([["CancelKeyDeletion", { KeyId: KEY_ARN }]]);
    expect(outcome.action).toBe(
      `${KEY_ARN}: deletion cancelled; key left Disabled: it was Disabled before the deletion was scheduled`,
    );
  });

  it.each([
    [
      "no history",
      () => config.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] }),
      /no record/,
    ],
    [
      "Config not reachable",
      () => config.on(GetResourceConfigHistoryCommand).rejects(awsError("AccessDeniedException")),
      /could not be read \(AccessDeniedException\)/,
    ],
    [
      "an item without a key state",
      () =>
        config
          .on(GetResourceConfigHistoryCommand)
          .resolves({ configurationItems: [{ configuration: "{}" }] }),
      /does not say its state/,
    ],
  ])(
    "when the earlier state is unknown (%s) the key is left Disabled, and it says so",
    async (_, setUp, why) => {
      kms.on(CancelKeyDeletionCommand).resolves({ KeyId: KEY_ARN });
      setUp();
      const outcome = await runCancel();
      expect(outcome.result).toBe("succeeded");
      expect(outcome.action).toMatch(why);
      expect(outcome.action).toMatch(/key left Disabled: .*run EnableKey if it should be in use/);
      expect(writes()).toEqual([["CancelKeyDeletion", { KeyId: KEY_ARN }]]);
    },
  );

  it("a failed EnableKey still counts the deletion as cancelled, and says the key is disabled", async () => {
    kms.on(CancelKeyDeletionCommand).resolves({ KeyId: KEY_ARN });
    kms.on(EnableKeyCommand).rejects(awsError("AccessDeniedException"));
    config.on(GetResourceConfigHistoryCommand).resolves(history("Enabled"));
    const outcome = await runCancel();
    expect(outcome).toMatchObject({
      result: "succeeded",
      action: `${KEY_ARN}: deletion cancelled; key left Disabled: EnableKey failed (AccessDeniedException); run it yourself`,
    });
  });

  it("a deletion someone already cancelled is already gone (KMSInvalidStateException, key Disabled)", async () => {
    kms.on(CancelKeyDeletionCommand).rejects(awsError("KMSInvalidStateException"));
    kms.on(DescribeKeyCommand).resolves(describeKey({ KeyState: "Disabled", Enabled: false }));
    expect(await runCancel()).toEqual({
      result: "already-gone",
      action: `key ${KEY_ARN} is no longer scheduled for deletion (it is Disabled)`,
      awsCalls: 2,
    });
    expect(config.calls()).toHaveLength(0);
  });

  it("KMSInvalidStateException while still pending deletion is a failure, not a success", async () => {
    kms.on(CancelKeyDeletionCommand).rejects(awsError("KMSInvalidStateException"));
    kms.on(DescribeKeyCommand).resolves(describeKey({ KeyState: "PendingDeletion", Enabled: false }));
    await expect(runCancel()).rejects.toThrow(/KMSInvalidStateException/);
  });

  it("a key that no longer exists can't be saved: skipped, never 'already-gone'", async () => {
    kms.on(CancelKeyDeletionCommand).rejects(awsError("NotFoundException"));
    expect(await runCancel()).toMatchObject({
      result: "skipped",
      action: expect.stringMatching(/no longer exists/),
    });
  });

  it("a throttled CancelKeyDeletion fails (the event is retried)", async () => {
    kms.on(CancelKeyDeletionCommand).rejects(awsError("ThrottlingException", { $retryable: {} }));
    await expect(runCancel()).rejects.toThrow(/ThrottlingException/);
  });

  it("a key of another Region or account is not touched", async () => {
    const west = { ...scheduled, region: "us-west-2", keyArn: KEY_ARN.replace("us-east-1", "us-west-2") };
    expect(await runCancel(false, west)).toMatchObject({
      result: "skipped",
      action: expect.stringMatching(/us-west-2/),
    });
    const foreign = { ...scheduled, outOfScope: "key is outside the call's account" };
    expect(await runCancel(false, foreign)).toMatchObject({ result: "skipped" });
    expect(kms.calls()).toHaveLength(0);
  });

  it("undo is refused by design", async () => {
    await expect(cancel.undo({ remediationId: cancel.id, params: {} }, clients)).rejects.toThrow(
      /not undoable by design/,
    );
    expect(cancel).toMatchObject({
      iamActions: [
        "kms:CancelKeyDeletion",
        "kms:EnableKey",
        "kms:DescribeKey",
        "config:GetResourceConfigHistory",
      ],
      undoIamActions: [],
    });
  });
});

describe("enable-kms-key-rotation", () => {
  const off: KmsKeyState = {
    keyId: KEY,
    keyArn: KEY_ARN,
    region: "us-east-1",
    key: symmetricCustomerKey,
    rotation: { enabled: false },
  };
  const rotationViolation: Violation = { summary: "s", evidence: { keyArn: KEY_ARN, setting: "rotation" } };
  const run = (dryRun = false, state = off) =>
    enableRotation.apply({ state, violations: [rotationViolation], dryRun }, clients);

  it("reads the rotation status first and keeps the period KMS reports", async () => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false, RotationPeriodInDays: 180 });
    kms.on(EnableKeyRotationCommand).resolves({});
    const outcome = await run();
    expect(kms.commandCalls(GetKeyRotationStatusCommand).map((c) => c.args[0].input)).toEqual([
      { KeyId: KEY_ARN },
    ]);
    expect(writes()).toEqual([["EnableKeyRotation", { KeyId: KEY_ARN, RotationPeriodInDays: 180 }]]);
    expect(outcome).toEqual({
      result: "succeeded",
      action: `${KEY_ARN}: automatic rotation on (every 180 days, as before)`,
      detail: expect.stringMatching(/^not undoable by design/),
      awsCalls: 2,
    });
  });

  it("without a reported period, KMS's default applies (no period sent)", async () => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    kms.on(EnableKeyRotationCommand).resolves({});
    expect((await run()).action).toMatch(/KMS's default period, 365 days/);
    expect(writes()).toEqual([["EnableKeyRotation", { KeyId: KEY_ARN }]]);
  });

  it("rotation already back on: nothing sent, already gone", async () => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 365 });
    expect(await run()).toMatchObject({ result: "already-gone", awsCalls: 1 });
    expect(writes()).toEqual([]);
  });

  it("dry-run plans and sends nothing", async () => {
    expect(await run(true)).toEqual({
      result: "planned",
      action: `EnableKeyRotation ${KEY_ARN} (keeping the rotation period GetKeyRotationStatus reports)`,
      awsCalls: 0,
    });
    expect(kms.calls()).toHaveLength(0);
  });

  it("a disabled key is not touched: KMS changes rotation only on enabled keys", async () => {
    const disabled = { ...off, key: { ...symmetricCustomerKey, keyState: "Disabled" } };
    expect(await run(false, disabled)).toMatchObject({
      result: "skipped",
      action: expect.stringMatching(/is Disabled/),
    });
    expect(kms.calls()).toHaveLength(0);
  });

  it.each([
    "DisabledException",
    "KMSInvalidStateException",
    "NotFoundException",
    "UnsupportedOperationException",
  ])("KMS refusing (%s) is reported, not retried", async (name) => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    kms.on(EnableKeyRotationCommand).rejects(awsError(name));
    expect(await run()).toMatchObject({
      result: "skipped",
      action: expect.stringContaining(name),
      awsCalls: 2,
    });
  });

  it("a throttled call fails (the event is retried)", async () => {
    kms.on(GetKeyRotationStatusCommand).rejects(awsError("ThrottlingException", { $retryable: {} }));
    await expect(run()).rejects.toThrow(/ThrottlingException/);
  });

  it("undo is refused by design; needs only the write and the status read", async () => {
    await expect(
      enableRotation.undo({ remediationId: enableRotation.id, params: {} }, clients),
    ).rejects.toThrow(/not undoable by design/);
    expect(enableRotation.iamActions).toEqual(["kms:EnableKeyRotation", "kms:GetKeyRotationStatus"]);
  });
});
