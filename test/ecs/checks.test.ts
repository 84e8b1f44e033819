import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import addedCapabilities from "../../shared/checks/ecs/added-capabilities";
import { runsAsRoot } from "../../shared/checks/ecs/container-user";
import ecs17 from "../../shared/checks/ecs/ecs-17-host-network-mode";
import ecs20 from "../../shared/checks/ecs/ecs-20-non-root-user";
import ecs3 from "../../shared/checks/ecs/ecs-3-host-pid-mode";
import ecs4 from "../../shared/checks/ecs/ecs-4-privileged";
import ecs5 from "../../shared/checks/ecs/ecs-5-readonly-root-filesystem";
import ecs8 from "../../shared/checks/ecs/ecs-8-environment-secrets";
import ecs9 from "../../shared/checks/ecs/ecs-9-log-configuration";
import { ALL_ECS_CHECKS, arnOf, container, context, env, taskDef } from "./support";

const ctx = context();
const checks = [ecs4, ecs5, ecs20, ecs8, ecs3, ecs17, ecs9, addedCapabilities];
const windows = { operatingSystemFamily: "WINDOWS_SERVER_2022_CORE" };
const where = { taskDefinition: arnOf("reporting-worker", 7), revision: 7, container: "app" };

describe("ECS check catalog entries", () => {
  it.each([
    ["ECS.4", "HIGH", ["FSBP ECS.4"]],
    ["ECS.5", "HIGH", ["FSBP ECS.5"]],
    ["ECS.20", "MEDIUM", ["SecurityHub ECS.20"]],
    ["ECS.8", "HIGH", ["FSBP ECS.8"]],
    ["ECS.3", "HIGH", ["FSBP ECS.3"]],
    ["ECS.17", "MEDIUM", ["SecurityHub ECS.17"]],
    ["ECS.9", "HIGH", ["FSBP ECS.9"]],
    ["VIGIL.ECS.ADDED_CAPABILITIES", "HIGH", []],
  ])(
    "%s: %s, controls %j, registered, triggered by registrations, deregistrations and Config",
    (id, severity, controls) => {
      const check = checkById(id) as CheckDefinition;
      expect(check).toMatchObject({ severity, controls, resourceType: "AWS::ECS::TaskDefinition" });
      expect(check.triggers).toEqual({
        cloudTrail: [
          {
            eventSource: "ecs.amazonaws.com",
            eventNames: ["RegisterTaskDefinition", "DeregisterTaskDefinition"],
          },
        ],
        config: ["AWS::ECS::TaskDefinition"],
      });
      expect(check.iamActions).toEqual(["ecs:DescribeTaskDefinition", "ecs:ListTagsForResource"]);
    },
  );

  it("the catalog holds exactly these ECS checks", () => {
    expect(checks.map((c) => c.id)).toEqual(ALL_ECS_CHECKS);
    for (const check of checks) expect(checkById(check.id)).toBe(check);
  });

  it("only ECS.5 and ECS.20 remediate, dry-run by default; unconfirmed FSBP membership is said in the description", () => {
    expect(ecs5.remediation).toEqual({ id: "register-hardened-task-definition", defaultMode: "dry-run" });
    expect(ecs20.remediation).toEqual({ id: "register-hardened-task-definition", defaultMode: "dry-run" });
    for (const check of [ecs4, ecs8, ecs3, ecs17, ecs9, addedCapabilities])
      expect((check as CheckDefinition).remediation).toBeUndefined();
    expect(ecs20.description).toMatch(/unconfirmed/);
    expect(ecs17.description).toMatch(/unconfirmed/);
  });

  it("a hardened definition passes every check, and evaluate() leaves the state unchanged", () => {
    const state = taskDef();
    const before = structuredClone(state);
    for (const check of checks) expect(check.evaluate(state, ctx), check.id).toEqual([]);
    expect(state).toEqual(before);
  });

  it("a deregistered (INACTIVE) revision is not applicable to any check, however bad", () => {
    const bad = container({
      privileged: true,
      readonlyRootFilesystem: false,
      user: "root",
      logDriver: undefined,
    });
    const state = taskDef({ status: "INACTIVE", pidMode: "host", networkMode: "host" }, [bad]);
    for (const check of checks) expect(check.evaluate(state, ctx), check.id).toEqual([]);
  });
});

describe("ECS.4 privileged", () => {
  it("flags each privileged container, not the others", () => {
    const state = taskDef({}, [
      container({ privileged: true }),
      container({ name: "sidecar", privileged: false }),
    ]);
    expect(ecs4.evaluate(state, ctx)).toEqual([
      {
        summary: 'container "app" in reporting-worker:7 runs privileged',
        evidence: { ...where, privileged: true },
      },
    ]);
  });
});

