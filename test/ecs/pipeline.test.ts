import {
  DescribeTaskDefinitionCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ALL_ECS_CHECKS,
  ecsEvent,
  FAMILY,
  idFor,
  liveDefinitionFrom,
  SAMPLE_FAILS,
  stubDescribe,
} from "./support";

let t: TestRuntime;
beforeEach(async () => {
  t = await testRuntime();
});
afterEach(() => t.close());

const rev7 = () => liveDefinitionFrom("register-root-privileged-env-secrets");
const rev8 = () => liveDefinitionFrom("register-compliant-revision-8");

/** Status of every ECS check's finding on the family (undefined = no finding). */
async function statuses(family = FAMILY): Promise<Record<string, string | undefined>> {
  const found = await t.runtime.store.getMany(ALL_ECS_CHECKS.map((id) => idFor(id, family)));
  return Object.fromEntries(ALL_ECS_CHECKS.map((id) => [id, found.get(idFor(id, family))?.status]));
}

const only = (open: string[], status = "OPEN") =>
  Object.fromEntries(ALL_ECS_CHECKS.map((id) => [id, open.includes(id) ? status : undefined]));

describe("the sample registration (root, privileged, secrets in environment)", () => {
  it("opens ECS.4, ECS.5, ECS.20 and ECS.8 on the family, with one alert, and plans the hardened revision", async () => {
    stubDescribe(t, rev7());
    const report = await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(await statuses()).toEqual(only(SAMPLE_FAILS));
    expect(report.resources[0]?.remediation).toEqual([
      {
        result: "planned",
        action:
          'register a hardened copy of reporting-worker:7 (readonlyRootFilesystem=true on "reporting-worker"; user=1000:1000 on "reporting-worker")',
      },
    ]);
    // The live read is the only AWS call: it carries the tags, and dry-run registers nothing.
    expect(t.ecs.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(1);
    expect(t.ecs.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
    expect(t.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.findings.map((f) => f.checkId).sort()).toEqual([...SAMPLE_FAILS].sort());
  });

  it("says what and why, and never carries the secret values (findings, alerts, logs)", async () => {
    stubDescribe(t, rev7());
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    const ecs8 = await t.runtime.store.get(idFor("ECS.8"));
    expect(ecs8).toMatchObject({
      severity: "HIGH",
      controls: ["FSBP ECS.8"],
      resource: {
        type: "AWS::ECS::TaskDefinition",
        id: FAMILY,
        arn: `arn:aws:ecs:us-east-1:111122223333:task-definition/${FAMILY}`,
      },
      actor: { sessionIssuerArn: "arn:aws:iam::111122223333:role/ci-deploy" },
    });
    expect(ecs8?.evidence.map((e) => [e.variable, e.valueLength])).toEqual([
      ["DB_PASSWORD", 22],
      ["AWS_SECRET_ACCESS_KEY", 40],
    ]);
    const everything = JSON.stringify([await t.runtime.store.list(), t.notifier.alerts, t.logger.entries]);
    expect(everything).not.toContain("Tr0ub4dor");
    expect(everything).not.toContain("FAKE/fixture");
  });

  it("a Config item of the same revision changes nothing; a compliant revision 8 resolves every finding", async () => {
    stubDescribe(t, rev7());
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    await processEvent(ecsEvent("config-item-root-privileged-revision-7"), t.runtime);
    expect(await statuses()).toEqual(only(SAMPLE_FAILS));

    stubDescribe(t, rev8());
    const report = await processEvent(ecsEvent("register-compliant-revision-8"), t.runtime);
    expect(await statuses()).toEqual(only(SAMPLE_FAILS, "RESOLVED"));
    expect(report.resources[0]?.remediation).toEqual([]);
  });

  it("a value CloudTrail hid is read live: ECS.8 judges the real values", async () => {
    stubDescribe(t, rev7());
    await processEvent(ecsEvent("register-env-values-hidden"), t.runtime);
    const ecs8 = await t.runtime.store.get(idFor("ECS.8"));
    expect(ecs8?.evidence.map((e) => e.variable)).toEqual(["DB_PASSWORD", "AWS_SECRET_ACCESS_KEY"]);
  });

  it("a vigil:exempt tag on the revision suppresses the listed checks only", async () => {
    stubDescribe(t, rev7(), [{ key: "vigil:exempt", value: "ECS.5 ECS.20" }]);
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    expect(await statuses()).toMatchObject({
      "ECS.4": "OPEN",
      "ECS.5": "SUPPRESSED",
      "ECS.20": "SUPPRESSED",
      "ECS.8": "OPEN",
    });
  });
});

describe("only the latest ACTIVE revision counts", () => {
  it("registrations processed out of order: the late, older one opens nothing once revision 8 is the latest", async () => {
    stubDescribe(t, rev8());
    await processEvent(ecsEvent("register-compliant-revision-8"), t.runtime);
    const late = await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    expect(late.outcome).toBe("processed");
    expect(await statuses()).toEqual(only([]));
  });

  it("a Config item of an older ACTIVE revision (6) opens nothing", async () => {
    stubDescribe(t, rev8());
    const report = await processEvent(ecsEvent("config-item-older-active-revision-6"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses()).toEqual(only([]));
    expect(t.notifier.alerts).toEqual([]);
  });

  it("a Config item of the INACTIVE revision 7 opens nothing, and resolves what revision 7 opened", async () => {
    stubDescribe(t, rev7());
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    stubDescribe(t, rev8());
    await processEvent(ecsEvent("config-item-inactive-revision-7"), t.runtime);
    expect(await statuses()).toEqual(only(SAMPLE_FAILS, "RESOLVED"));
  });

  it("deregistering the latest revision brings the previous one back: its findings reopen", async () => {
    stubDescribe(t, rev7());
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    stubDescribe(t, rev8());
    await processEvent(ecsEvent("register-compliant-revision-8"), t.runtime);
    expect(await statuses()).toEqual(only(SAMPLE_FAILS, "RESOLVED"));

    stubDescribe(t, rev7());
    const deregister8 = ecsEvent("deregister-revision-7");
    (deregister8.detail as { requestParameters: unknown }).requestParameters = {
      taskDefinition: `${FAMILY}:8`,
    };
    deregister8.id = "0b7e3d4a-9c2f-4e18-a6d5-8f1c2b9e7a30";
    (deregister8.detail as { eventID: string }).eventID = "5d2c8e1f-3a7b-4f96-b0e4-9a6d1c7f2e85";
    await processEvent(deregister8, t.runtime);
    expect(await statuses()).toEqual(only(SAMPLE_FAILS));
  });

  it("a family with no ACTIVE revision left (all deregistered) resolves its findings", async () => {
    stubDescribe(t, rev7());
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    stubDescribe(t, undefined);
    const report = await processEvent(ecsEvent("deregister-revision-7"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses()).toEqual(only(SAMPLE_FAILS, "RESOLVED"));
    stubDescribe(t, undefined);
    await processEvent(ecsEvent("config-item-deleted-revision-5"), t.runtime);
    expect(await statuses()).toEqual(only(SAMPLE_FAILS, "RESOLVED"));
  });
});

describe("other definitions", () => {
  it("a Windows family: ECS.5 and ECS.20 are not applicable (the same definition on Linux fails them)", async () => {
    const windows = liveDefinitionFrom("register-windows-family");
    stubDescribe(t, windows);
    const report = await processEvent(ecsEvent("register-windows-family"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses("invoice-renderer-win")).toEqual(only([]));

    const linux: TaskDefinition = { ...windows, runtimePlatform: { operatingSystemFamily: "LINUX" } };
    stubDescribe(t, linux);
    const event = ecsEvent("register-windows-family");
    event.id = "1f9a4c7e-2b6d-4e83-9a05-c7e1d3b8f264";
    (event.detail as { eventID: string }).eventID = "7e3b9d1a-5c2f-4a68-8e04-b1d6f9c3a275";
    await processEvent(event, t.runtime);
    expect(await statuses("invoice-renderer-win")).toEqual(only(["ECS.5", "ECS.20"]));
  });

  it("host PID and network modes, SYS_ADMIN/NET_ADMIN and a container without logs fail ECS.3, ECS.17, ECS.9 and the capabilities check", async () => {
    stubDescribe(t, liveDefinitionFrom("register-host-pid-network-capabilities"));
    await processEvent(ecsEvent("register-host-pid-network-capabilities"), t.runtime);
    expect(await statuses("node-agent")).toEqual(
      only(["ECS.3", "ECS.17", "ECS.9", "VIGIL.ECS.ADDED_CAPABILITIES"]),
    );
    const caps = await t.runtime.store.get(idFor("VIGIL.ECS.ADDED_CAPABILITIES", "node-agent"));
    expect(caps?.summary).toBe(
      'container "agent" in node-agent:12 adds dangerous capabilities: SYS_ADMIN, NET_ADMIN',
    );
    const logs = await t.runtime.store.get(idFor("ECS.9", "node-agent"));
    expect(logs?.evidence.map((e) => e.container)).toEqual(["log-shipper"]);
  });

  it("Vigil's own registration (the remediation role) is ignored, with no AWS call", async () => {
    const report = await processEvent(ecsEvent("register-by-vigil-remediation-role-ignored"), t.runtime);
    expect(report).toMatchObject({
      outcome: "ignored",
      reason: expect.stringContaining("Vigil's remediation role"),
    });
    expect(t.ecs.calls()).toHaveLength(0);
  });

  it("without AWS access the event can't be confirmed: ignored, nothing stored", async () => {
    const report = await processEvent(ecsEvent("register-root-privileged-env-secrets"), {
      ...t.runtime,
      readClients: undefined,
    });
    expect(report.outcome).toBe("ignored");
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("a throttled live read fails the event so it is retried; nothing is stored", async () => {
    t.ecs
      .on(DescribeTaskDefinitionCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: {} }));
    await expect(processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime)).rejects.toThrow(
      "Rate exceeded",
    );
    expect(await t.runtime.store.list()).toEqual([]);
  });
});
