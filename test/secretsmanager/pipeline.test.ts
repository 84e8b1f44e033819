import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
} from "@aws-sdk/client-secrets-manager";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ARN, ROTATION_LAMBDA, awsError, idFor, secretEvent, stubSecret } from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.status] as const).sort();

describe("Secrets Manager checks through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => {
    // Vigil reads metadata only: never a secret's value.
    expect(t.secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
    await t.close();
  });

  it("non-compliant: CreateSecret, still not rotating when read live, opens SecretsManager.1 and alerts", async () => {
    t = await testRuntime();
    stubSecret(t, {
      RotationEnabled: undefined,
      RotationLambdaARN: undefined,
      RotationRules: undefined,
      LastRotatedDate: undefined,
      NextRotationDate: undefined,
    });
    const report = await processEvent(secretEvent("create-secret"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(t.secretsManager.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: ARN },
    ]);
    // DescribeSecret carried the tags: the one read served both.
    expect(t.secretsManager.calls()).toHaveLength(1);
    expect(await statuses(t)).toEqual([["SecretsManager.1", "OPEN"]]);
    expect(await t.runtime.store.get(idFor("SecretsManager.1"))).toMatchObject({
      severity: "MEDIUM",
      controls: ["FSBP SecretsManager.1"],
      resource: { type: "AWS::SecretsManager::Secret", id: ARN, name: "orders/prod/db-credentials" },
      evidence: [{ secretName: "orders/prod/db-credentials", rotationEnabled: false }],
      actor: { sessionIssuerArn: "arn:aws:iam::111122223333:role/ci-deploy" },
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: CreateSecret read after the RotateSecret that followed it opens nothing (no noisy alert)", async () => {
    t = await testRuntime();
    stubSecret(t);
    await processEvent(secretEvent("create-secret"), t.runtime);
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
  });

  it("read before rotation was set up: opened, then RotateSecret's live read resolves it", async () => {
    t = await testRuntime();
    stubSecret(t, {
      RotationEnabled: false,
      RotationLambdaARN: undefined,
      RotationRules: undefined,
      LastRotatedDate: undefined,
      NextRotationDate: undefined,
    });
    await processEvent(secretEvent("create-secret"), t.runtime);
    t.secretsManager.reset();
    stubSecret(t);
    await processEvent(secretEvent("rotate-secret"), t.runtime);
    const finding = await t.runtime.store.get(idFor("SecretsManager.1"));
    expect(finding?.history.map((h) => h.to)).toEqual(["OPEN", "RESOLVED"]);
  });

  it("CancelRotateSecret opens SecretsManager.1, naming the function rotation was cancelled on", async () => {
    t = await testRuntime();
    stubSecret(t, { RotationEnabled: false, NextRotationDate: undefined });
    await processEvent(secretEvent("cancel-rotate-secret"), t.runtime);
    expect(await statuses(t)).toEqual([["SecretsManager.1", "OPEN"]]);
    expect((await t.runtime.store.get(idFor("SecretsManager.1")))?.evidence).toEqual([
      {
        secretName: "orders/prod/db-credentials",
        rotationEnabled: false,
        rotationLambdaArn: ROTATION_LAMBDA,
      },
    ]);
  });

  it("RotationFailed (a service event) opens SecretsManager.2; RotationSucceeded resolves it", async () => {
    t = await testRuntime();
    stubSecret(t, { LastRotatedDate: undefined });
    const failed = await processEvent(secretEvent("rotation-failed"), t.runtime);
    expect(failed.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([["SecretsManager.2", "OPEN"]]);
    const finding = await t.runtime.store.get(idFor("SecretsManager.2"));
    expect(finding).toMatchObject({
      summary: "rotation of secret orders/prod/db-credentials failed in the setSecret step",
      evidence: [
        {
          secretName: "orders/prod/db-credentials",
          failedAt: "2025-03-20T07:45:11Z",
          failedStep: "setSecret",
          rotationLambdaArn: ROTATION_LAMBDA,
        },
      ],
      actor: { accountId: "111122223333", invokedBy: "secretsmanager.amazonaws.com" },
    });

    t.secretsManager.reset();
    stubSecret(t, { LastRotatedDate: new Date("2025-03-21T02:17:40Z") });
    await processEvent(secretEvent("rotation-succeeded"), t.runtime);
    expect(await statuses(t)).toEqual([["SecretsManager.2", "RESOLVED"]]);
    expect(t.notifier.alerts).toHaveLength(2);
  });

  it("a RotationFailed delivered after a later success changes nothing", async () => {
    t = await testRuntime();
    stubSecret(t, { LastRotatedDate: new Date("2025-03-21T02:17:40Z") });
    await processEvent(secretEvent("rotation-failed"), t.runtime);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("a failed rotation that left AWSPENDING behind keeps SecretsManager.2 open on a later whole view", async () => {
    t = await testRuntime();
    const pending = "2d7f1c9e-4a6b-4e3d-9f8c-1b0a2e3d4c5f";
    stubSecret(t, {
      LastRotatedDate: undefined,
      VersionIdsToStages: {
        "186c0223-6d4d-4067-beb4-050e945cf95a": ["AWSCURRENT"],
        [pending]: ["AWSPENDING"],
      },
    });
    t.secretsManager.on(ListSecretVersionIdsCommand).resolves({
      Versions: [
        {
          VersionId: pending,
          VersionStages: ["AWSPENDING"],
          CreatedDate: new Date(Date.now() - 3 * 3_600_000),
        },
      ],
    });
    await processEvent(secretEvent("rotation-failed"), t.runtime);
    await processEvent(secretEvent("config-item-secret"), t.runtime);
    const finding = await t.runtime.store.get(idFor("SecretsManager.2"));
    expect(finding?.status).toBe("OPEN");
    expect(finding?.summary).toMatch(/never finished/);
  });

  it("a Config item is read live; an old, unread, never-rotated secret opens .1, .3 and .4 (.3/.4 from the observation's time)", async () => {
    t = await testRuntime();
    stubSecret(t, {
      RotationEnabled: false,
      RotationLambdaARN: undefined,
      RotationRules: undefined,
      NextRotationDate: undefined,
      LastRotatedDate: undefined,
      CreatedDate: new Date("2024-09-01T10:00:00Z"),
      LastAccessedDate: new Date("2024-11-01T00:00:00Z"),
    });
    await processEvent(secretEvent("config-item-secret"), t.runtime);
    expect(t.secretsManager.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: ARN },
    ]);
    expect(await statuses(t)).toEqual([
      ["SecretsManager.1", "OPEN"],
      ["SecretsManager.3", "OPEN"],
      ["SecretsManager.4", "OPEN"],
    ]);
    expect((await t.runtime.store.get(idFor("SecretsManager.3")))?.evidence).toEqual([
      {
        secretName: "orders/prod/db-credentials",
        lastAccessedDate: "2024-11-01T00:00:00.000Z",
        daysUnused: 139,
        unusedForDays: 90,
      },
    ]);
    expect((await t.runtime.store.get(idFor("SecretsManager.4")))?.summary).toBe(
      "secret orders/prod/db-credentials has never been rotated since it was created 199 days ago (limit 90 days)",
    );
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.findings).toHaveLength(3);
  });

  it("DeleteSecret resolves every finding without an AWS call; a deleted Config item too", async () => {
    t = await testRuntime();
    stubSecret(t, { RotationEnabled: false, NextRotationDate: undefined });
    await processEvent(secretEvent("cancel-rotate-secret"), t.runtime);
    t.secretsManager.reset();
    const report = await processEvent(secretEvent("delete-secret"), t.runtime);
    expect(report.resources[0]?.awsCalls).toBe(0);
    expect(t.secretsManager.calls()).toHaveLength(0);
    expect(await statuses(t)).toEqual([["SecretsManager.1", "RESOLVED"]]);
    expect((await processEvent(secretEvent("config-item-secret-deleted"), t.runtime)).outcome).toBe(
      "processed",
    );
  });

  it("not applicable: a secret scheduled for deletion (read live after RestoreSecret raced a new DeleteSecret)", async () => {
    t = await testRuntime();
    stubSecret(t, { RotationEnabled: false, DeletedDate: new Date("2025-03-27T09:31:00Z") });
    await processEvent(secretEvent("restore-secret"), t.runtime);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("not applicable: a secret deleted before the read opens nothing", async () => {
    t = await testRuntime();
    t.secretsManager.on(DescribeSecretCommand).rejects(awsError("ResourceNotFoundException"));
    expect((await processEvent(secretEvent("rotation-failed"), t.runtime)).outcome).toBe("processed");
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("a secret tagged exempt is SUPPRESSED, without an alert", async () => {
    t = await testRuntime();
    stubSecret(t, {
      RotationEnabled: false,
      NextRotationDate: undefined,
      Tags: [
        { Key: "vigil:exempt", Value: "SecretsManager.1" },
        { Key: "vigil:exempt-reason", Value: "static vendor key" },
      ],
    });
    await processEvent(secretEvent("cancel-rotate-secret"), t.runtime);
    expect(await statuses(t)).toEqual([["SecretsManager.1", "SUPPRESSED"]]);
    expect(t.notifier.alerts).toEqual([]);
  });

  it("bad input: a rotation event naming no secret is invalid; nothing read, nothing stored", async () => {
    t = await testRuntime();
    const report = await processEvent(secretEvent("rotation-failed-no-secret-id"), t.runtime);
    expect(report).toMatchObject({ outcome: "invalid", reason: "RotationFailed names no secret ARN" });
    expect(t.secretsManager.calls()).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("bad input: a malformed detail is invalid", async () => {
    t = await testRuntime();
    const event = secretEvent("create-secret");
    delete (event.detail as { eventID?: unknown }).eventID;
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.secretsManager.calls()).toHaveLength(0);
  });

  it("offline (no AWS access) secret events are skipped, not judged without their live state", async () => {
    t = await testRuntime();
    const report = await processEvent(secretEvent("cancel-rotate-secret"), {
      ...t.runtime,
      readClients: undefined,
    });
    expect(report.outcome).toBe("ignored");
    expect(await t.runtime.store.list()).toEqual([]);
  });
});
