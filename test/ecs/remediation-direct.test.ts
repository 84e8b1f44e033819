import {
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import ecs20 from "../../shared/checks/ecs/ecs-20-non-root-user";
import ecs5 from "../../shared/checks/ecs/ecs-5-readonly-root-filesystem";
import { stateFromDefinition } from "../../shared/resources/ecs-task-definition/definition";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  arnOf,
  container,
  context,
  FAMILY,
  hardenRemediation as remediation,
  liveDefinitionFrom,
  stubDescribe,
  stubRegister,
  taskDef,
} from "./support";

let t: TestRuntime;
beforeEach(async () => {
  t = await testRuntime();
});
afterEach(() => t.close());

const MESH = "mesh-api";

/** An app container that writes to a mounted /tmp and runs as root, behind an App Mesh Envoy that is already hardened. */
const api: ContainerDefinition = {
  name: "api",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/mesh/api:3.1.0",
  cpu: 0,
  essential: true,
  user: "0",
  readonlyRootFilesystem: false,
  portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" }],
  mountPoints: [{ sourceVolume: "scratch", containerPath: "/tmp", readOnly: false }],
  environment: [{ name: "MODE", value: "prod" }],
  secrets: [{ name: "DB_PASSWORD", valueFrom: "arn:aws:ssm:us-east-1:111122223333:parameter/mesh/db" }],
  dependsOn: [{ containerName: "envoy", condition: "HEALTHY" }],
  linuxParameters: { initProcessEnabled: true, capabilities: { drop: ["NET_RAW"] } },
  logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/mesh-api" } },
  volumesFrom: [],
  systemControls: [],
};
const envoy: ContainerDefinition = {
  name: "envoy",
  image: "840364872350.dkr.ecr.us-east-1.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod",
  essential: true,
  user: "1337",
  readonlyRootFilesystem: true,
  healthCheck: { command: ["CMD-SHELL", "curl -s http://localhost:9901/server_info"], interval: 5 },
  logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/mesh-api" } },
};

/** Every field RegisterTaskDefinition accepts, set, as DescribeTaskDefinition answers it. */
const registrable = {
  family: MESH,
  taskRoleArn: "arn:aws:iam::111122223333:role/mesh-api-task",
  executionRoleArn: "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
  networkMode: "awsvpc",
  containerDefinitions: [api, envoy],
  volumes: [
    { name: "scratch" },
    {
      name: "shared",
      efsVolumeConfiguration: { fileSystemId: "fs-0a1b2c3d", transitEncryption: "ENABLED" },
    },
  ],
  placementConstraints: [{ type: "memberOf", expression: "attribute:ecs.availability-zone in [us-east-1a]" }],
  requiresCompatibilities: ["EC2"],
  cpu: "1024",
  memory: "2048",
  pidMode: "task",
  ipcMode: "task",
  proxyConfiguration: {
    type: "APPMESH",
    containerName: "envoy",
    properties: [
      { name: "IgnoredUID", value: "1337" },
      { name: "ProxyIngressPort", value: "15000" },
    ],
  },
  inferenceAccelerators: [{ deviceName: "device_1", deviceType: "eia2.medium" }],
  ephemeralStorage: { sizeInGiB: 30 },
  runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
  enableFaultInjection: true,
} satisfies TaskDefinition;

const live: TaskDefinition = {
  ...registrable,
  taskDefinitionArn: arnOf(MESH, 4),
  revision: 4,
  status: "ACTIVE",
  requiresAttributes: [{ name: "ecs.capability.aws-appmesh" }],
  compatibilities: ["EC2"],
  registeredAt: new Date("2025-03-19T13:20:09Z"),
  registeredBy: "arn:aws:sts::111122223333:assumed-role/ci-deploy/GitHubActions-8841927",
};

/** The violations ECS.5 and ECS.20 find in a definition, as the pipeline hands them over. */
function violationsOf(definition: TaskDefinition) {
  const state = stateFromDefinition(definition, "test");
  return { state, violations: [ecs5, ecs20].flatMap((check) => check.evaluate(state, context())) };
}

describe("register-hardened-task-definition, called directly", () => {
  it("registers a faithful copy: every registrable field and the other containers as they are, user tags only", async () => {
    stubDescribe(t, live, [
      { key: "team", value: "mesh" },
      { key: "aws:cloudformation:stack-name", value: "mesh" },
    ]);
    stubRegister(t, 5);
    const outcome = await remediation.apply(
      { ...violationsOf(live), dryRun: false },
      t.runtime.remediationClients!,
    );
    expect(outcome).toMatchObject({
      result: "succeeded",
      action:
        'registered mesh-api:5, a hardened copy of mesh-api:4 (readonlyRootFilesystem=true on "api"; user=1000:1000 on "api")',
    });
    expect(t.ecs.commandCalls(RegisterTaskDefinitionCommand).map((c) => c.args[0].input)).toEqual([
      {
        ...registrable,
        containerDefinitions: [{ ...api, readonlyRootFilesystem: true, user: "1000:1000" }, envoy],
        tags: [{ key: "team", value: "mesh" }],
      },
    ]);
  });

  it("dry-run makes no AWS call at all", async () => {
    const outcome = await remediation.apply(
      { ...violationsOf(live), dryRun: true },
      t.runtime.remediationClients!,
    );
    expect(outcome).toMatchObject({ result: "planned", awsCalls: 0 });
    expect(t.ecs.calls()).toHaveLength(0);
  });

  const violations = [
    { summary: "x", evidence: { container: "app", readonlyRootFilesystem: null } },
    { summary: "y", evidence: { container: "app", user: null, replacementUser: "1000:1000" } },
  ];

  it("does not register when the revision is no longer the latest ACTIVE one", async () => {
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
    stubDescribe(t, liveDefinitionFrom("register-root-privileged-env-secrets"));
    stubRegister(t, 8, (input) => ({
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
      action: "hardened copy of reporting-worker:7 not confirmed",
    });
    expect(outcome.undo).toBeUndefined();
  });

  it("skips violations that ask for nothing it can do", async () => {
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
});
