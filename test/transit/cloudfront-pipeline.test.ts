import { GetDistributionConfigCommand, ListTagsForResourceCommand } from "@aws-sdk/client-cloudfront";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { DISTRIBUTION, DISTRIBUTION_ARN, cloudFrontEvent, distributionFindingId } from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status] as const).sort();
const noTags = (t: TestRuntime) =>
  t.cloudFront.on(ListTagsForResourceCommand).resolves({ Tags: { Items: [] } });

describe("CloudFront.3 through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: UpdateDistribution to allow-all opens CloudFront.3 (global) with who did it", async () => {
    t = await testRuntime();
    noTags(t);
    const report = await processEvent(cloudFrontEvent("UpdateDistribution-default-allow-all"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([["CloudFront.3", DISTRIBUTION, "OPEN"]]);
    expect(await t.runtime.store.get(distributionFindingId())).toMatchObject({
      severity: "MEDIUM",
      controls: ["FSBP CloudFront.3"],
      resource: { type: "AWS::CloudFront::Distribution", region: "global", arn: DISTRIBUTION_ARN },
      evidence: [{ distributionId: DISTRIBUTION, enabled: true, allowAll: ["(default)"] }],
      actor: { userName: "WebAdmin", sourceIp: "203.0.113.47", fromConsole: true },
    });
    expect(t.cloudFront.commandCalls(ListTagsForResourceCommand)[0]?.args[0].input).toEqual({
      Resource: DISTRIBUTION_ARN,
    });
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: the next UpdateDistribution (redirect-to-https) resolves it; no config read", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(cloudFrontEvent("UpdateDistribution-default-allow-all"), t.runtime);
    await processEvent(cloudFrontEvent("UpdateDistribution-redirect-to-https"), t.runtime);
    expect(await statuses(t)).toEqual([["CloudFront.3", DISTRIBUTION, "RESOLVED"]]);
    expect(t.cloudFront.commandCalls(GetDistributionConfigCommand)).toHaveLength(0);
  });

  it("compliant: an https-only distribution opens nothing and reads nothing", async () => {
    t = await testRuntime();
    await processEvent(cloudFrontEvent("CreateDistribution-https-only"), t.runtime);
    expect(await statuses(t)).toEqual([]);
    expect(t.cloudFront.calls()).toHaveLength(0);
  });

  it("allow-all on one path only, created by CloudFormation with tags: OPEN, tags from the event (no read)", async () => {
    t = await testRuntime();
    await processEvent(cloudFrontEvent("CreateDistributionWithTags-legacy-path-allow-all"), t.runtime);
    expect(await t.runtime.store.get(distributionFindingId())).toMatchObject({
      status: "OPEN",
      evidence: [{ allowAll: ["/legacy/*"] }],
      actor: { invokedBy: "cloudformation.amazonaws.com" },
    });
    expect(t.cloudFront.calls()).toHaveLength(0);
  });

  it("exempt by a vigil:exempt tag: SUPPRESSED, no alert", async () => {
    t = await testRuntime();
    t.cloudFront.on(ListTagsForResourceCommand).resolves({
      Tags: {
        Items: [
          { Key: "vigil:exempt", Value: "CloudFront.3" },
          { Key: "vigil:exempt-reason", Value: "legacy players" },
        ],
      },
    });
    await processEvent(cloudFrontEvent("UpdateDistribution-default-allow-all"), t.runtime);
    expect(await t.runtime.store.get(distributionFindingId())).toMatchObject({
      status: "SUPPRESSED",
      suppression: { source: "tag", reason: "legacy players" },
    });
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("Config item and CloudTrail meet on one finding; the Config deletion resolves it", async () => {
    t = await testRuntime();
    await processEvent(cloudFrontEvent("config-item-distribution-allow-all"), t.runtime);
    expect(await statuses(t)).toEqual([["CloudFront.3", DISTRIBUTION, "OPEN"]]);
    expect(t.cloudFront.calls()).toHaveLength(0); // the item carries the tags
    noTags(t);
    await processEvent(cloudFrontEvent("UpdateDistribution-default-allow-all"), t.runtime);
    expect(await t.runtime.store.list()).toHaveLength(1);
    await processEvent(cloudFrontEvent("config-item-distribution-deleted"), t.runtime);
    expect(await statuses(t)).toEqual([["CloudFront.3", DISTRIBUTION, "RESOLVED"]]);
  });

  it("DeleteDistribution resolves the open finding", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(cloudFrontEvent("UpdateDistribution-default-allow-all"), t.runtime);
    await processEvent(cloudFrontEvent("DeleteDistribution"), t.runtime);
    expect(await statuses(t)).toEqual([["CloudFront.3", DISTRIBUTION, "RESOLVED"]]);
  });

  it("a config CloudTrail cut short is read live (GetDistributionConfig) before it is judged", async () => {
    t = await testRuntime();
    noTags(t);
    t.cloudFront.on(GetDistributionConfigCommand).resolves({
      DistributionConfig: {
        CallerReference: "r",
        Comment: "",
        Enabled: true,
        Origins: { Quantity: 0, Items: [] },
        DefaultCacheBehavior: { TargetOriginId: "web-origin", ViewerProtocolPolicy: "allow-all" },
      },
    });
    const event = cloudFrontEvent("UpdateDistribution-redirect-to-https");
    const detail = event.detail as { requestParameters: Record<string, unknown>; responseElements: unknown };
    detail.responseElements = null;
    detail.requestParameters = { id: DISTRIBUTION, ifMatch: "E1YHBLAB2BJY1G", omitted: true };
    expect((await processEvent(event, t.runtime)).outcome).toBe("processed");
    expect(t.cloudFront.commandCalls(GetDistributionConfigCommand)[0]?.args[0].input).toEqual({
      Id: DISTRIBUTION,
    });
    expect(await statuses(t)).toEqual([["CloudFront.3", DISTRIBUTION, "OPEN"]]);
  });

  it("bad input: a DeleteDistribution with no id is invalid and changes nothing", async () => {
    t = await testRuntime();
    const event = cloudFrontEvent("DeleteDistribution");
    (event.detail as { requestParameters: unknown }).requestParameters = { ifMatch: "E3UN6WX5RRO2AG" };
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(await statuses(t)).toEqual([]);
    expect(t.cloudFront.calls()).toHaveLength(0);
  });
});
