import { DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ecsEvent, liveDefinitionFrom, stubDescribe } from "./support";

let t: TestRuntime;
beforeEach(async () => {
  t = await testRuntime();
  stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"));
});
afterEach(() => t.close());

type Detail = Record<string, unknown> & {
  requestParameters?: Record<string, unknown>;
  responseElements?: { taskDefinition: Record<string, unknown> } | null;
};

/** The sample registration, changed by `edit`. */
function sample(edit: (detail: Detail) => void) {
  const event = ecsEvent("register-root-privileged-env-secrets");
  edit(event.detail as Detail);
  return event;
}

async function expectInvalid(event: unknown, reason: RegExp, awsCalls = 0): Promise<void> {
  const report = await processEvent(event, t.runtime);
  expect(report.outcome).toBe("invalid");
  expect(report.reason).toMatch(reason);
  expect(await t.runtime.store.list()).toEqual([]);
  expect(t.notifier.alerts).toEqual([]);
  expect(t.ecs.calls()).toHaveLength(awsCalls);
}

describe("task-definition events Vigil can't use are invalid: nothing stored, announced or remediated", () => {
  it("a registration that names no family", async () => {
    await expectInvalid(ecsEvent("register-missing-family-invalid"), /names no family/);
  });

  it("a deregistration whose task definition is neither family:revision nor an ARN", async () => {
    await expectInvalid(
      ecsEvent("deregister-unparseable-name-invalid"),
      /neither family:revision nor an ARN/,
    );
  });

  it("a Config item whose configuration can't be read", async () => {
    await expectInvalid(ecsEvent("config-item-unreadable-configuration"), /unreadable configuration/);
  });

  it("a registration whose response has no container list, or a family that isn't text", async () => {
    await expectInvalid(
      sample((d) => {
        if (d.responseElements) d.responseElements.taskDefinition.containerDefinitions = { name: "x" };
      }),
      /containerDefinitions/,
    );
    await expectInvalid(
      sample((d) => {
        d.requestParameters = { family: 42 };
      }),
      /RegisterTaskDefinition requestParameters/,
    );
  });

  it("a registration whose response names a revision without a readable ARN", async () => {
    await expectInvalid(
      sample((d) => {
        if (d.responseElements) d.responseElements.taskDefinition.taskDefinitionArn = "reporting-worker:7";
      }),
      /no family and revision/,
    );
  });

  it("a CloudTrail detail without eventTime (rejected at intake)", async () => {
    await expectInvalid(
      sample((d) => {
        delete d.eventTime;
      }),
      /eventTime/,
    );
  });

  it("a live answer that is not a task definition (after the one read)", async () => {
    t.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { family: "reporting-worker" } });
    await expectInvalid(
      ecsEvent("register-root-privileged-env-secrets"),
      /DescribeTaskDefinition reporting-worker/,
      1,
    );
  });
});
