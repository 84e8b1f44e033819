import { CloudTrailClient, GetTrailCommand, UpdateTrailCommand } from "@aws-sdk/client-cloudtrail";
import {
  ConfigServiceClient,
  GetResourceConfigHistoryCommand,
  type ConfigurationItem,
} from "@aws-sdk/client-config-service";
import { DescribeKeyCommand, KMSClient } from "@aws-sdk/client-kms";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Violation } from "../../shared/checks/define";
import type { RemediationClients } from "../../shared/remediations/define";
import restore from "../../shared/remediations/restore-cloudtrail-kms-key";
import type { TrailState } from "../../shared/resources/cloudtrail-trail/state";
import { TRAIL_ARN, awsError } from "./support";

const ctClient = new CloudTrailClient({ region: "us-east-1" });
const cfgClient = new ConfigServiceClient({ region: "us-east-1" });
const kmsClient = new KMSClient({ region: "us-east-1" });
const ct = mockClient(ctClient);
const cfg = mockClient(cfgClient);
const kms = mockClient(kmsClient);
const clients = {
  cloudTrail: () => ctClient,
  configService: () => cfgClient,
  kms: () => kmsClient,
} as unknown as RemediationClients;

const KEY = "arn:aws:kms:us-east-1:111122223333:key/2b7e4c91-5d3a-4f86-9a1c-7e0b3d5f8a24";
const OLDER_KEY = "arn:aws:kms:us-east-1:111122223333:key/9f1d2c3b-4a5e-4f60-8a7b-6c5d4e3f2a10";
const CALL_TIME = "2025-03-16T02:12:30Z";
const state: TrailState = {
  trailArn: TRAIL_ARN,
  trailName: "org-audit-trail",
  kmsKeyId: null,
  logFileValidation: true,
  changedAt: CALL_TIME,
};
const removed: Violation = { summary: "s", evidence: { trailArn: TRAIL_ARN, kmsKeyId: null } };
const run = (dryRun = false, s: TrailState = state) =>
  restore.apply({ state: s, violations: [removed], dryRun }, clients);

const item = (at: string, kmsKeyId?: string, status = "OK"): ConfigurationItem => ({
  configurationItemStatus: status as ConfigurationItem["configurationItemStatus"],
  configurationItemCaptureTime: new Date(at),
  configuration: JSON.stringify({ name: "org-audit-trail", ...(kmsKeyId ? { kmsKeyId } : {}) }),
});
const writes = () => ct.commandCalls(UpdateTrailCommand).map((c) => c.args[0].input);

beforeEach(() => {
  kms.on(DescribeKeyCommand).resolves({ KeyMetadata: { KeyId: "k", Arn: KEY, KeyState: "Enabled" } });
  ct.on(GetTrailCommand).resolves({ Trail: { TrailARN: TRAIL_ARN } });
  ct.on(UpdateTrailCommand).resolves({ TrailARN: TRAIL_ARN, KmsKeyId: KEY });
});
afterEach(() => {
  ct.reset();
  cfg.reset();
  kms.reset();
});

