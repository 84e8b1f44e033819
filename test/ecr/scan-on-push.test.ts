import {
  DescribeRepositoriesCommand,
  GetRegistryScanningConfigurationCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  TagResourceCommand,
} from "@aws-sdk/client-ecr";
import { afterEach, describe, expect, it } from "vitest";
import { undo } from "../../shared/cli/undo";
import { IncompleteProcessingError, processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ACCOUNT,
  REPO,
  REPO_ARN,
  awsError,
  ecrEvent,
  idFor,
  stubKeys,
  stubLiveRepository,
  stubRegistry,
  stubScanningAnswer,
  stubTags,
} from "./support";

const TURN_ON = {
  registryId: ACCOUNT,
  repositoryName: REPO,
  imageScanningConfiguration: { scanOnPush: true },
};

describe("ECR.1 scan-on-push, through the pipeline", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("CreateRepository without scanning: confirms with the registry, turns scan-on-push on, opens ECR.2 and ECR.5, not ECR.3", async () => {
    t = await testRuntime();
    stubRegistry(t);
    stubScanningAnswer(t);
    const report = await processEvent(ecrEvent("create-repository-mutable-no-scan"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(t.ecr.commandCalls(GetRegistryScanningConfigurationCommand)).toHaveLength(1);
    expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand).map((c) => c.args[0].input)).toEqual([
      TURN_ON,
    ]);
    // The request's tags are the new repository's tags: no tag read.
    expect(t.ecr.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);

    const findings = await t.runtime.store.list();
    expect(findings.map((f) => [f.checkId, f.status, f.severity]).sort()).toEqual([
      ["ECR.1", "REMEDIATED", "HIGH"],
      ["ECR.2", "OPEN", "MEDIUM"],
      ["ECR.5", "OPEN", "MEDIUM"],
    ]);
    const ecr1 = await t.runtime.store.get(idFor("ECR.1"));
    expect(ecr1?.remediation).toMatchObject({
      remediationId: "enable-ecr-scan-on-push",
      mode: "auto",
      result: "succeeded",
      action: "turned scan-on-push on for orders/api (registry 111122223333)",
      undo: {
        remediationId: "enable-ecr-scan-on-push",
        params: {
          registryId: ACCOUNT,
          repositoryName: REPO,
          repositoryArn: REPO_ARN,
          exemptChecks: ["ECR.1"],
          exemptionTagKey: "vigil:exempt",
        },
      },
    });
    expect(ecr1?.resource).toMatchObject({ type: "AWS::ECR::Repository", id: REPO, arn: REPO_ARN });
    expect(ecr1?.actor?.sessionIssuerArn).toBe("arn:aws:iam::111122223333:role/ci-deploy");
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.findings.map((f) => f.checkId).sort()).toEqual(["ECR.1", "ECR.2", "ECR.5"]);
  });

  it.each([
    ["ENHANCED continuous scanning of every repository", "ENHANCED", "CONTINUOUS_SCAN", ["*"]],
    ["ENHANCED scan-on-push of orders/*", "ENHANCED", "SCAN_ON_PUSH", ["orders/*"]],
    ["BASIC scan-on-push rule whose filter is contained in the name", "BASIC", "SCAN_ON_PUSH", ["orders"]],
  ] as const)(
    "no ECR.1 finding when the registry scans it: %s",
    async (_name, scanType, scanFrequency, filters) => {
      t = await testRuntime();
      stubRegistry(t, scanType, [{ scanFrequency, filters: [...filters] }]);
      stubScanningAnswer(t);
      await processEvent(ecrEvent("create-repository-mutable-no-scan"), t.runtime);
      expect(await t.runtime.store.get(idFor("ECR.1"))).toBeUndefined();
      expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
    },
  );

  it("a compliant CreateRepository (scan on, immutable, customer key) makes no ECR call, one DescribeKey, no finding", async () => {
    t = await testRuntime();
    stubKeys(t);
    const report = await processEvent(ecrEvent("create-repository-immutable-scanned-cmk"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(t.ecr.calls()).toHaveLength(0);
    expect(t.kms.calls()).toHaveLength(1);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("PutImageScanningConfiguration off: registry read, tag read, then the exact fix", async () => {
    t = await testRuntime();
    stubRegistry(t, "BASIC", [{ scanFrequency: "SCAN_ON_PUSH", filters: ["prod-*"] }]);
    stubTags(t);
    stubScanningAnswer(t);
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);

    expect(t.ecr.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([
      { resourceArn: REPO_ARN },
    ]);
    expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand).map((c) => c.args[0].input)).toEqual([
      TURN_ON,
    ]);
    const finding = await t.runtime.store.get(idFor("ECR.1"));
    expect(finding).toMatchObject({ status: "REMEDIATED", actor: { userName: "alice.ops" } });
    expect(finding?.evidence).toEqual([
      {
        repositoryName: REPO,
        registryId: ACCOUNT,
        scanOnPush: false,
        registryScanType: "BASIC",
        registryRules: [{ scanFrequency: "SCAN_ON_PUSH", filters: ["prod-*"] }],
      },
    ]);
    // Only ECR.1 is about scanning: the partial view opens nothing else.
    expect((await t.runtime.store.list()).map((f) => f.checkId)).toEqual(["ECR.1"]);
  });

  it("suppresses, and never changes, a repository tagged exempt from ECR.1", async () => {
    t = await testRuntime();
    stubRegistry(t);
    stubTags(t, { "vigil:exempt": "ECR.1", "vigil:exempt-reason": "scanned by the vendor's pipeline" });
    stubScanningAnswer(t);
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);
    expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("ECR.1"))).toMatchObject({
      status: "SUPPRESSED",
      suppression: { source: "tag", reason: "scanned by the vendor's pipeline" },
    });
  });

  it("dry-run plans the change and makes none", async () => {
    t = await testRuntime({ config: { modes: { "ECR.1": "dry-run" } } });
    stubRegistry(t);
    stubTags(t);
    stubScanningAnswer(t);
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);
    expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("ECR.1"))).toMatchObject({
      status: "OPEN",
      remediation: {
        mode: "dry-run",
        result: "planned",
        action: "would turn scan-on-push on for orders/api (registry 111122223333)",
      },
    });
  });

  it("under ENHANCED scanning with no matching rule: opens ECR.1 but leaves the repository flag alone (it would do nothing)", async () => {
    t = await testRuntime();
    stubRegistry(t, "ENHANCED", [{ scanFrequency: "CONTINUOUS_SCAN", filters: ["payments-*"] }]);
    stubTags(t);
    stubScanningAnswer(t);
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);
    expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
    const finding = await t.runtime.store.get(idFor("ECR.1"));
    expect(finding?.status).toBe("OPEN");
    expect(finding?.remediation?.result).toBe("skipped");
    expect(finding?.remediation?.action).toMatch(
      /ENHANCED scanning, where the repository's scan-on-push has no effect/,
    );
  });

  it("a repository deleted meanwhile is already gone", async () => {
    t = await testRuntime();
    stubRegistry(t);
    t.ecr.on(ListTagsForResourceCommand).rejects(awsError("RepositoryNotFoundException"));
    t.ecr.on(PutImageScanningConfigurationCommand).rejects(awsError("RepositoryNotFoundException"));
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);
    expect(await t.runtime.store.get(idFor("ECR.1"))).toMatchObject({
      status: "REMEDIATED",
      remediation: {
        result: "already-gone",
        action: "nothing to do: repository orders/api (registry 111122223333) no longer exists",
      },
    });
    expect((await t.runtime.store.get(idFor("ECR.1")))?.remediation?.undo).toBeUndefined();
  });

  it("a throttled fix is recorded as failed, fails the event, and the retry fixes it", async () => {
    t = await testRuntime();
    stubRegistry(t);
    stubTags(t);
    t.ecr
      .on(PutImageScanningConfigurationCommand)
      .rejects(awsError("ThrottlingException", { $retryable: {} }));
    const event = ecrEvent("put-image-scanning-disable");
    await expect(processEvent(event, t.runtime)).rejects.toBeInstanceOf(IncompleteProcessingError);
    expect(await t.runtime.store.get(idFor("ECR.1"))).toMatchObject({
      status: "OPEN",
      remediation: { result: "failed", detail: "ThrottlingException: simulated" },
    });

    stubScanningAnswer(t);
    await processEvent(event, t.runtime);
    expect(await t.runtime.store.get(idFor("ECR.1"))).toMatchObject({
      status: "REMEDIATED",
      remediation: { result: "succeeded" },
    });
  });

  it("does not believe an answer that doesn't confirm scan-on-push", async () => {
    t = await testRuntime();
    stubRegistry(t);
    stubTags(t);
    t.ecr
      .on(PutImageScanningConfigurationCommand)
      .resolves({ repositoryName: REPO, imageScanningConfiguration: { scanOnPush: false } });
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);
    expect(await t.runtime.store.get(idFor("ECR.1"))).toMatchObject({
      status: "OPEN",
      remediation: {
        result: "failed",
        detail: "ECR answered scanOnPush=false for orders/api (registry 111122223333)",
      },
    });
  });

  it("ignores Vigil's own PutImageScanningConfiguration (loop guard)", async () => {
    t = await testRuntime();
    const report = await processEvent(ecrEvent("put-image-scanning-by-vigil-role-ignored"), t.runtime);
    expect(report).toMatchObject({ outcome: "ignored" });
    expect(t.ecr.calls()).toHaveLength(0);
  });

  it("does not confirm against a registry that is not the repository's (cross-account): no finding", async () => {
    t = await testRuntime();
    t.ecr.on(GetRegistryScanningConfigurationCommand).resolves({
      registryId: "999999999999",
      scanningConfiguration: { scanType: "BASIC", rules: [] },
    });
    stubScanningAnswer(t);
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("scan-on-push turned back on re-reads the repository and resolves the open finding", async () => {
    t = await testRuntime({ config: { modes: { "ECR.1": "off" } } });
    stubRegistry(t);
    stubTags(t);
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);
    expect((await t.runtime.store.get(idFor("ECR.1")))?.status).toBe("OPEN");

    stubLiveRepository(t);
    await processEvent(ecrEvent("put-image-scanning-enable"), t.runtime);
    expect(t.ecr.commandCalls(DescribeRepositoriesCommand).map((c) => c.args[0].input)).toEqual([
      { registryId: ACCOUNT, repositoryNames: [REPO] },
    ]);
    expect((await t.runtime.store.get(idFor("ECR.1")))?.status).toBe("RESOLVED");
  });
});

