import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ecrEvent, stubRegistry, stubScanningAnswer, stubTags } from "./support";

type Detail = Record<string, unknown> & {
  requestParameters: Record<string, unknown>;
  responseElements: Record<string, unknown> | null;
};

describe("bad ECR input is rejected as invalid and changes nothing", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it.each([
    ["a detail without eventTime", "put-image-scanning-disable", (d: Detail) => delete d.eventTime],
    [
      "PutImageScanningConfiguration without a repository name",
      "put-image-scanning-disable",
      (d: Detail) => {
        delete d.requestParameters.repositoryName;
      },
    ],
    [
      "PutImageScanningConfiguration that says nothing about scanOnPush",
      "put-image-scanning-disable",
      (d: Detail) => {
        delete d.requestParameters.imageScanningConfiguration;
        d.responseElements = null;
      },
    ],
    [
      "scanOnPush that is not a boolean",
      "put-image-scanning-disable",
      (d: Detail) => {
        d.requestParameters.imageScanningConfiguration = { scanOnPush: "maybe" };
        d.responseElements = null;
      },
    ],
    [
      "CreateRepository whose tags are not a list",
      "create-repository-mutable-no-scan",
      (d: Detail) => {
        d.requestParameters.tags = "team=orders";
      },
    ],
    [
      "PutImageTagMutability without a setting",
      "put-image-tag-mutability-mutable",
      (d: Detail) => {
        delete d.requestParameters.imageTagMutability;
        d.responseElements = null;
      },
    ],
    [
      "PutRegistryScanningConfiguration with rules that are not a list",
      "put-registry-scanning-basic-prod-only",
      (d: Detail) => {
        d.requestParameters.rules = "all";
        d.responseElements = null;
      },
    ],
  ])("%s", async (_name, file, change) => {
    t = await testRuntime();
    stubRegistry(t);
    stubTags(t);
    stubScanningAnswer(t);
    const event = ecrEvent(file);
    change(event.detail as Detail);
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toBeTruthy();
    expect(t.ecr.calls()).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
  });

  it("a Config item whose configuration has the wrong shape", async () => {
    t = await testRuntime();
    const event = ecrEvent("config-item-noncompliant");
    const item = event.detail.configurationItem as { configuration: Record<string, unknown> };
    item.configuration.ImageScanningConfiguration = { ScanOnPush: "sometimes" };
    const report = await processEvent(event, t.runtime);
    expect(report).toMatchObject({ outcome: "invalid" });
    expect(report.reason).toMatch(/ECR repository orders\/api: unreadable configuration/);
    expect(t.ecr.calls()).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("a failed call (errorCode) is ignored", async () => {
    t = await testRuntime();
    const event = ecrEvent("put-image-scanning-disable");
    Object.assign(event.detail, { errorCode: "RepositoryNotFoundException", responseElements: null });
    expect(await processEvent(event, t.runtime)).toMatchObject({ outcome: "ignored" });
    expect(t.ecr.calls()).toHaveLength(0);
  });

  it("a huge policy with hundreds of public statements keeps findings small", async () => {
    t = await testRuntime();
    stubTags(t);
    const event = ecrEvent("set-repository-policy-public");
    const statements = Array.from({ length: 300 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: "Allow",
      Principal: "*",
      Action: Array.from({ length: 40 }, (_, a) => `ecr:Action${a}`),
    }));
    const text = JSON.stringify({ Version: "2012-10-17", Statement: statements });
    const detail = event.detail as Detail;
    detail.requestParameters.policyText = text;
    (detail.responseElements as Record<string, unknown>).policyText = text;
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("processed");
    const [finding] = await t.runtime.store.list();
    expect(finding?.evidence).toHaveLength(300);
    expect(finding?.evidence[0]).toMatchObject({ moreActions: 30 });
    expect((finding?.evidence[0] as { actions: string[] }).actions).toHaveLength(10);
  });
});
