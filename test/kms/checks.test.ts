import { describe, expect, it } from "vitest";
import kms3 from "../../shared/checks/kms/kms-3-scheduled-deletion";
import kms4 from "../../shared/checks/kms/kms-4-rotation";
import { parseConfig } from "../../shared/config/load";
import { kmsDate } from "../../shared/resources/kms-key/dates";
import { whyRotationDoesNotApply } from "../../shared/resources/kms-key/rotation-support";
import type { KmsKeyState } from "../../shared/resources/kms-key/state";
import { KEY, KEY_ARN, symmetricCustomerKey } from "./support";

const context = { config: parseConfig({}) };
const base: KmsKeyState = { keyId: KEY, keyArn: KEY_ARN, region: "us-east-1" };
const judge = (check: typeof kms3 | typeof kms4, state: KmsKeyState) => ({
  undecided: check.undecided?.(state, context),
  violations: check.evaluate(state, context),
});

describe("KMS.3 evaluate", () => {
  const scheduled = {
    scheduledAt: "2025-03-21T18:09:47Z",
    deletionDate: "2025-03-28T18:09:47.000Z",
    pendingWindowInDays: 7,
    keyState: "PendingDeletion",
  };

  it("non-compliant: a scheduled deletion, naming the date and the waiting period", () => {
    expect(judge(kms3, { ...base, deletion: scheduled })).toEqual({
      undecided: undefined,
      violations: [
        {
          summary: `KMS key ${KEY} is scheduled for deletion on 2025-03-28T18:09:47.000Z (7-day waiting period)`,
          evidence: {
            keyArn: KEY_ARN,
            setting: "deletion",
            scheduledAt: "2025-03-21T18:09:47Z",
            deletionDate: "2025-03-28T18:09:47.000Z",
            pendingWindowInDays: 7,
            keyState: "PendingDeletion",
          },
        },
      ],
    });
  });

  it("a multi-Region primary with replicas has no deletion date yet: says when it starts", () => {
    const [violation] = kms3.evaluate(
      {
        ...base,
        deletion: {
          scheduledAt: scheduled.scheduledAt,
          pendingWindowInDays: 30,
          keyState: "PendingReplicaDeletion",
        },
      },
      context,
    );
    expect(violation?.summary).toBe(
      `KMS key ${KEY} is scheduled for deletion once its replica keys are deleted (30-day waiting period)`,
    );
    expect(violation?.evidence.deletionDate).toBeNull();
  });

  it("compliant: no deletion pending (CancelKeyDeletion)", () => {
    expect(judge(kms3, { ...base, deletion: null })).toEqual({ undecided: undefined, violations: [] });
  });

  it("undecided when the source says nothing about deletion", () => {
    expect(judge(kms3, { ...base, rotation: { enabled: false } }).undecided).toMatch(/does not say/);
  });

  it("is CRITICAL, FSBP KMS.3, remediation dry-run by default", () => {
    expect(kms3).toMatchObject({
      severity: "CRITICAL",
      controls: ["FSBP KMS.3"],
      remediation: { id: "cancel-kms-key-deletion", defaultMode: "dry-run" },
      triggers: {
        cloudTrail: [
          { eventSource: "kms.amazonaws.com", eventNames: ["ScheduleKeyDeletion", "CancelKeyDeletion"] },
        ],
      },
    });
  });
});