describe("ECS.5 read-only root filesystem", () => {
  it("flags false and absent alike, saying which", () => {
    const state = taskDef({}, [
      container({ readonlyRootFilesystem: false }),
      container({ name: "sidecar", readonlyRootFilesystem: undefined }),
    ]);
    expect(ecs5.evaluate(state, ctx)).toEqual([
      {
        summary:
          'container "app" in reporting-worker:7 has a writable root filesystem (readonlyRootFilesystem is false)',
        evidence: { ...where, readonlyRootFilesystem: false },
      },
      {
        summary:
          'container "sidecar" in reporting-worker:7 has a writable root filesystem (readonlyRootFilesystem is not set)',
        evidence: { ...where, container: "sidecar", readonlyRootFilesystem: null },
      },
    ]);
  });

  it("is not applicable to WINDOWS_SERVER families; LINUX and unset are evaluated", () => {
    const writable = [container({ readonlyRootFilesystem: undefined })];
    expect(ecs5.evaluate(taskDef(windows, writable), ctx)).toEqual([]);
    expect(ecs5.evaluate(taskDef({ operatingSystemFamily: "LINUX" }, writable), ctx)).toHaveLength(1);
    expect(ecs5.evaluate(taskDef({}, writable), ctx)).toHaveLength(1);
  });
});

describe("ECS.20 non-root user", () => {
  it.each([undefined, "", "root", "0", "00", "0:0", "root:root", "0:1000", "root:app"])(
    "user %j runs as root",
    (user) => {
      expect(runsAsRoot(user)).toBe(true);
      expect(ecs20.evaluate(taskDef({}, [container({ user })]), ctx)).toHaveLength(1);
    },
  );

  it.each(["1000", "1000:0", "10001:10001", "app", "nobody", "rooter", "100"])("user %j does not", (user) => {
    expect(runsAsRoot(user)).toBe(false);
    expect(ecs20.evaluate(taskDef({}, [container({ user })]), ctx)).toEqual([]);
  });

  it("names the user (or its absence) and the user the remediation would set, from config", () => {
    const state = taskDef({}, [container({ user: "root" }), container({ name: "sidecar", user: undefined })]);
    expect(
      ecs20.evaluate(state, context({ containers: { taskDefinitions: { nonRootUser: "app:app" } } })),
    ).toEqual([
      {
        summary: 'container "app" in reporting-worker:7 runs as root (user "root")',
        evidence: { ...where, user: "root", replacementUser: "app:app" },
      },
      {
        summary: 'container "sidecar" in reporting-worker:7 runs as root (no user set)',
        evidence: { ...where, container: "sidecar", user: null, replacementUser: "app:app" },
      },
    ]);
  });

  it("is not applicable to WINDOWS_SERVER families", () => {
    expect(ecs20.evaluate(taskDef(windows, [container({ user: undefined })]), ctx)).toEqual([]);
  });
});