describe("vigil undo of enable-ecr-scan-on-push", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("tags the repository exempt first, then turns scan-on-push back off; the restore's own event then stays", async () => {
    t = await testRuntime();
    stubRegistry(t);
    stubTags(t);
    stubScanningAnswer(t);
    t.ecr.on(TagResourceCommand).resolves({});
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);
    t.ecr.resetHistory();

    const message = await undo(idFor("ECR.1"), t.runtime);
    expect(t.ecr.calls().map((c) => [c.args[0].constructor.name, c.args[0].input])).toEqual([
      ["ListTagsForResourceCommand", { resourceArn: REPO_ARN }],
      [
        "TagResourceCommand",
        {
          resourceArn: REPO_ARN,
          tags: [
            { Key: "vigil:exempt", Value: "ECR.1" },
            { Key: "vigil:exempt-reason", Value: "restored with vigil undo" },
          ],
        },
      ],
      [
        "PutImageScanningConfigurationCommand",
        { registryId: ACCOUNT, repositoryName: REPO, imageScanningConfiguration: { scanOnPush: false } },
      ],
    ]);
    expect(message).toMatch(/^restored on orders\/api \(registry 111122223333\): scan-on-push off/);
    expect(await t.runtime.store.get(idFor("ECR.1"))).toMatchObject({
      status: "SUPPRESSED",
      remediation: { result: "undone" },
    });

    // The operator's restore comes back as an event: the repository is now tagged exempt.
    t.ecr.resetHistory();
    stubTags(t, { "vigil:exempt": "ECR.1" });
    const restore = ecrEvent("put-image-scanning-disable");
    restore.id = "restore-event";
    await processEvent(restore, t.runtime);
    expect(t.ecr.commandCalls(PutImageScanningConfigurationCommand)).toHaveLength(0);
  });

  it("says so when the repository is gone, and refuses to undo twice", async () => {
    t = await testRuntime();
    stubRegistry(t);
    stubTags(t);
    stubScanningAnswer(t);
    t.ecr.on(TagResourceCommand).rejects(awsError("RepositoryNotFoundException"));
    await processEvent(ecrEvent("put-image-scanning-disable"), t.runtime);
    await expect(undo(idFor("ECR.1"), t.runtime)).rejects.toThrow(
      "repository orders/api (registry 111122223333) no longer exists: nothing to restore",
    );
    t.ecr.on(TagResourceCommand).resolves({});
    await undo(idFor("ECR.1"), t.runtime);
    await expect(undo(idFor("ECR.1"), t.runtime)).rejects.toThrow(/last result: undone/);
  });
});