describe("restore-cloudtrail-kms-key: which key", () => {
  it("the newest item before the call that names a key; newer keyless items (the removal) are passed over", async () => {
    cfg.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [
        item("2025-03-16T02:00:00Z"),
        item("2025-03-12T00:00:00Z", KEY),
        item("2025-02-01T00:00:00Z", OLDER_KEY),
      ],
    });
    const outcome = await run();
    expect(outcome).toEqual({
      result: "succeeded",
      action: `${TRAIL_ARN}: KMS key ${KEY} restored`,
      detail: expect.stringContaining("AWS Config's record of 2025-03-12T00:00:00.000Z"),
      awsCalls: 4,
    });
    expect(outcome.detail).toMatch(/not undoable by design/);
    expect(outcome.undo).toBeUndefined();
    expect(cfg.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input)).toEqual([
      {
        resourceType: "AWS::CloudTrail::Trail",
        resourceId: "org-audit-trail",
        laterTime: new Date(CALL_TIME),
        limit: 100,
      },
    ]);
    expect(kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: KEY }]);
    expect(ct.commandCalls(GetTrailCommand).map((c) => c.args[0].input)).toEqual([{ Name: TRAIL_ARN }]);
    expect(writes()).toEqual([{ Name: TRAIL_ARN, KmsKeyId: KEY }]);
  });

  it("Config knows the trail by ARN only: the name is tried first, then the ARN", async () => {
    cfg
      .on(GetResourceConfigHistoryCommand, { resourceId: "org-audit-trail" })
      .rejects(awsError("ResourceNotDiscoveredException"))
      .on(GetResourceConfigHistoryCommand, { resourceId: TRAIL_ARN })
      .resolves({ configurationItems: [item("2025-03-12T00:00:00Z", KEY)] });
    expect(await run()).toMatchObject({ result: "succeeded", awsCalls: 5 });
    expect(cfg.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input.resourceId)).toEqual([
      "org-audit-trail",
      TRAIL_ARN,
    ]);
  });

  it("a sweep (no call time) reads the history up to now", async () => {
    cfg
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [item("2025-03-12T00:00:00Z", KEY)] });
    const { changedAt: _, ...swept } = state;
    const before = Date.now();
    await run(false, swept);
    const later = cfg.commandCalls(GetResourceConfigHistoryCommand)[0]?.args[0].input.laterTime as Date;
    expect(later.getTime()).toBeGreaterThanOrEqual(before);
  });

  it.each([
    [
      "no item names a key",
      [item("2025-03-12T00:00:00Z"), item("2025-02-01T00:00:00Z", undefined, "ResourceDiscovered")],
      /none of AWS Config's 2 record\(s\) .* names a KMS key: the trail never had one to restore/,
    ],
    ["no item at all", [], /AWS Config has no record of trail org-audit-trail/],
    [
      "a deletion before the keyed item (another trail of that name)",
      [
        item("2025-03-12T00:00:00Z"),
        item("2025-03-01T00:00:00Z", undefined, "ResourceDeleted"),
        item("2025-02-01T00:00:00Z", KEY),
      ],
      /recorded the trail's deletion/,
    ],
  ])("%s: skipped, nothing else read or written, the reason given", async (_, items, reason) => {
    cfg.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: items });
    const outcome = await run();
    expect(outcome).toMatchObject({ result: "skipped", action: `no KMS key to restore on ${TRAIL_ARN}` });
    expect(outcome.detail).toMatch(reason);
    expect(kms.calls()).toHaveLength(0);
    expect(ct.calls()).toHaveLength(0);
  });

  it("Config refusing (AccessDenied) makes the key unknown: skipped; throttling is thrown (the event is retried)", async () => {
    cfg.on(GetResourceConfigHistoryCommand).rejects(awsError("AccessDeniedException"));
    expect(await run()).toMatchObject({
      result: "skipped",
      detail: expect.stringContaining("could not be read (AccessDeniedException)"),
    });
    cfg.reset();
    cfg.on(GetResourceConfigHistoryCommand).rejects(awsError("ThrottlingException", { $retryable: {} }));
    await expect(run()).rejects.toThrow(/Throttling/);
    expect(writes()).toEqual([]);
  });
});

describe("restore-cloudtrail-kms-key: is the key still usable", () => {
  beforeEach(() => {
    cfg
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [item("2025-03-12T00:00:00Z", KEY)] });
  });

  it.each([
    ["PendingDeletion", /is PendingDeletion \(deletion on 2025-04-01T00:00:00.000Z\)/],
    ["Disabled", /is Disabled/],
  ])("a key %s is not put back: skipped with the reason", async (keyState, reason) => {
    kms.on(DescribeKeyCommand).resolves({
      KeyMetadata: {
        KeyId: "k",
        KeyState: keyState as "Disabled",
        ...(keyState === "PendingDeletion" ? { DeletionDate: new Date("2025-04-01T00:00:00Z") } : {}),
      },
    });
    const outcome = await run();
    expect(outcome).toMatchObject({ result: "skipped" });
    expect(outcome.action).toMatch(reason);
    expect(ct.calls()).toHaveLength(0);
  });

  it("a key that no longer exists, or that Vigil may not describe: skipped", async () => {
    kms.on(DescribeKeyCommand).rejects(awsError("NotFoundException"));
    expect((await run()).action).toMatch(/no longer exists/);
    kms.reset();
    kms.on(DescribeKeyCommand).rejects(awsError("AccessDeniedException"));
    expect((await run()).action).toMatch(/may not describe key/);
    expect(writes()).toEqual([]);
  });

  it("a key in another Region than the trail's is not checked, so not used", async () => {
    cfg.reset();
    const elsewhere = KEY.replace("us-east-1", "eu-west-1");
    cfg
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [item("2025-03-12T00:00:00Z", elsewhere)] });
    expect(await run()).toMatchObject({
      result: "skipped",
      action: expect.stringContaining("is in eu-west-1, not the trail's Region us-east-1"),
    });
    expect(kms.calls()).toHaveLength(0);
    expect(writes()).toEqual([]);
  });
});

