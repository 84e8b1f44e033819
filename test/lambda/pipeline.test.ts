import { GetFunctionConfigurationCommand, ListTagsCommand } from "@aws-sdk/client-lambda";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  CLEAN_ENV,
  FINDING_ID,
  FUNCTION,
  FUNCTION_ARN,
  LEAKY_ENV,
  SECRET_VALUES,
  awsError,
  lambdaEvent,
  stubFunction,
  stubTags,
} from "./support";

/** Every place a value could escape to: findings, alerts, logs. */
async function everythingWritten(t: TestRuntime): Promise<string> {
  return JSON.stringify([await t.runtime.store.list(), t.notifier.alerts, t.logger.entries]);
}

describe("VIGIL.LAMBDA.ENV_SECRETS through the pipeline", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("non-compliant: CreateFunction is confirmed live, opens a HIGH finding and alerts, never writing a value", async () => {
    t = await testRuntime();
    stubFunction(t, LEAKY_ENV);
    stubTags(t);
    const report = await processEvent(lambdaEvent("create-function"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(t.lambda.commandCalls(GetFunctionConfigurationCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: FUNCTION_ARN },
    ]);
    // A violation needs the tags (exemptions); the live configuration has none.
    expect(t.lambda.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([
      { Resource: FUNCTION_ARN },
    ]);
    const finding = await t.runtime.store.get(FINDING_ID);
    expect(finding).toMatchObject({
      checkId: "VIGIL.LAMBDA.ENV_SECRETS",
      status: "OPEN",
      severity: "HIGH",
      controls: [],
      resource: { type: "AWS::Lambda::Function", id: FUNCTION, arn: FUNCTION_ARN, name: FUNCTION },
      actor: { sessionIssuerArn: "arn:aws:iam::111122223333:role/ci-deploy" },
      evidence: [
        {
          functionName: FUNCTION,
          variables: [
            { name: "DB_PASSWORD", reason: "secret-like name with a value" },
            { name: "PAYMENTS_UPSTREAM", reason: "the value is a Stripe secret key" },
          ],
        },
      ],
    });
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.findings.map((f) => f.checkId)).toEqual(["VIGIL.LAMBDA.ENV_SECRETS"]);
    const written = await everythingWritten(t);
    for (const secret of SECRET_VALUES) expect(written).not.toContain(secret);
  });

  it("compliant: references only; nothing opened, no alert, no tag read", async () => {
    t = await testRuntime();
    stubFunction(t, CLEAN_ENV);
    const report = await processEvent(lambdaEvent("create-function"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
    expect(t.lambda.commandCalls(ListTagsCommand)).toHaveLength(0);
  });

  it("an update that moves the secrets out resolves the finding (the live read is a whole view)", async () => {
    t = await testRuntime();
    stubFunction(t, LEAKY_ENV);
    stubTags(t);
    await processEvent(lambdaEvent("create-function"), t.runtime);
    t.lambda.reset();
    stubFunction(t, CLEAN_ENV);
    await processEvent(lambdaEvent("update-function-configuration"), t.runtime);
    const finding = await t.runtime.store.get(FINDING_ID);
    expect(finding?.status).toBe("RESOLVED");
    expect(finding?.history.map((h) => h.to)).toEqual(["OPEN", "RESOLVED"]);
    expect(t.notifier.alerts).toHaveLength(2);
  });

  it("the live definition is the truth: an update event is judged on what the function holds now", async () => {
    t = await testRuntime();
    stubFunction(t, LEAKY_ENV);
    stubTags(t);
    await processEvent(lambdaEvent("update-function-configuration"), t.runtime);
    expect((await t.runtime.store.get(FINDING_ID))?.status).toBe("OPEN");
  });

  it("DeleteFunction resolves the finding without any AWS call", async () => {
    t = await testRuntime();
    stubFunction(t, LEAKY_ENV);
    stubTags(t);
    await processEvent(lambdaEvent("create-function"), t.runtime);
    t.lambda.reset();
    const report = await processEvent(lambdaEvent("delete-function"), t.runtime);
    expect(report.resources[0]?.awsCalls).toBe(0);
    expect(t.lambda.calls()).toHaveLength(0);
    expect((await t.runtime.store.get(FINDING_ID))?.status).toBe("RESOLVED");
  });

  it("deleting one version changes nothing", async () => {
    t = await testRuntime();
    stubFunction(t, LEAKY_ENV);
    stubTags(t);
    await processEvent(lambdaEvent("create-function"), t.runtime);
    const report = await processEvent(lambdaEvent("delete-function-version"), t.runtime);
    expect(report).toMatchObject({ outcome: "processed", resources: [] });
    expect((await t.runtime.store.get(FINDING_ID))?.status).toBe("OPEN");
  });

  it("not applicable: a function deleted before the read opens nothing", async () => {
    t = await testRuntime();
    t.lambda.on(GetFunctionConfigurationCommand).rejects(awsError("ResourceNotFoundException"));
    const report = await processEvent(lambdaEvent("create-function"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("not applicable: variables Lambda can't decrypt for Vigil neither open nor close anything", async () => {
    t = await testRuntime();
    stubFunction(t, LEAKY_ENV);
    stubTags(t);
    await processEvent(lambdaEvent("create-function"), t.runtime);
    t.lambda.reset();
    stubFunction(t, undefined, {
      Environment: { Error: { ErrorCode: "KMSAccessDeniedException", Message: "denied" } },
    });
    await processEvent(lambdaEvent("update-function-configuration"), t.runtime);
    expect((await t.runtime.store.get(FINDING_ID))?.status).toBe("OPEN");
  });

  it("a function tagged exempt is recorded as SUPPRESSED, without an alert", async () => {
    t = await testRuntime();
    stubFunction(t, LEAKY_ENV);
    stubTags(t, { "vigil:exempt": "VIGIL.LAMBDA.ENV_SECRETS", "vigil:exempt-reason": "test fixture values" });
    await processEvent(lambdaEvent("create-function"), t.runtime);
    expect((await t.runtime.store.get(FINDING_ID))?.status).toBe("SUPPRESSED");
    expect(t.notifier.alerts).toEqual([]);
  });

  it("a failed call and Config items (which carry no environment) are ignored without AWS calls", async () => {
    t = await testRuntime();
    for (const name of ["create-function-failed-ignored", "config-item-function"]) {
      expect((await processEvent(lambdaEvent(name), t.runtime)).outcome).toBe("ignored");
    }
    expect(t.lambda.calls()).toHaveLength(0);
  });

  it("bad input: an update naming no function is invalid; nothing read, nothing stored", async () => {
    t = await testRuntime();
    const report = await processEvent(
      lambdaEvent("update-function-configuration-no-function-name"),
      t.runtime,
    );
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toMatch(/UpdateFunctionConfiguration20150331v2/);
    expect(t.lambda.calls()).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("bad input: a malformed detail is invalid", async () => {
    t = await testRuntime();
    const event = lambdaEvent("create-function");
    delete (event.detail as { eventTime?: unknown }).eventTime;
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.lambda.calls()).toHaveLength(0);
  });

  it("offline (no AWS access) the event is skipped, not judged from the hidden variables", async () => {
    t = await testRuntime();
    const runtime = { ...t.runtime, readClients: undefined };
    const report = await processEvent(lambdaEvent("create-function"), runtime);
    expect(report.outcome).toBe("ignored");
    expect(await t.runtime.store.list()).toEqual([]);
  });
});