describe("KMS.4 evaluate", () => {
  it("non-compliant: a symmetric customer key without rotation", () => {
    expect(judge(kms4, { ...base, key: symmetricCustomerKey, rotation: { enabled: false } })).toEqual({
      undecided: undefined,
      violations: [
        {
          summary: `automatic rotation is off on KMS key ${KEY}`,
          evidence: {
            keyArn: KEY_ARN,
            setting: "rotation",
            rotationEnabled: false,
            keySpec: "SYMMETRIC_DEFAULT",
            keyState: "Enabled",
          },
        },
      ],
    });
  });

  it("compliant: rotation on, whatever is known of the key", () => {
    expect(judge(kms4, { ...base, rotation: { enabled: true, periodInDays: 180 } })).toEqual({
      undecided: undefined,
      violations: [],
    });
  });

  it.each([
    ["an AWS managed key", { keyManager: "AWS" }],
    ["an asymmetric key", { keySpec: "RSA_2048" }],
    ["an HMAC key", { keySpec: "HMAC_256" }],
    ["imported key material", { origin: "EXTERNAL" }],
    ["a CloudHSM key store key", { origin: "AWS_CLOUDHSM" }],
    ["an external key store key", { origin: "EXTERNAL_KEY_STORE" }],
    ["a multi-Region replica", { multiRegionKeyType: "REPLICA" }],
    ["a key pending deletion", { keyState: "PendingDeletion" }],
  ])("not applicable: %s (decided, no violation)", (_, facts) => {
    const key = { ...symmetricCustomerKey, ...facts };
    expect(whyRotationDoesNotApply(key)).toBeDefined();
    expect(judge(kms4, { ...base, key, rotation: { enabled: false } })).toEqual({
      undecided: undefined,
      violations: [],
    });
    expect(judge(kms4, { ...base, key })).toEqual({ undecided: undefined, violations: [] });
  });

  it("a disabled symmetric customer key without rotation is still reported", () => {
    const key = { ...symmetricCustomerKey, keyState: "Disabled" };
    expect(whyRotationDoesNotApply(key)).toBeUndefined();
    expect(kms4.evaluate({ ...base, key, rotation: { enabled: false } }, context)).toHaveLength(1);
  });

  it("undecided: rotation off but the kind of key unknown; rotation unknown; key unreadable", () => {
    expect(judge(kms4, { ...base, rotation: { enabled: false } }).undecided).toMatch(/kind of key/);
    expect(judge(kms4, { ...base, key: symmetricCustomerKey }).undecided).toMatch(/whether the key rotates/);
    expect(judge(kms4, { ...base, unreadable: "KMS answered AccessDeniedException" }).undecided).toBe(
      "the key could not be read: KMS answered AccessDeniedException",
    );
  });

  it("is MEDIUM, SecurityHub KMS.4 / CIS 3.6, remediation auto by default", () => {
    expect(kms4).toMatchObject({
      severity: "MEDIUM",
      controls: ["SecurityHub KMS.4", "CIS 3.6"],
      remediation: { id: "enable-kms-key-rotation", defaultMode: "auto" },
      iamActions: ["kms:DescribeKey", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
    });
  });
});

describe("kmsDate", () => {
  it.each([
    ["Mar 28, 2025, 6:09:47 PM", "2025-03-28T18:09:47.000Z"],
    ["Nov 2, 2021, 11:25:25 PM", "2021-11-02T23:25:25.000Z"],
    ["Aug 10, 2022 10:38:27 PM", "2022-08-10T22:38:27.000Z"],
    ["Jan 1, 2025, 12:00:01 AM", "2025-01-01T00:00:01.000Z"],
    ["Jan 1, 2025, 12:30:00 PM", "2025-01-01T12:30:00.000Z"],
    ["2025-03-28T18:09:47Z", "2025-03-28T18:09:47.000Z"],
  ])("%s is %s (UTC)", (text, iso) => {
    expect(kmsDate(text)).toBe(iso);
  });

  it("epoch seconds and milliseconds", () => {
    expect(kmsDate(1743185387)).toBe("2025-03-28T18:09:47.000Z");
    expect(kmsDate(1743185387000)).toBe("2025-03-28T18:09:47.000Z");
  });

  it.each(["next Friday", "Foo 28, 2025, 6:09:47 PM", "Mar 28, 2025, 13:09:47 PM", ""])(
    "%j is not guessed",
    (text) => {
      expect(kmsDate(text)).toBeUndefined();
    },
  );
});
