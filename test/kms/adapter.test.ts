import {
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  KMSClient,
  ListResourceTagsCommand,
} from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { UnusableEventError, type Observation, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/kms-key/adapter";
import { ACCOUNT, KEY, KEY_ARN, NEW_KEY, NEW_KEY_ARN, awsError, describeKey, kmsEvent } from "./support";

const kmsClient = new KMSClient({ region: "us-east-1" });
const kms = mockClient(kmsClient);
const clients = { kms: () => kmsClient } as unknown as ReadClients;
afterEach(() => kms.reset());

const observe = (name: string, change: (d: Record<string, unknown>) => void = () => {}) => {
  const event = kmsEvent(name);
  change(event.detail);
  return adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
};
const one = (name: string, change?: (d: Record<string, unknown>) => void): Observation<"AWS::KMS::Key"> => {
  const [observation] = observe(name, change) as Observation<"AWS::KMS::Key">[];
  if (!observation) throw new Error("no observation");
  return observation;
};
const keyRef = { type: "AWS::KMS::Key", id: KEY, arn: KEY_ARN, account: ACCOUNT, region: "us-east-1" };

describe("KMS key adapter: CloudTrail", () => {
  it("ScheduleKeyDeletion: the schedule from the answer, the date in UTC, no read needed", () => {
    expect(observe("ScheduleKeyDeletion")).toEqual([
      {
        resource: keyRef,
        state: {
          keyId: KEY,
          keyArn: KEY_ARN,
          region: "us-east-1",
          deletion: {
            scheduledAt: "2025-03-21T18:09:47Z",
            deletionDate: "2025-03-28T18:09:47.000Z",
            pendingWindowInDays: 7,
            keyState: "PendingDeletion",
          },
        },
        complete: true,
        observedAt: "2025-03-21T18:09:47Z",
        tagsKnown: false,
      },
    ]);
  });

  it("ScheduleKeyDeletion of a multi-Region primary with replicas: no deletion date (not known yet)", () => {
    const observation = one("ScheduleKeyDeletion", (d) => {
      d.requestParameters = { keyId: KEY, pendingWindowInDays: 30 };
      d.responseElements = { keyId: KEY_ARN, keyState: "PendingReplicaDeletion", pendingWindowInDays: 30 };
    });
    expect(observation.state?.deletion).toEqual({
      scheduledAt: "2025-03-21T18:09:47Z",
      pendingWindowInDays: 30,
      keyState: "PendingReplicaDeletion",
    });
  });

  it("CancelKeyDeletion by key id: no deletion pending, same finding resource as by ARN", () => {
    const observation = one("CancelKeyDeletion");
    expect(observation.resource).toEqual(keyRef);
    expect(observation.state).toEqual({ keyId: KEY, keyArn: KEY_ARN, region: "us-east-1", deletion: null });
    expect(observation.complete).toBe(true);
  });

  it("DisableKeyRotation: rotation off, to be confirmed live", () => {
    expect(one("DisableKeyRotation")).toMatchObject({
      resource: keyRef,
      state: { keyId: KEY, rotation: { enabled: false } },
      needsRefresh: true,
    });
  });

  it("EnableKeyRotation: rotation on with the period asked for, no read", () => {
    const observation = one("EnableKeyRotation");
    expect(observation.state?.rotation).toEqual({ enabled: true, periodInDays: 180 });
    expect(observation.needsRefresh).toBeUndefined();
  });

  it("CreateKey of a symmetric customer key: its kind from the answer, rotation off, confirmed live", () => {
    expect(one("CreateKey-symmetric")).toMatchObject({
      resource: { id: NEW_KEY, arn: NEW_KEY_ARN },
      state: {
        key: { keySpec: "SYMMETRIC_DEFAULT", keyManager: "CUSTOMER", origin: "AWS_KMS", keyState: "Enabled" },
        rotation: { enabled: false },
      },
      needsRefresh: true,
    });
  });

  it("CreateKey of an asymmetric signing key needs no read (rotation doesn't apply)", () => {
    const observation = one("CreateKey-asymmetric-signing");
    expect(observation.state?.key?.keySpec).toBe("RSA_2048");
    expect(observation.needsRefresh).toBeUndefined();
  });

  it("CreateKey logged for a multi-Region replica (ReplicateKey) needs no read", () => {
    const observation = one("CreateKey-symmetric", (d) => {
      const meta = (d.responseElements as { keyMetadata: Record<string, unknown> }).keyMetadata;
      meta.multiRegion = true;
      meta.multiRegionConfiguration = { multiRegionKeyType: "REPLICA" };
    });
    expect(observation.state?.key?.multiRegionKeyType).toBe("REPLICA");
    expect(observation.needsRefresh).toBeUndefined();
  });

  it("a key ARN of another account is kept apart (out of scope)", () => {
    const other = "arn:aws:kms:us-east-1:444455556666:key/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    const observation = one("DisableKeyRotation", (d) => (d.requestParameters = { keyId: other }));
    expect(observation.resource).toMatchObject({
      id: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
      account: "444455556666",
    });
    expect(observation.state?.outOfScope).toMatch(/outside the call's account/);
  });

  it.each([
    ["no keyId", "DisableKeyRotation", (d: Record<string, unknown>) => (d.requestParameters = {})],
    [
      "an alias",
      "DisableKeyRotation",
      (d: Record<string, unknown>) => (d.requestParameters = { keyId: "alias/orders" }),
    ],
    [
      "no requestParameters",
      "ScheduleKeyDeletion",
      (d: Record<string, unknown>) => (d.requestParameters = null),
    ],
    [
      "a CreateKey answer without metadata",
      "CreateKey-symmetric",
      (d: Record<string, unknown>) => (d.responseElements = { keyId: NEW_KEY }),
    ],
  ])("malformed (%s) is unusable", (_, name, change) => {
    expect(() => observe(name, change)).toThrow(UnusableEventError);
  });
});

describe("KMS key adapter: live reads", () => {
  it("refresh after DisableKeyRotation: DescribeKey then GetKeyRotationStatus, both by ARN", async () => {
    kms.on(DescribeKeyCommand).resolves(describeKey());
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    const refreshed = await adapter.refresh?.(one("DisableKeyRotation"), clients);
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: KEY_ARN }]);
    expect(kms.commandCalls(GetKeyRotationStatusCommand).map((c) => c.args[0].input)).toEqual([
      { KeyId: KEY_ARN },
    ]);
    expect(refreshed?.state).toEqual({
      keyId: KEY,
      keyArn: KEY_ARN,
      region: "us-east-1",
      key: { keySpec: "SYMMETRIC_DEFAULT", keyManager: "CUSTOMER", origin: "AWS_KMS", keyState: "Enabled" },
      rotation: { enabled: false },
    });
    expect(refreshed?.needsRefresh).toBe(false);
  });

  it("rotation back on by the time of the read: the live answer wins", async () => {
    kms.on(DescribeKeyCommand).resolves(describeKey());
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: true, RotationPeriodInDays: 90 });
    const refreshed = await adapter.refresh?.(one("DisableKeyRotation"), clients);
    expect(refreshed?.state?.rotation).toEqual({ enabled: true, periodInDays: 90 });
  });

  it("a key rotation doesn't apply to is not asked about rotation", async () => {
    kms.on(DescribeKeyCommand).resolves(describeKey({ KeyManager: "AWS" }));
    const refreshed = await adapter.refresh?.(one("DisableKeyRotation"), clients);
    expect(kms.commandCalls(GetKeyRotationStatusCommand)).toHaveLength(0);
    expect(refreshed?.state).toMatchObject({ key: { keyManager: "AWS" } });
    expect(refreshed?.state?.rotation).toBeUndefined();
  });

  it("CreateKey: the kind is known already, only the rotation is read", async () => {
    kms.on(GetKeyRotationStatusCommand).resolves({ KeyRotationEnabled: false });
    await adapter.refresh?.(one("CreateKey-symmetric"), clients);
    expect(kms.commandCalls(DescribeKeyCommand)).toHaveLength(0);
    expect(kms.commandCalls(GetKeyRotationStatusCommand).map((c) => c.args[0].input)).toEqual([
      { KeyId: NEW_KEY_ARN },
    ]);
  });

  it.each(["AccessDeniedException", "NotFoundException"])(
    "a key KMS won't describe (%s) is unreadable: no rotation claim is kept",
    async (name) => {
      kms.on(DescribeKeyCommand).rejects(awsError(name));
      const refreshed = await adapter.refresh?.(one("DisableKeyRotation"), clients);
      expect(refreshed?.state?.unreadable).toBe(`KMS answered ${name}`);
      expect(refreshed?.state?.rotation).toBeUndefined();
    },
  );

  it("a throttled read fails (the event is retried)", async () => {
    kms.on(DescribeKeyCommand).rejects(awsError("ThrottlingException"));
    await expect(adapter.refresh?.(one("DisableKeyRotation"), clients)).rejects.toThrow(
      /ThrottlingException/,
    );
  });

  it("readTags reads every page of the key's tags; none for a key that is gone", async () => {
    kms
      .on(ListResourceTagsCommand)
      .resolvesOnce({ Tags: [{ TagKey: "team", TagValue: "payments" }], Truncated: true, NextMarker: "m1" })
      .resolvesOnce({ Tags: [{ TagKey: "vigil:exempt", TagValue: "KMS.4" }], Truncated: false });
    expect(await adapter.readTags(one("DisableKeyRotation"), clients)).toEqual({
      team: "payments",
      "vigil:exempt": "KMS.4",
    });
    expect(kms.commandCalls(ListResourceTagsCommand).map((c) => c.args[0].input)).toEqual([
      { KeyId: KEY_ARN },
      { KeyId: KEY_ARN, Marker: "m1" },
    ]);
    kms.on(ListResourceTagsCommand).rejects(awsError("NotFoundException"));
    expect(await adapter.readTags(one("DisableKeyRotation"), clients)).toEqual({});
  });
});
