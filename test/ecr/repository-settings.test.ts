import {
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
} from "@aws-sdk/client-ecr";
import { DescribeKeyCommand } from "@aws-sdk/client-kms";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  awsError,
  CMK,
  ecrEvent,
  idFor,
  REPO,
  stubLiveRepository,
  stubRegistry,
  stubKeys,
  stubScanningAnswer,
  stubTags,
} from "./support";

const PUBLIC_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    { Sid: "AllowPullFromAnywhere", Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage"] },
  ],
});
const ORG_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "OrgPull",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["ecr:BatchGetImage"],
      Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
    },
  ],
});

async function statuses(t: TestRuntime): Promise<[string, string][]> {
  return (await t.runtime.store.list()).map((f) => [f.checkId, f.status] as [string, string]).sort();
}

describe("ECR repository settings through the pipeline", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  describe("Config items (the whole repository)", () => {
    it("the reference item (mutable, no scan, AES256, no lifecycle): ECR.1 fixed, ECR.2/3/5 open, tags from the item", async () => {
      t = await testRuntime();
      stubRegistry(t);
      stubScanningAnswer(t);
      await processEvent(ecrEvent("config-item-noncompliant"), t.runtime);
      expect(t.ecr.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
      expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(1);
      expect(await statuses(t)).toEqual([
        ["ECR.1", "REMEDIATED"],
        ["ECR.2", "OPEN"],
        ["ECR.3", "OPEN"],
        ["ECR.5", "OPEN"],
      ]);
      expect((await t.runtime.store.get(idFor("ECR.5")))?.evidence).toEqual([
        { repositoryName: REPO, encryptionType: "AES256", kmsKey: null },
      ]);
    });

    it("a later compliant item resolves every open finding; its only AWS call is DescribeKey on the named key", async () => {
      t = await testRuntime({ config: { modes: { "ECR.1": "off" } } });
      stubRegistry(t);
      stubKeys(t);
      await processEvent(ecrEvent("config-item-noncompliant"), t.runtime);
      expect(t.kms.calls()).toHaveLength(0);
      t.ecr.resetHistory();
      await processEvent(ecrEvent("config-item-compliant"), t.runtime);
      expect(t.ecr.calls()).toHaveLength(0);
      expect(t.kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: CMK }]);
      expect(await statuses(t)).toEqual([
        ["ECR.1", "RESOLVED"],
        ["ECR.2", "RESOLVED"],
        ["ECR.3", "RESOLVED"],
        ["ECR.5", "RESOLVED"],
      ]);
    });

    it("an item with scan-on-push off that the registry covers is compliant for ECR.1", async () => {
      t = await testRuntime();
      stubRegistry(t, "ENHANCED", [{ scanFrequency: "SCAN_ON_PUSH", filters: ["*"] }]);
      await processEvent(ecrEvent("config-item-noncompliant"), t.runtime);
      expect(await t.runtime.store.get(idFor("ECR.1"))).toBeUndefined();
    });

    it("a public policy in the item opens a CRITICAL finding", async () => {
      t = await testRuntime();
      stubKeys(t);
      await processEvent(ecrEvent("config-item-public-policy"), t.runtime);
      expect(t.ecr.calls()).toHaveLength(0);
      expect(await statuses(t)).toEqual([["VIGIL.ECR.PUBLIC_POLICY", "OPEN"]]);
      const finding = await t.runtime.store.get(idFor("VIGIL.ECR.PUBLIC_POLICY"));
      expect(finding?.severity).toBe("CRITICAL");
      expect(finding?.summary).toBe(
        "repository orders/api policy statement AllowPullFromAnywhere allows any AWS principal (*): ecr:BatchCheckLayerAvailability, ecr:BatchGetImage, ecr:GetDownloadUrlForLayer",
      );
    });

    it("a deleted item resolves the open findings", async () => {
      t = await testRuntime({ config: { modes: { "ECR.1": "off" } } });
      stubRegistry(t);
      await processEvent(ecrEvent("config-item-noncompliant"), t.runtime);
      await processEvent(ecrEvent("config-item-deleted"), t.runtime);
      expect(await statuses(t)).toEqual([
        ["ECR.1", "RESOLVED"],
        ["ECR.2", "RESOLVED"],
        ["ECR.3", "RESOLVED"],
        ["ECR.5", "RESOLVED"],
      ]);
    });

    it("an item Config can't fully describe (registry not readable as the repository's) doesn't resolve ECR.1", async () => {
      t = await testRuntime({ config: { modes: { "ECR.1": "off" } } });
      stubRegistry(t);
      await processEvent(ecrEvent("config-item-noncompliant"), t.runtime);
      t.ecr.on(GetRegistryScanningConfigurationCommand).resolves({ registryId: "999999999999" });
      const again = ecrEvent("config-item-noncompliant");
      again.id = "later-item";
      (
        again.detail.configurationItem as { configurationItemCaptureTime: string }
      ).configurationItemCaptureTime = "2025-03-18T18:00:00.000Z";
      await processEvent(again, t.runtime);
      expect((await t.runtime.store.get(idFor("ECR.1")))?.status).toBe("OPEN");
    });
  });

  describe("ECR.2 tag mutability from CloudTrail", () => {
    it("PutImageTagMutability MUTABLE opens ECR.2 from the event alone; IMMUTABLE_WITH_EXCLUSION later re-reads and resolves it", async () => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("put-image-tag-mutability-mutable"), t.runtime);
      expect(t.ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(0);
      expect(await statuses(t)).toEqual([["ECR.2", "OPEN"]]);

      stubLiveRepository(t, {
        repository: {
          imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
          imageTagMutabilityExclusionFilters: [{ filter: "latest", filterType: "WILDCARD" }],
        },
      });
      await processEvent(ecrEvent("put-image-tag-mutability-immutable-except-latest"), t.runtime);
      expect(t.ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(1);
      expect(await statuses(t)).toEqual([["ECR.2", "RESOLVED"]]);
    });

    it("IMMUTABLE_WITH_EXCLUSION at creation passes ECR.2 (the exclusions are a named choice)", async () => {
      t = await testRuntime();
      await processEvent(ecrEvent("create-repository-kms-aws-managed-key"), t.runtime);
      expect(await t.runtime.store.get(idFor("ECR.2", "tools/builder"))).toBeUndefined();
    });
  });

  describe("ECR.3 lifecycle policy", () => {
    it("DeleteLifecyclePolicy opens ECR.3; PutLifecyclePolicy re-reads and resolves it", async () => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("delete-lifecycle-policy"), t.runtime);
      expect(await statuses(t)).toEqual([["ECR.3", "OPEN"]]);
      expect((await t.runtime.store.get(idFor("ECR.3")))?.summary).toBe(
        "repository orders/api has no lifecycle policy",
      );

      stubLiveRepository(t);
      await processEvent(ecrEvent("put-lifecycle-policy"), t.runtime);
      expect(t.ecr.commandCalls(GetLifecyclePolicyCommand).map((c) => c.args[0].input)).toEqual([
        { registryId: "111122223333", repositoryName: REPO },
      ]);
      expect(await statuses(t)).toEqual([["ECR.3", "RESOLVED"]]);
    });

    it("is never raised by CreateRepository alone (IaC puts the policy seconds later)", async () => {
      t = await testRuntime();
      stubRegistry(t);
      stubScanningAnswer(t);
      await processEvent(ecrEvent("create-repository-mutable-no-scan"), t.runtime);
      expect(await t.runtime.store.get(idFor("ECR.3"))).toBeUndefined();
    });

    it("a live read of a minutes-old repository without a policy neither flags nor resolves ECR.3", async () => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("delete-lifecycle-policy"), t.runtime);
      stubLiveRepository(t, { lifecycle: null, ageMs: 60_000, policyText: ORG_POLICY });
      await processEvent(ecrEvent("set-repository-policy-org-only"), t.runtime);
      expect(await statuses(t)).toEqual([["ECR.3", "OPEN"]]);
      // Untouched by the second event: neither resolved nor re-confirmed.
      expect((await t.runtime.store.get(idFor("ECR.3")))?.eventIds).toHaveLength(1);
    });

    it("an unknown lifecycle policy leaves only ECR.3 undecided: the repository's other findings still resolve", async () => {
      t = await testRuntime();
      stubTags(t);
      stubRegistry(t);
      stubScanningAnswer(t);
      await processEvent(ecrEvent("create-repository-mutable-no-scan"), t.runtime);
      expect((await t.runtime.store.get(idFor("ECR.2")))?.status).toBe("OPEN");
      stubLiveRepository(t, { lifecycle: null, ageMs: 60_000, policyText: ORG_POLICY });
      await processEvent(ecrEvent("set-repository-policy-org-only"), t.runtime);
      expect((await t.runtime.store.get(idFor("ECR.2")))?.status).toBe("RESOLVED");
      expect(await t.runtime.store.get(idFor("ECR.3"))).toBeUndefined();
    });

    it("a live read of a minutes-old repository without a policy opens no ECR.3", async () => {
      t = await testRuntime();
      stubLiveRepository(t, { lifecycle: null, ageMs: 60_000, policyText: ORG_POLICY });
      await processEvent(ecrEvent("set-repository-policy-org-only"), t.runtime);
      expect(t.ecr.commandCalls(GetLifecyclePolicyCommand)).toHaveLength(1);
      expect(await t.runtime.store.list()).toEqual([]);
    });

    it("a live read of an older repository without a policy keeps ECR.3 open", async () => {
      t = await testRuntime();
      stubLiveRepository(t, { lifecycle: null });
      await processEvent(ecrEvent("delete-repository-policy"), t.runtime);
      expect(await statuses(t)).toEqual([["ECR.3", "OPEN"]]);
    });
  });

  describe("ECR.5 encryption (detect only)", () => {
    it("KMS without a key named at creation = the AWS managed key: opens ECR.5", async () => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("create-repository-kms-aws-managed-key"), t.runtime);
      expect(await statuses(t)).toEqual([["ECR.5", "OPEN"]]);
      expect((await t.runtime.store.get(idFor("ECR.5", "tools/builder")))?.evidence).toEqual([
        {
          repositoryName: "tools/builder",
          encryptionType: "KMS",
          kmsKey: null,
          keyManager: "AWS",
          keyManagerFrom: "no key named (aws/ecr)",
        },
      ]);
      expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
      // No key named: ECR's default is the AWS managed key, no DescribeKey needed.
      expect(t.kms.calls()).toHaveLength(0);
    });

    it("a customer managed key at creation passes once DescribeKey says CUSTOMER", async () => {
      t = await testRuntime();
      stubKeys(t);
      await processEvent(ecrEvent("create-repository-immutable-scanned-cmk"), t.runtime);
      expect(t.kms.commandCalls(DescribeKeyCommand).map((c) => c.args[0].input)).toEqual([{ KeyId: CMK }]);
      expect(await t.runtime.store.get(idFor("ECR.5", "payments/ledger"))).toBeUndefined();
    });
  });

  describe("VIGIL.ECR.PUBLIC_POLICY", () => {
    it("SetRepositoryPolicy with Principal * opens it from the event's policyText (no policy read)", async () => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("set-repository-policy-public"), t.runtime);
      expect(t.ecr.commandCalls(GetRepositoryPolicyCommand)).toHaveLength(0);
      expect(await statuses(t)).toEqual([["VIGIL.ECR.PUBLIC_POLICY", "OPEN"]]);
      const finding = await t.runtime.store.get(idFor("VIGIL.ECR.PUBLIC_POLICY"));
      expect(finding?.evidence).toEqual([
        {
          repositoryName: REPO,
          sid: "AllowPullFromAnywhere",
          principal: "*",
          actions: ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
          nonRestrictingConditions: [],
        },
      ]);
      expect(finding?.remediation).toBeUndefined();
      expect(t.notifier.alerts[0]?.severity).toBe("CRITICAL");
    });

    it("an org-restricted policy replacing it resolves the finding after a live read", async () => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("set-repository-policy-public"), t.runtime);
      stubLiveRepository(t, { policyText: ORG_POLICY });
      await processEvent(ecrEvent("set-repository-policy-org-only"), t.runtime);
      expect(await statuses(t)).toEqual([["VIGIL.ECR.PUBLIC_POLICY", "RESOLVED"]]);
    });

    it("DeleteRepositoryPolicy resolves it", async () => {
      t = await testRuntime();
      stubTags(t);
      await processEvent(ecrEvent("set-repository-policy-public"), t.runtime);
      stubLiveRepository(t);
      await processEvent(ecrEvent("delete-repository-policy"), t.runtime);
      expect(await statuses(t)).toEqual([["VIGIL.ECR.PUBLIC_POLICY", "RESOLVED"]]);
    });

    it("a policy the live read still finds public stays open (the event's text was hidden)", async () => {
      t = await testRuntime();
      const event = ecrEvent("set-repository-policy-org-only");
      const detail = event.detail as {
        requestParameters: { policyText: string };
        responseElements: { policyText: string };
      };
      detail.requestParameters.policyText = "HIDDEN_DUE_TO_SECURITY_REASONS";
      detail.responseElements.policyText = "HIDDEN_DUE_TO_SECURITY_REASONS";
      stubLiveRepository(t, { policyText: PUBLIC_POLICY });
      await processEvent(event, t.runtime);
      expect(t.ecr.commandCalls(GetRepositoryPolicyCommand)).toHaveLength(1);
      expect(await statuses(t)).toEqual([["VIGIL.ECR.PUBLIC_POLICY", "OPEN"]]);
    });
  });

  describe("live reads that fail", () => {
    it("a throttled registry read fails the event so it is retried; nothing is stored or changed", async () => {
      t = await testRuntime();
      t.ecr
        .on(GetRegistryScanningConfigurationCommand)
        .rejects(awsError("ThrottlingException", { $retryable: {} }));
      await expect(processEvent(ecrEvent("put-image-scanning-disable"), t.runtime)).rejects.toThrow(
        /ThrottlingException/,
      );
      expect(await t.runtime.store.list()).toEqual([]);
      expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
    });

    it("a repository deleted before the live read is a deleted resource: its open findings resolve", async () => {
      t = await testRuntime({ config: { modes: { "ECR.1": "off" } } });
      stubRegistry(t);
      await processEvent(ecrEvent("config-item-noncompliant"), t.runtime);
      t.ecr.on(DescribeRepositoriesCommand).rejects(awsError("RepositoryNotFoundException"));
      t.ecr.on(GetLifecyclePolicyCommand).rejects(awsError("RepositoryNotFoundException"));
      t.ecr.on(GetRepositoryPolicyCommand).rejects(awsError("RepositoryNotFoundException"));
      t.ecr.on(ListTagsForResourceCommand).rejects(awsError("RepositoryNotFoundException"));
      await processEvent(ecrEvent("put-lifecycle-policy"), t.runtime);
      expect((await statuses(t)).every(([, status]) => status === "RESOLVED")).toBe(true);
    });
  });

  describe("deletion and not-applicable events", () => {
    it("DeleteRepository resolves every open finding without reading AWS", async () => {
      t = await testRuntime({ config: { modes: { "ECR.1": "off" } } });
      stubRegistry(t);
      await processEvent(ecrEvent("config-item-noncompliant"), t.runtime);
      t.ecr.resetHistory();
      await processEvent(ecrEvent("delete-repository"), t.runtime);
      expect(t.ecr.calls()).toHaveLength(0);
      expect((await statuses(t)).every(([, status]) => status === "RESOLVED")).toBe(true);
    });

    it.each([
      ["ECR.1", "put-image-tag-mutability-mutable"],
      ["ECR.1", "set-repository-policy-public"],
      ["ECR.2", "put-image-scanning-disable"],
      ["ECR.2", "delete-lifecycle-policy"],
      ["ECR.3", "create-repository-mutable-no-scan"],
      ["ECR.3", "put-image-tag-mutability-mutable"],
      ["ECR.5", "put-image-scanning-disable"],
      ["ECR.5", "set-repository-policy-public"],
      ["VIGIL.ECR.PUBLIC_POLICY", "create-repository-mutable-no-scan"],
      ["VIGIL.ECR.PUBLIC_POLICY", "delete-lifecycle-policy"],
    ])("%s is not applicable to %s: no finding", async (checkId, event) => {
      t = await testRuntime({ config: { modeOverride: "dry-run" } });
      stubRegistry(t);
      stubTags(t);
      const report = await processEvent(ecrEvent(event), t.runtime);
      expect(report.outcome).toBe("processed");
      expect(await t.runtime.store.list()).not.toHaveLength(0);
      expect((await t.runtime.store.list()).map((f) => f.checkId)).not.toContain(checkId);
    });
  });
});
