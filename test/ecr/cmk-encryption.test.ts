import { DescribeRepositoriesCommand, GetRegistryScanningConfigurationCommand } from "@aws-sdk/client-ecr";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { processEvent } from "../../shared/pipeline/process-event";
import adapter from "../../shared/resources/ecr-repository/adapter";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ACCOUNT,
  AWS_ECR_KEY,
  CMK,
  awsError,
  ecrEvent,
  idFor,
  stubKeys,
  stubLiveRepository,
  stubRegistry,
  stubTags,
} from "./support";

const BUILDER = "tools/builder";
const describeKeyInputs = (t: TestRuntime) =>
  t.kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input);

describe("ECR repository adapter and KMS keys", () => {
  it("a named key is read before judging: the observation asks for a refresh", () => {
    const observe = (name: string) =>
      adapter.fromCloudTrail(cloudTrailDetailSchema.parse(ecrEvent(name).detail), ACCOUNT)[0];
    expect(observe("create-repository-immutable-scanned-cmk")).toMatchObject({ needsRefresh: true });
    expect(observe("create-repository-immutable-scanned-cmk")?.state?.pendingRead).toBeUndefined();
    expect(observe("create-repository-kms-dsse-customer-alias")).toMatchObject({ needsRefresh: true });
    // aws/ecr by alias or by default needs no read; AES256 needs none either.
    expect(observe("create-repository-kms-alias-aws-ecr")).toMatchObject({ needsRefresh: false });
    expect(observe("create-repository-kms-aws-managed-key")).toMatchObject({ needsRefresh: false });
  });
});

