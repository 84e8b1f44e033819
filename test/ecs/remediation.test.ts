import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  type RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { undo } from "../../shared/cli/undo";
import type { VigilConfigInput } from "../../shared/config/schema";
import { remediationSummary } from "../../shared/notifiers/format";
import { IncompleteProcessingError, processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  arnOf,
  ecsEvent,
  FAMILY,
  hardenRemediation as remediation,
  idFor,
  liveDefinitionFrom,
  stubDescribe,
  stubRegister,
} from "./support";

const AUTO: VigilConfigInput = { modes: { "ECS.5": "auto", "ECS.20": "auto" } };
const LIVE_TAGS = [
  { key: "team", value: "reporting" },
  { key: "aws:cloudformation:stack-name", value: "reporting" },
];
const ROLLOUT =
  "`aws ecs update-service --cluster <cluster> --service <service> --task-definition reporting-worker:";

let t: TestRuntime;

/** The sample's revision 7 registered again, field for field, with the hardening asked for. */
function expectedInput(container: Record<string, unknown>): RegisterTaskDefinitionCommandInput {
  return {
    family: "reporting-worker",
    taskRoleArn: "arn:aws:iam::111122223333:role/reporting-worker-task",
    executionRoleArn: "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
    networkMode: "bridge",
    containerDefinitions: [
      {
        name: "reporting-worker",
        image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders/api:2025.03.18-1",
        cpu: 512,
        memory: 1024,
        essential: true,
        user: "root",
        privileged: true,
        readonlyRootFilesystem: false,
        portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
        environment: [
          { name: "AWS_REGION", value: "us-east-1" },
          { name: "DB_PASSWORD", value: "Tr0ub4dor-Orders-2025!" },
          { name: "AWS_SECRET_ACCESS_KEY", value: "FAKE/fixture+value/NOT+a+real+secret+000" },
        ],
        logConfiguration: {
          logDriver: "awslogs",
          options: {
            "awslogs-group": "/ecs/reporting-worker",
            "awslogs-region": "us-east-1",
            "awslogs-stream-prefix": "ecs",
          },
        },
        mountPoints: [],
        volumesFrom: [],
        systemControls: [],
        ...container,
      },
    ],
    volumes: [],
    placementConstraints: [],
    requiresCompatibilities: ["EC2"],
    cpu: "512",
    memory: "1024",
    tags: [{ key: "team", value: "reporting" }],
  };
}

describe("register-hardened-task-definition", () => {
  it("is disruptive (tasks run by family name pick the revision up at once), asks for the IAM it uses", () => {
    expect(remediation).toMatchObject({
      resourceType: "AWS::ECS::TaskDefinition",
      disruptive: true,
      iamActions: [
        "ecs:DescribeTaskDefinition",
        "ecs:RegisterTaskDefinition",
        "ecs:TagResource",
        "iam:PassRole",
      ],
      undoIamActions: ["ecs:ListTagsForResource", "ecs:TagResource", "ecs:DeregisterTaskDefinition"],
    });
  });
});