describe("ECS.8 secrets in environment", () => {
  const secretValue = "Tr0ub4dor-Orders-2025!";

  it("flags the fixed keys and secret-like names with values, by name and length, never the value", () => {
    const state = taskDef({}, [
      container({
        environment: [
          env("AWS_REGION", "us-east-1"),
          env("DB_PASSWORD", secretValue),
          env("ECS_ENGINE_AUTH_DATA", '{"https://index.docker.io/v1/":{"auth":"x"}}'),
        ],
      }),
    ]);
    const violations = ecs8.evaluate(state, ctx);
    expect(violations.map((v) => v.evidence)).toEqual([
      {
        ...where,
        location: "environment",
        variable: "DB_PASSWORD",
        reason: "secret-like name with a value",
        valueLength: 22,
      },
      {
        ...where,
        location: "environment",
        variable: "ECS_ENGINE_AUTH_DATA",
        reason: "ECS_ENGINE_AUTH_DATA is a credential and must not be set in plain text",
        valueLength: 44,
      },
    ]);
    expect(violations[0]?.summary).toBe(
      'container "app" in reporting-worker:7 sets DB_PASSWORD in plain-text environment: secret-like name with a value (22 characters)',
    );
    expect(JSON.stringify(violations)).not.toContain(secretValue);
  });

  it("flags a credential-shaped value under any name", () => {
    const state = taskDef({}, [container({ environment: [env("BOOTSTRAP", "AKIAXMPLQ7RZ5BDF2GHJ")] })]);
    expect(ecs8.evaluate(state, ctx).map((v) => v.evidence.reason)).toEqual([
      "the value is an AWS access key id",
    ]);
  });

  it("passes `secrets` with valueFrom, references, flags, empty fixed keys and accepted names", () => {
    const state = taskDef({}, [
      container({
        secretNames: ["DB_PASSWORD", "AWS_SECRET_ACCESS_KEY"],
        environment: [
          env("DB_PASSWORD_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"),
          env("TOKEN_URL", "https://auth.example.com/token"),
          env("USE_TOKEN", "true"),
          env("AWS_ACCESS_KEY_ID", ""),
          env("LICENSE_KEY", "orders-v3-license"),
        ],
      }),
    ]);
    expect(
      ecs8.evaluate(state, context({ containers: { images: { acceptedEnvNames: ["LICENSE_KEY"] } } })),
    ).toEqual([]);
    expect(ecs8.evaluate(state, ctx).map((v) => v.evidence.variable)).toEqual(["LICENSE_KEY"]);
  });

  it("a value CloudTrail hid is judged only for the fixed keys", () => {
    const state = taskDef({}, [
      container({ environment: [{ name: "DB_PASSWORD" }, { name: "AWS_SECRET_ACCESS_KEY" }] }),
    ]);
    expect(ecs8.evaluate(state, ctx).map((v) => v.evidence)).toEqual([
      {
        ...where,
        location: "environment",
        variable: "AWS_SECRET_ACCESS_KEY",
        reason: "AWS_SECRET_ACCESS_KEY is a credential and must not be set in plain text",
        valueHidden: true,
      },
    ]);
  });
});

describe("ECS.3 host PID mode and ECS.17 host network mode", () => {
  it("flag host, pass task/awsvpc/bridge/none and absent", () => {
    expect(ecs3.evaluate(taskDef({ pidMode: "host" }), ctx)).toEqual([
      {
        summary: "reporting-worker:7 shares the host's process namespace (pidMode: host)",
        evidence: { taskDefinition: where.taskDefinition, revision: 7, pidMode: "host" },
      },
    ]);
    expect(ecs17.evaluate(taskDef({ networkMode: "host" }), ctx)).toEqual([
      {
        summary: "reporting-worker:7 uses the host's network stack (networkMode: host)",
        evidence: { taskDefinition: where.taskDefinition, revision: 7, networkMode: "host" },
      },
    ]);
    for (const pidMode of ["task", undefined]) expect(ecs3.evaluate(taskDef({ pidMode }), ctx)).toEqual([]);
    for (const networkMode of ["awsvpc", "bridge", "none", undefined])
      expect(ecs17.evaluate(taskDef({ networkMode }), ctx)).toEqual([]);
  });
});

describe("ECS.9 log configuration", () => {
  it("flags every container without a log driver", () => {
    const state = taskDef({}, [container(), container({ name: "sidecar", logDriver: undefined })]);
    expect(ecs9.evaluate(state, ctx)).toEqual([
      {
        summary: 'container "sidecar" in reporting-worker:7 has no log configuration',
        evidence: { ...where, container: "sidecar", logDriver: null },
      },
    ]);
  });
});

describe("VIGIL.ECS.ADDED_CAPABILITIES", () => {
  it("flags the dangerous capabilities added (any spelling), once each, and names only those", () => {
    const state = taskDef({}, [
      container({ addedCapabilities: ["NET_BIND_SERVICE", "SYS_ADMIN", "cap_sys_ptrace", "SYS_ADMIN"] }),
    ]);
    expect(addedCapabilities.evaluate(state, ctx)).toEqual([
      {
        summary: 'container "app" in reporting-worker:7 adds dangerous capabilities: SYS_ADMIN, SYS_PTRACE',
        evidence: { ...where, addedCapabilities: ["SYS_ADMIN", "SYS_PTRACE"] },
      },
    ]);
  });

  it.each(["ALL", "SYS_MODULE", "NET_ADMIN", "DAC_READ_SEARCH"])("%s is dangerous", (cap) => {
    expect(
      addedCapabilities.evaluate(taskDef({}, [container({ addedCapabilities: [cap] })]), ctx),
    ).toHaveLength(1);
  });

  it("passes narrow capabilities often needed", () => {
    const caps = ["NET_BIND_SERVICE", "IPC_LOCK", "SYS_NICE", "CHOWN"];
    expect(addedCapabilities.evaluate(taskDef({}, [container({ addedCapabilities: caps })]), ctx)).toEqual(
      [],
    );
  });
});