describe("restore-cloudtrail-kms-key: the trail now", () => {
  beforeEach(() => {
    cfg
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [item("2025-03-12T00:00:00Z", KEY)] });
  });

  it("already back on that key: already-gone, no write", async () => {
    ct.on(GetTrailCommand).resolves({ Trail: { KmsKeyId: KEY } });
    expect(await run()).toMatchObject({ result: "already-gone" });
    expect(writes()).toEqual([]);
  });

  it("given another key since: not overwritten", async () => {
    ct.on(GetTrailCommand).resolves({ Trail: { KmsKeyId: OLDER_KEY } });
    expect(await run()).toMatchObject({
      result: "skipped",
      action: `${TRAIL_ARN} was given key ${OLDER_KEY} since: not overwritten with ${KEY}`,
    });
    expect(writes()).toEqual([]);
  });

  it("the trail is gone: skipped, pointing at the deletion finding", async () => {
    ct.on(GetTrailCommand).rejects(awsError("TrailNotFoundException"));
    expect(await run()).toMatchObject({
      result: "skipped",
      action: expect.stringContaining("see VIGIL.CLOUDTRAIL.DELETED"),
    });
    expect(writes()).toEqual([]);
  });

  it("CloudTrail refusing the key (key policy): failed, finding stays open; an answer without the key is failed too", async () => {
    ct.on(UpdateTrailCommand).rejects(awsError("InsufficientEncryptionPolicyException"));
    expect(await run()).toMatchObject({
      result: "failed",
      action: `${TRAIL_ARN}: CloudTrail refused key ${KEY} (InsufficientEncryptionPolicyException)`,
    });
    ct.on(UpdateTrailCommand).resolves({ TrailARN: TRAIL_ARN });
    expect(await run()).toMatchObject({
      result: "failed",
      action: expect.stringContaining("answered key none"),
    });
  });
});

describe("restore-cloudtrail-kms-key: scope, dry-run, undo", () => {
  it("out of scope, dry-run and no key violation send nothing", async () => {
    expect(await run(false, { ...state, outOfScope: "elsewhere" })).toMatchObject({
      result: "skipped",
      action: "not remediated: elsewhere",
    });
    expect(await run(true)).toEqual({
      result: "planned",
      action: `UpdateTrail ${TRAIL_ARN} KmsKeyId=<the newest key AWS Config recorded for the trail before ${CALL_TIME}>, if that key is still enabled`,
      awsCalls: 0,
    });
    expect(
      await restore.apply(
        { state, violations: [{ summary: "s", evidence: { setting: "logging" } }], dryRun: false },
        clients,
      ),
    ).toMatchObject({ result: "skipped" });
    expect([...cfg.calls(), ...kms.calls(), ...ct.calls()]).toHaveLength(0);
  });

  it("undo is refused by design and declares no actions; the declared actions are exactly the calls made", async () => {
    await expect(restore.undo({ remediationId: restore.id, params: {} }, clients)).rejects.toThrow(
      /not undoable by design/,
    );
    expect(restore.undoIamActions).toEqual([]);
    expect(restore.iamActions).toEqual([
      "cloudtrail:GetTrail",
      "cloudtrail:UpdateTrail",
      "config:GetResourceConfigHistory",
      "kms:DescribeKey",
    ]);
  });
});