describe("register-hardened-task-definition in the pipeline", () => {
  afterEach(() => t.close());

  it("dry-run (the default) records the plan on ECS.5 and ECS.20, its risks first; nothing is registered", async () => {
    t = await testRuntime();
    stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"));
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    for (const checkId of ["ECS.5", "ECS.20"]) {
      const finding = await t.runtime.store.get(idFor(checkId));
      expect(finding?.status).toBe("OPEN");
      expect(finding?.remediation).toMatchObject({
        remediationId: "register-hardened-task-definition",
        mode: "dry-run",
        result: "planned",
        action:
          'register a hardened copy of reporting-worker:7 (readonlyRootFilesystem=true on "reporting-worker"; user=1000:1000 on "reporting-worker")',
        detail:
          "test it first: a read-only root filesystem breaks every write outside a mounted volume (/tmp too); " +
          "running as 1000:1000 breaks whatever needs root, binds a port below 1024 or writes files owned by the image's USER. " +
          "As the family's latest revision, tasks started by family name alone (RunTask, EventBridge schedules) would run it at once; " +
          `services keep theirs until moved with ${ROLLOUT}<new revision>\``,
      });
      // How alerts word it: the plan reads as one sentence, the risk right after it.
      expect(remediationSummary(finding!)).toMatch(
        /^dry-run, nothing changed; would register a hardened copy of reporting-worker:7 \(.*\) \(test it first: a read-only root filesystem breaks/,
      );
    }
    expect((await t.runtime.store.get(idFor("ECS.4")))?.remediation).toBeUndefined();
    expect(t.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it("auto: registers the latest revision again, field for field, hardened, with the user's tags only", async () => {
    t = await testRuntime({
      config: { ...AUTO, containers: { taskDefinitions: { nonRootUser: "10001:10001" } } },
    });
    stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"), LIVE_TAGS);
    stubRegister(t);
    const report = await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);

    const calls = t.ecs.commandCalls(RegisterTaskDefinitionCommand);
    expect(calls.map((c) => c.args[0].input)).toEqual([
      expectedInput({ readonlyRootFilesystem: true, user: "10001:10001" }),
    ]);
    // The live read of the family before registering, besides the one that confirmed the event.
    expect(t.ecs.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input)).toEqual([
      { taskDefinition: FAMILY, include: ["TAGS"] },
      { taskDefinition: FAMILY, include: ["TAGS"] },
    ]);
    expect(report.resources[0]?.remediation).toEqual([
      {
        result: "succeeded",
        action:
          'registered reporting-worker:8, a hardened copy of reporting-worker:7 (readonlyRootFilesystem=true on "reporting-worker"; user=10001:10001 on "reporting-worker")',
      },
    ]);
    const ecs5 = await t.runtime.store.get(idFor("ECS.5"));
    expect(ecs5).toMatchObject({ status: "REMEDIATED", remediation: { mode: "auto", result: "succeeded" } });
    expect(ecs5?.remediation?.detail).toMatch(
      /^test it first: .*run it from now on; services keep theirs until moved/,
    );
    expect(ecs5?.remediation?.detail).toContain(`${ROLLOUT}8\``);
    expect(ecs5?.remediation?.undo).toEqual({
      remediationId: "register-hardened-task-definition",
      params: {
        revisionArn: arnOf(FAMILY, 8),
        sourceRevisionArn: arnOf(FAMILY, 7),
        exemptChecks: ["ECS.5", "ECS.20"],
        exemptionTagKey: "vigil:exempt",
      },
    });
    expect(await t.runtime.store.get(idFor("ECS.20"))).toMatchObject({ status: "REMEDIATED" });
    // Not the remediation's business: still open on the family.
    expect(await t.runtime.store.get(idFor("ECS.4"))).toMatchObject({ status: "OPEN" });
  });

  it("auto for ECS.5 only: the user is left as it is, ECS.20 gets a plan", async () => {
    t = await testRuntime({ config: { modes: { "ECS.5": "auto" } } });
    stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"), LIVE_TAGS);
    stubRegister(t);
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    expect(t.ecs.commandCalls(RegisterTaskDefinitionCommand).map((c) => c.args[0].input)).toEqual([
      expectedInput({ readonlyRootFilesystem: true }),
    ]);
    expect(await t.runtime.store.get(idFor("ECS.20"))).toMatchObject({
      status: "OPEN",
      remediation: { mode: "dry-run", result: "planned" },
    });
  });

  it("the hardened revision then evaluates compliant for ECS.5 and ECS.20: no second registration", async () => {
    t = await testRuntime({ config: AUTO });
    stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"), LIVE_TAGS);
    stubRegister(t);
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    const registered = t.ecs.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input;
    const { tags: _tags, ...hardened } = registered as RegisterTaskDefinitionCommandInput;
    stubDescribe(t, { ...hardened, taskDefinitionArn: arnOf(FAMILY, 8), revision: 8, status: "ACTIVE" });

    // Vigil's own RegisterTaskDefinition event is ignored by the intake; Config's item for revision 8 is not.
    const item = ecsEvent("config-item-root-privileged-revision-7");
    item.id = "4e1b7c9a-2d6f-4a83-95e0-c8b3f1d7a264";
    await processEvent(item, t.runtime);
    expect(t.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(1);
    expect(await t.runtime.store.get(idFor("ECS.5"))).toMatchObject({ status: "REMEDIATED" });
    expect(await t.runtime.store.get(idFor("ECS.20"))).toMatchObject({ status: "REMEDIATED" });
    expect(await t.runtime.store.get(idFor("ECS.4"))).toMatchObject({ status: "OPEN" });
  });

  it("vigil undo tags the source revision exempt first, then deregisters the hardened one", async () => {
    t = await testRuntime({ config: AUTO });
    stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"), LIVE_TAGS);
    stubRegister(t);
    t.ecs.on(ListTagsForResourceCommand).resolves({ tags: LIVE_TAGS });
    t.ecs.on(TagResourceCommand).resolves({});
    t.ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    t.ecs.resetHistory();

    const message = await undo(idFor("ECS.5"), t.runtime);
    expect(t.ecs.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])).toEqual([
      ["ListTagsForResourceCommand", { resourceArn: arnOf(FAMILY, 7) }],
      [
        "TagResourceCommand",
        {
          resourceArn: arnOf(FAMILY, 7),
          tags: [
            { key: "vigil:exempt", value: "ECS.5 ECS.20" },
            { key: "vigil:exempt-reason", value: "restored with vigil undo" },
          ],
        },
      ],
      ["DeregisterTaskDefinitionCommand", { taskDefinition: arnOf(FAMILY, 8) }],
    ]);
    expect(message).toMatch(
      /^deregistered reporting-worker:8 \(the hardened revision\); reporting-worker:7 tagged vigil:exempt=ECS\.5 ECS\.20; services already moved to it keep running it/,
    );
    expect(await t.runtime.store.get(idFor("ECS.20"))).toMatchObject({
      status: "SUPPRESSED",
      remediation: { result: "undone" },
    });
  });

  it("a throttled registration fails the event so its redelivery retries, and then registers", async () => {
    t = await testRuntime({ config: AUTO });
    stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"));
    t.ecs.on(RegisterTaskDefinitionCommand).rejects(
      Object.assign(new Error("Rate exceeded"), {
        name: "ThrottlingException",
        $retryable: {},
        $metadata: {},
      }),
    );
    const event = ecsEvent("register-root-privileged-env-secrets");
    await expect(processEvent(event, t.runtime)).rejects.toBeInstanceOf(IncompleteProcessingError);
    expect(await t.runtime.store.get(idFor("ECS.5"))).toMatchObject({
      status: "OPEN",
      remediation: { mode: "auto", result: "failed", detail: "Rate exceeded" },
    });

    stubRegister(t);
    await processEvent(event, t.runtime);
    expect(t.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(2);
    expect(await t.runtime.store.get(idFor("ECS.5"))).toMatchObject({
      status: "REMEDIATED",
      remediation: { result: "succeeded" },
    });
  });
});