describe("ECR.5 decided by the KMS key's manager", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  describe("CreateRepository", () => {
    it("a customer managed key named by alias passes: DescribeKey gets the alias as given", async () => {
      t = await testRuntime();
      stubKeys(t, { "alias/payments-images": "CUSTOMER" });
      const report = await processEvent(ecrEvent("create-repository-kms-dsse-customer-alias"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(describeKeyInputs(t)).toEqual([{ KeyId: "alias/payments-images" }]);
      expect(await t.runtime.store.list()).toEqual([]);
    });

    it("alias/aws/ecr opens ECR.5 from its name alone, without DescribeKey", async () => {
      t = await testRuntime();
      await processEvent(ecrEvent("create-repository-kms-alias-aws-ecr"), t.runtime);
      expect(t.kms.calls()).toHaveLength(0);
      const finding = await t.runtime.store.get(idFor("ECR.5", "tools/cache"));
      expect(finding?.status).toBe("OPEN");
      expect(finding?.summary).toBe(
        "repository tools/cache is encrypted with the AWS managed key aws/ecr, not a customer managed KMS key",
      );
      expect(finding?.evidence).toEqual([
        {
          repositoryName: "tools/cache",
          encryptionType: "KMS",
          kmsKey: "alias/aws/ecr",
          keyManager: "AWS",
          keyManagerFrom: "alias/aws/ecr",
        },
      ]);
    });

    it("the AWS managed key named by its key ARN opens ECR.5 once DescribeKey says KeyManager AWS", async () => {
      t = await testRuntime();
      stubKeys(t);
      await processEvent(ecrEvent("create-repository-kms-aws-managed-key-arn"), t.runtime);
      expect(describeKeyInputs(t)).toEqual([{ KeyId: AWS_ECR_KEY }]);
      const finding = await t.runtime.store.get(idFor("ECR.5", "tools/linter"));
      expect(finding?.status).toBe("OPEN");
      expect(finding?.summary).toBe(
        `repository tools/linter is encrypted with the AWS managed KMS key ${AWS_ECR_KEY}, not a customer managed KMS key`,
      );
      expect(finding?.evidence).toEqual([
        {
          repositoryName: "tools/linter",
          encryptionType: "KMS",
          kmsKey: AWS_ECR_KEY,
          keyManager: "AWS",
          keyManagerFrom: "kms:DescribeKey",
        },
      ]);
      expect(t.notifier.alerts.map((a) => a.findings.map((f) => f.checkId))).toEqual([["ECR.5"]]);
    });

    it("a customer-looking alias is judged by what KMS says, not by its name", async () => {
      t = await testRuntime();
      stubKeys(t, { "alias/payments-images": "AWS" });
      await processEvent(ecrEvent("create-repository-kms-dsse-customer-alias"), t.runtime);
      expect((await t.runtime.store.get(idFor("ECR.5", "payments/ledger-archive")))?.status).toBe("OPEN");
    });

    it("an alias KMS doesn't know (NotFoundException) opens nothing", async () => {
      t = await testRuntime();
      stubKeys(t, {});
      const report = await processEvent(ecrEvent("create-repository-kms-dsse-customer-alias"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(describeKeyInputs(t)).toEqual([{ KeyId: "alias/payments-images" }]);
      expect(await t.runtime.store.list()).toEqual([]);
    });

    it("scan-on-push off and a named key: the registry read and DescribeKey, one each", async () => {
      t = await testRuntime({ config: { modes: { "ECR.1": "off" } } });
      stubRegistry(t);
      stubKeys(t);
      const event = ecrEvent("create-repository-immutable-scanned-cmk");
      const request = (
        event.detail as { requestParameters: { imageScanningConfiguration: { scanOnPush: boolean } } }
      ).requestParameters;
      request.imageScanningConfiguration.scanOnPush = false;
      const response = (
        event.detail as {
          responseElements: { repository: { imageScanningConfiguration: { scanOnPush: boolean } } };
        }
      ).responseElements;
      response.repository.imageScanningConfiguration.scanOnPush = false;
      await processEvent(event, t.runtime);
      expect(t.ecr.commandCalls(GetRegistryScanningConfigurationCommand)).toHaveLength(1);
      expect(describeKeyInputs(t)).toEqual([{ KeyId: CMK }]);
      expect((await t.runtime.store.list()).map((f) => f.checkId)).toEqual(["ECR.1"]);
    });
  });

  describe("Config items name the key by ARN", () => {
    it("the AWS managed key's ARN keeps the open finding open (it does not resolve)", async () => {
      t = await testRuntime();
      stubTags(t);
      stubKeys(t);
      await processEvent(ecrEvent("create-repository-kms-aws-managed-key"), t.runtime);
      expect((await t.runtime.store.get(idFor("ECR.5", BUILDER)))?.status).toBe("OPEN");

      const item = ecrEvent("config-item-kms-aws-managed-key");
      await processEvent(item, t.runtime);
      expect(describeKeyInputs(t)).toEqual([{ KeyId: AWS_ECR_KEY }]);
      const finding = await t.runtime.store.get(idFor("ECR.5", BUILDER));
      expect(finding?.status).toBe("OPEN");
      expect(finding?.eventIds).toContain(item.id);
      expect(finding?.evidence).toEqual([
        {
          repositoryName: BUILDER,
          encryptionType: "KMS",
          kmsKey: AWS_ECR_KEY,
          keyManager: "AWS",
          keyManagerFrom: "kms:DescribeKey",
        },
      ]);
      expect(t.ecr.calls()).toHaveLength(0);
    });

    it("DescribeKey denied leaves the finding exactly as it was: neither resolved nor re-confirmed", async () => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("create-repository-kms-aws-managed-key"), t.runtime);
      const before = await t.runtime.store.get(idFor("ECR.5", BUILDER));
      expect(before?.status).toBe("OPEN");

      stubKeys(t, { [AWS_ECR_KEY]: awsError("AccessDeniedException") });
      const report = await processEvent(ecrEvent("config-item-kms-aws-managed-key"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(describeKeyInputs(t)).toEqual([{ KeyId: AWS_ECR_KEY }]);
      expect(await t.runtime.store.get(idFor("ECR.5", BUILDER))).toEqual(before);
      expect(t.notifier.alerts).toHaveLength(1);
    });

    it("DescribeKey denied on a repository without a finding opens none", async () => {
      t = await testRuntime();
      stubKeys(t, { [AWS_ECR_KEY]: awsError("AccessDeniedException") });
      await processEvent(ecrEvent("config-item-kms-aws-managed-key"), t.runtime);
      expect(await t.runtime.store.list()).toEqual([]);
    });

    it.each([
      ["throttled", awsError("ThrottlingException", { $retryable: { throttling: true } })],
      [
        "a KMS server error",
        awsError("KMSInternalException", { $fault: "server", $metadata: { httpStatusCode: 500 } }),
      ],
    ])("DescribeKey %s fails the event so it is retried; nothing changes", async (_what, error) => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("create-repository-kms-aws-managed-key"), t.runtime);
      const before = await t.runtime.store.get(idFor("ECR.5", BUILDER));

      stubKeys(t, { [AWS_ECR_KEY]: error });
      await expect(processEvent(ecrEvent("config-item-kms-aws-managed-key"), t.runtime)).rejects.toThrow(
        error.name,
      );
      expect(await t.runtime.store.get(idFor("ECR.5", BUILDER))).toEqual(before);
      expect(t.notifier.alerts).toHaveLength(1);
    });

    it("an AES256 item makes no DescribeKey call", async () => {
      t = await testRuntime({ config: { modes: { "ECR.1": "off" } } });
      stubRegistry(t);
      await processEvent(ecrEvent("config-item-noncompliant"), t.runtime);
      expect(t.kms.calls()).toHaveLength(0);
      expect((await t.runtime.store.get(idFor("ECR.5")))?.status).toBe("OPEN");
    });
  });

  describe("live reads", () => {
    it("a live read that finds the AWS managed key's ARN reads the key after the repository and opens ECR.5", async () => {
      t = await testRuntime();
      stubLiveRepository(t, {
        repository: { encryptionConfiguration: { encryptionType: "KMS", kmsKey: AWS_ECR_KEY } },
      });
      await processEvent(ecrEvent("put-lifecycle-policy"), t.runtime);
      expect(t.ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(1);
      expect(describeKeyInputs(t)).toEqual([{ KeyId: AWS_ECR_KEY }]);
      expect((await t.runtime.store.list()).map((f) => [f.checkId, f.status])).toEqual([["ECR.5", "OPEN"]]);
    });

    it("a live read of an AES256 repository makes no DescribeKey call", async () => {
      t = await testRuntime();
      stubLiveRepository(t, { repository: { encryptionConfiguration: { encryptionType: "AES256" } } });
      await processEvent(ecrEvent("put-lifecycle-policy"), t.runtime);
      expect(t.kms.calls()).toHaveLength(0);
      expect((await t.runtime.store.list()).map((f) => f.checkId)).toEqual(["ECR.5"]);
    });

    it("a key KMS won't describe leaves only ECR.5 undecided: the repository's other findings still resolve", async () => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("delete-lifecycle-policy"), t.runtime);
      expect((await t.runtime.store.get(idFor("ECR.3")))?.status).toBe("OPEN");
      stubLiveRepository(t);
      stubKeys(t, { [CMK]: awsError("AccessDeniedException") });
      await processEvent(ecrEvent("put-lifecycle-policy"), t.runtime);
      expect(describeKeyInputs(t)).toEqual([{ KeyId: CMK }]);
      expect((await t.runtime.store.get(idFor("ECR.3")))?.status).toBe("RESOLVED");
      expect(await t.runtime.store.get(idFor("ECR.5"))).toBeUndefined();
    });

    it("an open ECR.5 finding stays open while KMS won't say who manages the key", async () => {
      t = await testRuntime();
      stubTags(t);
      stubLiveRepository(t);
      stubKeys(t, { [CMK]: "AWS" });
      await processEvent(ecrEvent("put-lifecycle-policy"), t.runtime);
      expect((await t.runtime.store.get(idFor("ECR.5")))?.status).toBe("OPEN");

      stubKeys(t, { [CMK]: awsError("AccessDeniedException") });
      const again = ecrEvent("put-lifecycle-policy");
      again.id = "put-lifecycle-policy-again";
      await processEvent(again, t.runtime);
      expect((await t.runtime.store.get(idFor("ECR.5")))?.status).toBe("OPEN");
    });
  });
});
