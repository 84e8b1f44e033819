import {
  DeregisterTaskDefinitionCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  type RegisterTaskDefinitionCommandInput,
} from "@aws-sdk/client-ecs";
import { afterEach, describe, expect, it } from "vitest";
import { undo } from "../../shared/cli/undo";
import type { VigilConfigInput } from "../../shared/config/schema";
import { processEvent } from "../../shared/pipeline/process-event";
import { remediationById } from "../../shared/remediations/catalog";
import type { RemediationDefinition } from "../../shared/remediations/define";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  arnOf,
  container,
  ecsEvent,
  FAMILY,
  idFor,
  liveDefinitionFrom,
  stubDescribe,
  taskDef,
} from "./support";

const remediation = remediationById(
  "register-hardened-task-definition",
) as RemediationDefinition<"AWS::ECS::TaskDefinition">;
const AUTO: VigilConfigInput = { modes: { "ECS.5": "auto", "ECS.20": "auto" } };
const LIVE_TAGS = [
  { key: "team", value: "reporting" },
  { key: "aws:cloudformation:stack-name", value: "reporting" },
];

let t: TestRuntime;

/** ECS answers a registration with the definition it registered, as revision 8. */
function stubRegister(
  answer: (input: Omit<RegisterTaskDefinitionCommandInput, "tags">) => object = (input) => input,
) {
  t.ecs.on(RegisterTaskDefinitionCommand).callsFake((input: RegisterTaskDefinitionCommandInput) => {
    const { tags: _tags, ...definition } = input;
    return {
      taskDefinition: {
        ...answer(definition),
        taskDefinitionArn: arnOf(FAMILY, 8),
        revision: 8,
        status: "ACTIVE",
      },
      tags: input.tags,
    };
  });
}

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
  it("is not disruptive, asks for the IAM it uses, and undoes with the operator's TagResource + DeregisterTaskDefinition", () => {
    expect(remediation).toMatchObject({
      resourceType: "AWS::ECS::TaskDefinition",
      disruptive: false,
      iamActions: [
        "ecs:DescribeTaskDefinition",
        "ecs:RegisterTaskDefinition",
        "ecs:TagResource",
        "iam:PassRole",
      ],
      undoIamActions: ["ecs:TagResource", "ecs:DeregisterTaskDefinition"],
    });
  });
});

describe("register-hardened-task-definition in the pipeline", () => {
  afterEach(() => t.close());

  it("dry-run (the default) records the plan on ECS.5 and ECS.20 and how to roll it out; nothing is registered", async () => {
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
          'would register a new revision of reporting-worker from reporting-worker:7 with readonlyRootFilesystem=true on "reporting-worker"; user=1000:1000 on "reporting-worker"',
        detail:
          "services would not be changed: once it is registered, roll it out with `aws ecs update-service --cluster <cluster> --service <service> --task-definition reporting-worker:<new revision>` after testing (a read-only root filesystem or a non-root user can break an app that writes to its image or needs root); tasks started by family name alone (RunTask, scheduled tasks) would use it at once",
      });
    }
    expect((await t.runtime.store.get(idFor("ECS.4")))?.remediation).toBeUndefined();
    expect(t.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it("auto: registers the latest revision again, field for field, hardened, with the user's tags only", async () => {
    t = await testRuntime({
      config: { ...AUTO, containers: { taskDefinitions: { nonRootUser: "10001:10001" } } },
    });
    stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"), LIVE_TAGS);
    stubRegister();
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
          'registered reporting-worker:8 from reporting-worker:7 with readonlyRootFilesystem=true on "reporting-worker"; user=10001:10001 on "reporting-worker"',
      },
    ]);
    const ecs5 = await t.runtime.store.get(idFor("ECS.5"));
    expect(ecs5).toMatchObject({ status: "REMEDIATED", remediation: { mode: "auto", result: "succeeded" } });
    expect(ecs5?.remediation?.detail).toContain(
      "`aws ecs update-service --cluster <cluster> --service <service> --task-definition reporting-worker:8`",
    );
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
    stubRegister();
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
    stubRegister();
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
    stubRegister();
    t.ecs.on(TagResourceCommand).resolves({});
    t.ecs.on(DeregisterTaskDefinitionCommand).resolves({});
    await processEvent(ecsEvent("register-root-privileged-env-secrets"), t.runtime);
    t.ecs.resetHistory();

    const message = await undo(idFor("ECS.5"), t.runtime);
    expect(t.ecs.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])).toEqual([
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
});

describe("register-hardened-task-definition, called directly", () => {
  afterEach(() => t.close());

  const violations = [
    { summary: "x", evidence: { container: "app", readonlyRootFilesystem: null } },
    { summary: "y", evidence: { container: "app", user: null, replacementUser: "1000:1000" } },
  ];

  it("does not register when the revision is no longer the latest ACTIVE one", async () => {
    t = await testRuntime();
    const newer = {
      ...liveDefinitionFrom("register-compliant-revision-8"),
      revision: 9,
      taskDefinitionArn: arnOf(FAMILY, 9),
    };
    stubDescribe(t, newer);
    const outcome = await remediation.apply(
      { state: taskDef({}, [container({ readonlyRootFilesystem: undefined })]), violations, dryRun: false },
      t.runtime.remediationClients!,
    );
    expect(outcome).toEqual({
      result: "skipped",
      action:
        "nothing registered: reporting-worker:7 is no longer the latest ACTIVE revision (the latest ACTIVE revision is reporting-worker:9)",
      awsCalls: 1,
    });
    stubDescribe(t, undefined);
    const gone = await remediation.apply(
      { state: taskDef(), violations, dryRun: false },
      t.runtime.remediationClients!,
    );
    expect(gone.action).toMatch(/\(the family has no ACTIVE revision\)$/);
    expect(t.ecs.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it("fails when ECS's answer doesn't show the hardening", async () => {
    t = await testRuntime();
    stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"));
    stubRegister((input) => ({
      ...input,
      containerDefinitions: [{ name: "reporting-worker", user: "root" }],
    }));
    const state = taskDef({}, [container({ name: "reporting-worker" })]);
    const outcome = await remediation.apply(
      {
        state,
        violations: violations.map((v) => ({
          ...v,
          evidence: { ...v.evidence, container: "reporting-worker" },
        })),
        dryRun: false,
      },
      t.runtime.remediationClients!,
    );
    expect(outcome).toMatchObject({
      result: "failed",
      action: "hardened revision of reporting-worker:7 not confirmed",
    });
    expect(outcome.undo).toBeUndefined();
  });

  it("skips violations that ask for nothing it can do", async () => {
    t = await testRuntime();
    const outcome = await remediation.apply(
      {
        state: taskDef(),
        violations: [{ summary: "z", evidence: { container: "app", privileged: true } }],
        dryRun: false,
      },
      t.runtime.remediationClients!,
    );
    expect(outcome).toEqual({ result: "skipped", action: "nothing to harden", awsCalls: 0 });
    expect(t.ecs.calls()).toHaveLength(0);
  });

  it("undo rejects a payload without the revision ARNs", async () => {
    t = await testRuntime();
    await expect(
      remediation.undo(
        { remediationId: remediation.id, params: { revisionArn: "reporting-worker:8" } },
        t.runtime.remediationClients!,
      ),
    ).rejects.toThrow();
    expect(t.ecs.calls()).toHaveLength(0);
  });
});
