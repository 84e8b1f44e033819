import {
  CreateKeyCommand,
  EnableKeyRotationCommand,
  KMSClient,
  ScheduleKeyDeletionCommand,
} from "@aws-sdk/client-kms";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../../shared/events/cloudtrail";
import adapter from "../../../shared/resources/kms-key/adapter";
import defaultCollector, { kmsKeysCollector } from "../../../shared/sweep/collectors/kms-keys";
import { loadEvent } from "../../support/events";
import type { KmsDouble } from "../../support/local-aws/kms";
import { startLocalAws, type LocalAws } from "../../support/local-aws/server";
import { ACCOUNT, collectAll, collectContext, credentials, REGION, verdicts, violated } from "./data-context";

const SAMPLE_KEY = "7d2f9b4e-1a6c-4e83-b5d0-3c8a6f1e9b27";

describe("KMS keys collector (against the local KMS double)", () => {
  let aws: LocalAws;
  let kms: KMSClient;

  beforeEach(async () => {
    aws = await startLocalAws();
    kms = new KMSClient({ endpoint: aws.endpoint, region: REGION, credentials, maxAttempts: 1 });
  });
  afterEach(async () => {
    kms.destroy();
    await aws.close();
  });

  const createKey = async (input: ConstructorParameters<typeof CreateKeyCommand>[0] = {}) =>
    (await kms.send(new CreateKeyCommand(input))).KeyMetadata?.KeyId ?? "";

  it("pages ListKeys and yields every key once: kind, rotation where it applies, pending deletion", async () => {
    const notRotating = await createKey();
    const rotating = await createKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: rotating }));
    const signing = await createKey({ KeySpec: "ECC_NIST_P256", KeyUsage: "SIGN_VERIFY" });
    const doomed = await createKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: doomed, PendingWindowInDays: 7 }));
    const awsManaged = aws.double<KmsDouble>("kms").addAwsManagedKey(REGION).keyId;

    const found = await collectAll(kmsKeysCollector(2), collectContext({ kms }));

    expect(aws.calls("kms", "ListKeys").map((c) => c.params)).toEqual([
      { Limit: "2" },
      { Limit: "2", Marker: "2" },
      { Limit: "2", Marker: "4" },
    ]);
    expect(found.map((o) => o.resource.id)).toEqual([notRotating, rotating, signing, doomed, awsManaged]);
    expect(found.every((o) => o.complete && !o.tagsKnown && o.resource.account === ACCOUNT)).toBe(true);
    // Rotation is read only where KMS rotates: not for the signing key, the pending-deletion one or the AWS managed one.
    expect(aws.calls("kms", "GetKeyRotationStatus").map((c) => c.params?.KeyId)).toEqual(
      [notRotating, rotating].map((id) => `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`),
    );
    expect(found.map(violated)).toEqual([["KMS.4"], [], [], ["KMS.3"], []]);
    const deletion = found[3]?.state?.deletion;
    expect(deletion).toMatchObject({ keyState: "PendingDeletion", pendingWindowInDays: 7 });
    // Scheduled "now" (the double's clock): the deletion date less the 7-day window.
    expect(Math.abs(Date.parse(deletion?.scheduledAt ?? "") - Date.now())).toBeLessThan(60_000);
    expect(found[4]?.state?.key).toMatchObject({ keyManager: "AWS" });
  });

  it("judges a key as the rotation call's refreshed observation is judged", async () => {
    const keyId = await createKey();
    const [swept] = await collectAll(defaultCollector, collectContext({ kms }));
    const event = JSON.parse(
      JSON.stringify(loadEvent("kms/DisableKeyRotation.json")).replaceAll(SAMPLE_KEY, keyId),
    );
    const [fromEvent] = adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
    const refreshed = await adapter.refresh!(fromEvent!, collectContext({ kms }).clients);

    expect(swept?.resource).toEqual(refreshed.resource);
    expect(violated(refreshed)).toEqual(["KMS.4"]);
    const kms4 = (o: typeof refreshed) => verdicts(o).find((v) => v.checkId === "KMS.4");
    expect(kms4(swept!)).toEqual(kms4(refreshed));
  });

  it("judges a pending deletion as the ScheduleKeyDeletion call is judged", async () => {
    const keyId = await createKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    const [swept] = await collectAll(defaultCollector, collectContext({ kms }));
    const event = JSON.parse(
      JSON.stringify(loadEvent("kms/ScheduleKeyDeletion.json")).replaceAll(SAMPLE_KEY, keyId),
    );
    const [fromEvent] = adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);

    expect(swept?.resource).toEqual(fromEvent?.resource);
    expect(violated(fromEvent!)).toContain("KMS.3");
    expect(violated(swept!)).toEqual(["KMS.3"]);
    // Same finding, same kind of evidence; only the dates differ (the sample's vs the double's clock).
    const evidenceKeys = (o: typeof swept) =>
      Object.keys(verdicts(o!).find((v) => v.checkId === "KMS.3")?.violations[0]?.evidence ?? {}).sort();
    expect(evidenceKeys(swept)).toEqual(evidenceKeys(fromEvent));
  });

  it("names exactly the read actions it makes", () => {
    expect(defaultCollector.iamActions).toEqual([
      "kms:ListKeys",
      "kms:DescribeKey",
      "kms:GetKeyRotationStatus",
    ]);
  });
});
