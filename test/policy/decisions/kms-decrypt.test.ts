import { describe, expect, it } from "vitest";
import { findKmsDecryptOnAllKeys } from "../../../shared/policy";
import { allow, loadFixture, policy, statements } from "../support";

const granted = (document: Parameters<typeof findKmsDecryptOnAllKeys>[0]) =>
  findKmsDecryptOnAllKeys(document).map((grant) => grant.actions);

describe("findKmsDecryptOnAllKeys (KMS.1 / KMS.2)", () => {
  it("reports kms:Decrypt and kms:ReEncryptFrom on Resource *, through any wildcard", () => {
    expect(granted(allow({ Action: "kms:Decrypt", Resource: "*" }))).toEqual([["kms:Decrypt"]]);
    expect(granted(allow({ Action: "kms:*", Resource: "*" }))).toEqual([
      ["kms:Decrypt", "kms:ReEncryptFrom"],
    ]);
    expect(granted(allow({ Action: "kms:ReEncrypt*", Resource: "*" }))).toEqual([["kms:ReEncryptFrom"]]);
    expect(granted(allow({ Action: ["KMS:decrypt*"], Resource: "*" }))).toEqual([["kms:Decrypt"]]);
    expect(granted(allow({ NotAction: "kms:Decrypt", Resource: "*" }))).toEqual([["kms:ReEncryptFrom"]]);
  });

  it("treats key ARNs of every account and region as all keys", () => {
    expect(granted(allow({ Action: "kms:Decrypt", Resource: "arn:aws:kms:*:*:key/*" }))).toEqual([
      ["kms:Decrypt"],
    ]);
    expect(granted(allow({ Action: "kms:Decrypt", Resource: "arn:aws:kms:*:*:*" }))).toEqual([
      ["kms:Decrypt"],
    ]);
  });

  it("does not report keys of one account (Security Hub's own remediation advice), aliases, or named keys", () => {
    for (const resource of [
      "arn:aws:kms:us-east-1:111122223333:key/*",
      "arn:aws:kms:*:111122223333:key/*",
      "arn:aws:kms:*:*:alias/*",
      "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    ]) {
      expect(granted(allow({ Action: "kms:Decrypt", Resource: resource }))).toEqual([]);
    }
  });

  it("NotResource that leaves arbitrary keys in is all keys; NotResource * is none", () => {
    const [grant] = findKmsDecryptOnAllKeys(
      allow({
        Action: "kms:Decrypt",
        NotResource: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      }),
    );
    expect(grant).toMatchObject({ actions: ["kms:Decrypt"], resourceVia: "NotResource" });
    expect(granted(allow({ Action: "kms:Decrypt", NotResource: "*" }))).toEqual([]);
  });

  it("an unconditional Deny of one action on all keys leaves the other", () => {
    const document = statements(
      { Effect: "Allow", Action: "kms:*", Resource: "*" },
      { Effect: "Deny", Action: "kms:Decrypt", Resource: "*" },
    );
    expect(findKmsDecryptOnAllKeys(document)).toMatchObject([
      { actions: ["kms:ReEncryptFrom"], limitedBy: [] },
    ]);
  });

  it("reports conditional grants as conditional (the Config rule does not evaluate conditions)", () => {
    const [grant] = findKmsDecryptOnAllKeys(
      allow({
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } },
      }),
    );
    expect(grant).toMatchObject({ conditional: true, conditions: ["StringEquals kms:viaservice"] });
    expect(grant?.reason).toBe("statement 0 allows kms:Decrypt on all KMS keys (*)");
  });

  it("Deny statements never grant, and other actions are not asked about unless given", () => {
    expect(granted(statements({ Effect: "Deny", Action: "kms:Decrypt", Resource: "*" }))).toEqual([]);
    expect(granted(allow({ Action: "kms:GenerateDataKey", Resource: "*" }))).toEqual([]);
    const custom = findKmsDecryptOnAllKeys(allow({ Action: "kms:Generate*", Resource: "*" }), {
      actions: ["kms:GenerateDataKey"],
    });
    expect(custom.map((g) => g.actions)).toEqual([["kms:GenerateDataKey"]]);
  });

  it("on real samples: the break-glass policy allows both on all keys; the read-only S3 policy none", () => {
    const put = loadFixture("cloudtrail-iam-PutUserPolicy-star-star.json");
    const document = policy((put.detail.requestParameters as { policyDocument: string }).policyDocument);
    expect(granted(document)).toEqual([["kms:Decrypt", "kms:ReEncryptFrom"]]);
    const config = loadFixture("config-item-change-iam-policy-admin-version.json");
    const item = config.detail.configurationItem as {
      configuration: { policyVersionList: { document: string }[] };
    };
    expect(granted(policy(item.configuration.policyVersionList[1]?.document))).toEqual([]);
  });

  it("takes a principal's inline policies together, naming the document", () => {
    const grants = findKmsDecryptOnAllKeys([
      allow({ Action: "s3:*", Resource: "*" }),
      allow({ Action: "kms:Decrypt", Resource: "*" }),
    ]);
    expect(grants.map((g) => g.statement)).toEqual([{ index: 0, document: 1 }]);
  });
});
