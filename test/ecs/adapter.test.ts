import { DescribeTaskDefinitionCommand, ListTagsForResourceCommand } from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configItemSchema } from "../../shared/events/config-item";
import { valueFacts } from "../../shared/leaks/secret-values";
import adapter from "../../shared/resources/ecs-task-definition/adapter";
import { camelize } from "../../shared/resources/ecs-task-definition/from-config";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ACCOUNT, arnOf, ecsEvent, FAMILY, liveDefinitionFrom, stubDescribe } from "./support";

const detailOf = (name: string) => cloudTrailDetailSchema.parse(ecsEvent(name).detail);
const itemOf = (name: string) =>
  configItemSchema.parse((ecsEvent(name).detail as { configurationItem: unknown }).configurationItem);

const familyResource = {
  type: "AWS::ECS::TaskDefinition",
  id: FAMILY,
  arn: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/${FAMILY}`,
  account: ACCOUNT,
  region: "us-east-1",
  name: FAMILY,
};

/** The sample's one container, as the state holds it. */
const sampleContainer = {
  name: "reporting-worker",
  image: "111122223333.dkr.ecr.us-east-1.amazonaws.com/orders/api:2025.03.18-1",
  privileged: true,
  readonlyRootFilesystem: false,
  user: "root",
  environment: [
    { name: "AWS_REGION", facts: valueFacts("us-east-1") },
    { name: "DB_PASSWORD", facts: valueFacts("Tr0ub4dor-Orders-2025!") },
    { name: "AWS_SECRET_ACCESS_KEY", facts: valueFacts("FAKE/fixture+value/NOT+a+real+secret+000") },
  ],
  secretNames: [],
  logDriver: "awslogs",
  addedCapabilities: [],
};

const sampleState = {
  family: FAMILY,
  arn: arnOf(FAMILY, 7),
  revision: 7,
  status: "ACTIVE",
  networkMode: "bridge",
  containers: [sampleContainer],
};

describe("task-definition adapter: CloudTrail", () => {
  it("RegisterTaskDefinition: the family is the resource, the response's revision the state; a live read must confirm it", () => {
    expect(adapter.fromCloudTrail(detailOf("register-root-privileged-env-secrets"), ACCOUNT)).toEqual([
      {
        resource: familyResource,
        state: sampleState,
        complete: true,
        observedAt: "2025-03-19T13:20:09Z",
        tagsKnown: false,
        needsRefresh: true,
      },
    ]);
  });

  it("the state carries facts about environment values, never the values", () => {
    const [observation] = adapter.fromCloudTrail(detailOf("register-root-privileged-env-secrets"), ACCOUNT);
    expect(JSON.stringify(observation)).not.toContain("Tr0ub4dor");
    expect(JSON.stringify(observation)).not.toContain("FAKE/fixture");
  });

  it("values CloudTrail hid are unknown (no facts), not empty", () => {
    const [observation] = adapter.fromCloudTrail(detailOf("register-env-values-hidden"), ACCOUNT);
    expect(observation?.state?.containers[0]?.environment).toEqual([
      { name: "AWS_REGION" },
      { name: "DB_PASSWORD" },
      { name: "AWS_SECRET_ACCESS_KEY" },
    ]);
  });

  it("reads a Windows family's operating system, host modes and added capabilities", () => {
    const [windows] = adapter.fromCloudTrail(detailOf("register-windows-family"), ACCOUNT);
    expect(windows?.state).toMatchObject({
      family: "invoice-renderer-win",
      operatingSystemFamily: "WINDOWS_SERVER_2022_CORE",
    });
    const [host] = adapter.fromCloudTrail(detailOf("register-host-pid-network-capabilities"), ACCOUNT);
    expect(host?.state).toMatchObject({ networkMode: "host", pidMode: "host", revision: 12 });
    expect(host?.state?.containers.map((c) => [c.name, c.addedCapabilities, c.logDriver])).toEqual([
      ["agent", ["SYS_ADMIN", "NET_ADMIN", "NET_BIND_SERVICE"], "awslogs"],
      ["log-shipper", [], undefined],
    ]);
  });

  it("DeregisterTaskDefinition: the family, named by family:revision, with the INACTIVE revision as state", () => {
    const [observation] = adapter.fromCloudTrail(detailOf("deregister-revision-7"), ACCOUNT);
    expect(observation).toMatchObject({ resource: familyResource, needsRefresh: true });
    expect(observation?.state).toMatchObject({ revision: 7, status: "INACTIVE" });
  });

  it("a deregistration named by ARN and without a response still names the family", () => {
    const detail = detailOf("deregister-revision-7");
    detail.requestParameters = { taskDefinition: arnOf(FAMILY, 7) };
    detail.responseElements = null;
    const [observation] = adapter.fromCloudTrail(detail, ACCOUNT);
    expect(observation).toMatchObject({ resource: familyResource, state: undefined, needsRefresh: true });
  });

  it("rejects a registration that names no family, a deregistration it can't read, another call", () => {
    expect(() => adapter.fromCloudTrail(detailOf("register-missing-family-invalid"), ACCOUNT)).toThrow(
      "RegisterTaskDefinition names no family in its request or response",
    );
    expect(() => adapter.fromCloudTrail(detailOf("deregister-unparseable-name-invalid"), ACCOUNT)).toThrow(
      /neither family:revision nor an ARN/,
    );
    const other = { ...detailOf("deregister-revision-7"), eventName: "DeleteTaskDefinitions" };
    expect(() => adapter.fromCloudTrail(other, ACCOUNT)).toThrow(
      "no task-definition reader for DeleteTaskDefinitions",
    );
  });
});

describe("task-definition adapter: Config", () => {
  it("camelizes Config's PascalCase keys, deeply", () => {
    expect(
      camelize({ ContainerDefinitions: [{ LinuxParameters: { Capabilities: { Add: ["SYS_ADMIN"] } } }] }),
    ).toEqual({
      containerDefinitions: [{ linuxParameters: { capabilities: { add: ["SYS_ADMIN"] } } }],
    });
  });

  it("an item is one revision of the family, read like the API's shape, confirmed live before checks", () => {
    expect(adapter.fromConfigItem(itemOf("config-item-root-privileged-revision-7"))).toEqual({
      resource: familyResource,
      state: { ...sampleState, tags: {} },
      complete: true,
      observedAt: "2025-03-19T13:21:02.544Z",
      tagsKnown: false,
      needsRefresh: true,
    });
  });

  it("an INACTIVE revision's item says so; a deleted one has no state", () => {
    expect(adapter.fromConfigItem(itemOf("config-item-inactive-revision-7")).state).toMatchObject({
      revision: 7,
      status: "INACTIVE",
    });
    expect(adapter.fromConfigItem(itemOf("config-item-deleted-revision-5"))).toMatchObject({
      resource: familyResource,
      state: undefined,
      needsRefresh: true,
    });
  });

  it("history items (configuration as JSON text) read the same", () => {
    const item = itemOf("config-item-root-privileged-revision-7");
    const history = { ...item, configuration: JSON.stringify(item.configuration) };
    expect(adapter.fromConfigItem(history).state).toEqual(adapter.fromConfigItem(item).state);
  });

  it("rejects an unreadable configuration", () => {
    expect(() => adapter.fromConfigItem(itemOf("config-item-unreadable-configuration"))).toThrow(
      /unreadable configuration/,
    );
  });
});

describe("task-definition adapter: live reads", () => {
  let t: TestRuntime;
  beforeEach(async () => {
    t = await testRuntime();
  });
  afterEach(() => t.close());

  it("refresh reads the family's latest ACTIVE revision with its tags: complete, tags known, observed now", async () => {
    stubDescribe(t, liveDefinitionFrom("register-compliant-revision-8"), [
      { key: "team", value: "reporting" },
    ]);
    const [observation] = adapter.fromCloudTrail(detailOf("register-root-privileged-env-secrets"), ACCOUNT);
    const before = Date.now();
    const refreshed = await adapter.refresh?.(observation!, t.runtime.readClients!);
    expect(t.ecs.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input)).toEqual([
      { taskDefinition: FAMILY, include: ["TAGS"] },
    ]);
    expect(refreshed).toMatchObject({
      resource: familyResource,
      state: { revision: 8, status: "ACTIVE", tags: { team: "reporting" } },
      complete: true,
      tagsKnown: true,
      needsRefresh: false,
    });
    expect(Date.parse(refreshed!.observedAt)).toBeGreaterThanOrEqual(before);
  });

  it("a family with no ACTIVE revision left refreshes to no state (gone); other errors propagate", async () => {
    stubDescribe(t, undefined);
    const [observation] = adapter.fromCloudTrail(detailOf("deregister-revision-7"), ACCOUNT);
    expect(await adapter.refresh?.(observation!, t.runtime.readClients!)).toMatchObject({
      state: undefined,
      complete: true,
    });
    t.ecs
      .on(DescribeTaskDefinitionCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" }));
    await expect(adapter.refresh?.(observation!, t.runtime.readClients!)).rejects.toThrow("Rate exceeded");
  });

  it("readTags lists the seen revision's tags; a revision that is gone has none", async () => {
    const [observation] = adapter.fromCloudTrail(detailOf("register-root-privileged-env-secrets"), ACCOUNT);
    t.ecs.on(ListTagsForResourceCommand).resolves({ tags: [{ key: "vigil:exempt", value: "ECS.5" }] });
    expect(await adapter.readTags(observation!, t.runtime.readClients!)).toEqual({ "vigil:exempt": "ECS.5" });
    expect(t.ecs.commandCalls(ListTagsForResourceCommand)[0]?.args[0].input).toEqual({
      resourceArn: arnOf(FAMILY, 7),
    });
    t.ecs.on(ListTagsForResourceCommand).rejects(
      Object.assign(new Error("The specified task definition does not exist."), {
        name: "ClientException",
      }),
    );
    expect(await adapter.readTags(observation!, t.runtime.readClients!)).toEqual({});
  });
});
