import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configItemSchema } from "../../shared/events/config-item";
import { UnusableEventError, type Observation, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/secret/adapter";
import { PENDING_ROTATION_GRACE_MS } from "../../shared/resources/secret/live";
import { secretTarget } from "../../shared/resources/secret/ref";
import {
  ACCOUNT,
  ARN,
  CREATED,
  NAME,
  ROTATION_LAMBDA,
  awsError,
  liveSecret,
  pendingVersion,
  secretEvent,
} from "./support";

const detailOf = (name: string, change: (detail: Record<string, unknown>) => void = () => {}) => {
  const event = secretEvent(name);
  change(event.detail);
  return cloudTrailDetailSchema.parse(event.detail);
};
const itemOf = (name: string) =>
  configItemSchema.parse((secretEvent(name).detail as { configurationItem: unknown }).configurationItem);

const smClient = new SecretsManagerClient({ region: "us-east-1" });
const sm = mockClient(smClient);
const clients = { secretsManager: () => smClient } as unknown as ReadClients;
afterEach(() => {
  expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  sm.reset();
});

const RESOURCE = {
  type: "AWS::SecretsManager::Secret",
  id: ARN,
  arn: ARN,
  account: ACCOUNT,
  region: "us-east-1",
  name: NAME,
};
const pointer = (observedAt: string, extra: Record<string, unknown> = {}) => ({
  resource: RESOURCE,
  state: { arn: ARN, name: NAME, asOf: observedAt, ...extra },
  complete: false,
  observedAt,
  tagsKnown: false,
  needsRefresh: true,
});

describe("secretTarget", () => {
  it("reads region, account and name (without Secrets Manager's suffix) from the ARN", () => {
    expect(secretTarget(ARN)).toEqual({ arn: ARN, name: NAME, account: ACCOUNT, region: "us-east-1" });
    expect(secretTarget(ARN, "given")?.name).toBe("given");
  });

  it.each([undefined, null, "", NAME, "arn:aws:ssm:us-east-1:111122223333:parameter/x"])(
    "%j is not a secret ARN",
    (v) => {
      expect(secretTarget(v)).toBeUndefined();
    },
  );
});

describe("secret adapter: CloudTrail", () => {
  it.each([
    ["create-secret", "2025-03-20T07:44:18Z"],
    ["cancel-rotate-secret", "2025-03-20T07:52:36Z"],
    ["rotate-secret", "2025-03-20T07:44:26Z"],
    ["restore-secret", "2025-03-27T09:30:02Z"],
    ["rotation-succeeded", "2025-03-21T02:17:44Z"],
  ])("%s points at the secret (by aRN, arn or the event's SecretId) for a live read", (name, time) => {
    expect(adapter.fromCloudTrail(detailOf(name), ACCOUNT)).toEqual([pointer(time)]);
  });

  it("RotationFailed carries the failed step and function, not Secrets Manager's message", () => {
    const [observation] = adapter.fromCloudTrail(detailOf("rotation-failed"), ACCOUNT);
    expect(observation).toEqual(
      pointer("2025-03-20T07:45:11Z", {
        rotationFailure: { at: "2025-03-20T07:45:11Z", step: "setSecret", lambdaArn: ROTATION_LAMBDA },
      }),
    );
    expect(JSON.stringify(observation)).not.toContain("Error when executing");
  });

  it("a RotationFailed with another message still records the failure", () => {
    const detail = detailOf("rotation-failed", (d) => {
      d.errorMessage = "Secrets Manager cannot invoke the specified Lambda function.";
    });
    expect(adapter.fromCloudTrail(detail, ACCOUNT)[0]?.state).toMatchObject({
      rotationFailure: { at: "2025-03-20T07:45:11Z" },
    });
  });

  it.each([
    [
      "serviceEventDetails.secretId",
      (d: Record<string, unknown>) => (d.serviceEventDetails = { secretId: ARN }),
    ],
    [
      "the record's resources",
      (d: Record<string, unknown>) =>
        (d.resources = [{ accountId: ACCOUNT, type: "AWS::SecretsManager::Secret", ARN }]),
    ],
  ])("finds the secret of a rotation event in %s", (_where, place) => {
    const detail = detailOf("rotation-succeeded", (d) => {
      delete d.additionalEventData;
      place(d);
    });
    expect(adapter.fromCloudTrail(detail, ACCOUNT)[0]?.resource.id).toBe(ARN);
  });

  it("DeleteSecret: the secret is gone (scheduled or not), a whole view", () => {
    expect(adapter.fromCloudTrail(detailOf("delete-secret"), ACCOUNT)).toEqual([
      {
        resource: RESOURCE,
        state: undefined,
        complete: true,
        observedAt: "2025-03-27T09:12:40Z",
        tagsKnown: true,
      },
    ]);
  });

  it("an event naming no secret ARN is unusable (a bare name could be another, newer secret)", () => {
    expect(() => adapter.fromCloudTrail(detailOf("rotation-failed-no-secret-id"), ACCOUNT)).toThrow(
      new UnusableEventError("RotationFailed names no secret ARN"),
    );
    const byName = detailOf("cancel-rotate-secret", (d) => {
      d.responseElements = null;
    });
    expect(() => adapter.fromCloudTrail(byName, ACCOUNT)).toThrow(/CancelRotateSecret names no secret ARN/);
  });

  it("an event it has no reader for is unusable", () => {
    const detail = detailOf("create-secret", (d) => {
      d.eventName = "PutSecretValue";
    });
    expect(() => adapter.fromCloudTrail(detail, ACCOUNT)).toThrow(/no secret reader for PutSecretValue/);
  });
});

describe("secret adapter: Config", () => {
  it("an item points at the secret, with its tags, for a live read", () => {
    expect(adapter.fromConfigItem(itemOf("config-item-secret"))).toEqual({
      ...pointer("2025-03-20T07:54:21.000Z", { tags: { team: "orders" } }),
      tagsKnown: true,
    });
  });

  it("a deleted item: gone", () => {
    expect(adapter.fromConfigItem(itemOf("config-item-secret-deleted"))).toEqual({
      resource: RESOURCE,
      state: undefined,
      complete: true,
      observedAt: "2025-04-03T09:20:05.000Z",
      tagsKnown: true,
    });
  });

  it("an item without any ARN is unusable", () => {
    const item = {
      ...itemOf("config-item-secret"),
      ARN: null,
      resourceId: NAME,
      configuration: { Name: NAME },
    };
    expect(() => adapter.fromConfigItem(item)).toThrow(UnusableEventError);
  });
});

describe("secret adapter: live read (DescribeSecret)", () => {
  const refresh = (observation: Observation) =>
    adapter.refresh!(observation as Observation<"AWS::SecretsManager::Secret">, clients);

  it("reads the metadata by ARN into a whole view, tags included", async () => {
    sm.on(DescribeSecretCommand).resolves(
      liveSecret({
        LastAccessedDate: new Date("2025-03-20T00:00:00Z"),
        Tags: [{ Key: "team", Value: "orders" }],
      }),
    );
    const live = await refresh(pointer(CREATED));
    expect(sm.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input)).toEqual([{ SecretId: ARN }]);
    expect(sm.commandCalls(ListSecretVersionIdsCommand)).toHaveLength(0);
    expect(live).toEqual({
      resource: RESOURCE,
      observedAt: CREATED,
      complete: true,
      tagsKnown: true,
      needsRefresh: false,
      state: {
        arn: ARN,
        name: NAME,
        asOf: CREATED,
        tags: { team: "orders" },
        rotationEnabled: true,
        rotationLambdaArn: ROTATION_LAMBDA,
        rotationRules: { automaticallyAfterDays: 30 },
        createdDate: "2025-03-20T07:44:18.000Z",
        lastRotatedDate: "2025-03-20T07:44:38.000Z",
        lastAccessedDate: "2025-03-20T00:00:00.000Z",
        nextRotationDate: "2025-04-19T07:44:18.000Z",
      },
    });
  });

  it("a secret never configured for rotation has RotationEnabled absent: rotation is off", async () => {
    sm.on(DescribeSecretCommand).resolves(
      liveSecret({
        RotationEnabled: undefined,
        RotationLambdaARN: undefined,
        RotationRules: undefined,
        LastRotatedDate: undefined,
        NextRotationDate: undefined,
      }),
    );
    expect((await refresh(pointer(CREATED))).state).toMatchObject({ rotationEnabled: false });
  });

  it("scheduled deletion, service ownership and replicas are kept", async () => {
    sm.on(DescribeSecretCommand).resolves(
      liveSecret({
        DeletedDate: new Date("2025-03-27T09:12:40Z"),
        OwningService: "rds",
        PrimaryRegion: "eu-west-1",
      }),
    );
    expect((await refresh(pointer(CREATED))).state).toMatchObject({
      deletedDate: "2025-03-27T09:12:40.000Z",
      owningService: "rds",
      replica: true,
    });
  });

  it("the primary is not a replica", async () => {
    sm.on(DescribeSecretCommand).resolves(liveSecret({ PrimaryRegion: "us-east-1" }));
    expect((await refresh(pointer(CREATED))).state?.replica).toBeUndefined();
  });

  it("deleted meanwhile (ResourceNotFoundException): gone", async () => {
    sm.on(DescribeSecretCommand).rejects(awsError("ResourceNotFoundException"));
    expect(await refresh(pointer(CREATED))).toMatchObject({ state: undefined, complete: true });
  });

  it("other errors fail the event (it is retried)", async () => {
    sm.on(DescribeSecretCommand).rejects(awsError("AccessDeniedException"));
    await expect(refresh(pointer(CREATED))).rejects.toThrow(/AccessDeniedException/);
  });

  it("a reported failure stands until a rotation succeeds after it", async () => {
    const failed = pointer("2025-03-20T07:45:11Z", {
      rotationFailure: { at: "2025-03-20T07:45:11Z", step: "setSecret" },
    });
    sm.on(DescribeSecretCommand).resolves(liveSecret({ LastRotatedDate: new Date("2025-03-20T07:44:38Z") }));
    expect((await refresh(failed)).state?.rotationFailure).toEqual({
      at: "2025-03-20T07:45:11Z",
      step: "setSecret",
    });
    sm.reset();
    sm.on(DescribeSecretCommand).resolves(liveSecret({ LastRotatedDate: new Date("2025-03-21T02:17:40Z") }));
    expect((await refresh(failed)).state?.rotationFailure).toBeUndefined();
  });

  it("a version pending past any rotation's length is stuck; its date comes from ListSecretVersionIds", async () => {
    const { versions, pending } = pendingVersion(undefined, PENDING_ROTATION_GRACE_MS + 60_000);
    sm.on(DescribeSecretCommand).resolves(liveSecret(versions));
    const created = new Date(Date.now() - PENDING_ROTATION_GRACE_MS - 60_000);
    sm.on(ListSecretVersionIdsCommand).resolves({
      Versions: [{ VersionId: pending, VersionStages: ["AWSPENDING"], CreatedDate: created }],
    });
    const live = await refresh(pointer(CREATED));
    expect(sm.commandCalls(ListSecretVersionIdsCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: ARN, IncludeDeprecated: false },
    ]);
    expect(live.complete).toBe(true);
    expect(live.state?.pendingRotation).toEqual({ since: created.toISOString(), stuck: true });
  });

  it("a rotation in progress is not stuck, and the view is not whole: it can open findings, not close them", async () => {
    const { versions, list } = pendingVersion(undefined, 60_000);
    sm.on(DescribeSecretCommand).resolves(liveSecret(versions));
    sm.on(ListSecretVersionIdsCommand).resolves(list);
    const live = await refresh(pointer(CREATED));
    expect(live.complete).toBe(false);
    expect(live.state?.pendingRotation?.stuck).toBe(false);
  });

  it("readTags: DescribeSecret's tags; a deleted secret has none", async () => {
    sm.on(DescribeSecretCommand).resolves(
      liveSecret({ Tags: [{ Key: "vigil:exempt", Value: "SecretsManager.3" }] }),
    );
    const observation = adapter.fromCloudTrail(detailOf("create-secret"), ACCOUNT)[0]!;
    expect(await adapter.readTags(observation, clients)).toEqual({ "vigil:exempt": "SecretsManager.3" });
    sm.reset();
    sm.on(DescribeSecretCommand).rejects(awsError("ResourceNotFoundException"));
    expect(await adapter.readTags(observation, clients)).toEqual({});
  });
});
