import {
  CloudFrontClient,
  GetDistributionConfigCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-cloudfront";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configItemSchema } from "../../shared/events/config-item";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/cloudfront-distribution/adapter";
import { ACCOUNT, DISTRIBUTION, DISTRIBUTION_ARN, awsError, cloudFrontEvent } from "./support";

type Detail = Record<string, unknown>;
const detailOf = (name: string, change: (detail: Detail) => void = () => {}) => {
  const event = cloudFrontEvent(name);
  change(event.detail);
  return cloudTrailDetailSchema.parse(event.detail);
};
const observe = (name: string, change?: (detail: Detail) => void) =>
  adapter.fromCloudTrail(detailOf(name, change), ACCOUNT);
const configItem = (name: string) =>
  configItemSchema.parse((cloudFrontEvent(name).detail as { configurationItem: unknown }).configurationItem);
/** The answer's and the request's configs, to edit the way CloudTrail may have. */
const configs = (detail: Detail) => {
  const response = detail.responseElements as { distribution: { distributionConfig: Detail } } | null;
  const request = detail.requestParameters as { distributionConfig: Detail };
  return [response?.distribution.distributionConfig, request.distributionConfig].filter(
    (c) => c !== undefined,
  );
};

const cfClient = new CloudFrontClient({ region: "us-east-1" });
const cf = mockClient(cfClient);
const clients = { cloudFront: () => cfClient } as unknown as ReadClients;
afterEach(() => cf.reset());

const RESOURCE = {
  type: "AWS::CloudFront::Distribution",
  id: DISTRIBUTION,
  arn: DISTRIBUTION_ARN,
  account: ACCOUNT,
  region: "global",
};

describe("CloudFront distribution adapter: CloudTrail", () => {
  it("UpdateDistribution: the answer's whole config (a full replace), region global, complete", () => {
    expect(observe("UpdateDistribution-default-allow-all")).toEqual([
      {
        resource: RESOURCE,
        state: {
          distributionId: DISTRIBUTION,
          distributionArn: DISTRIBUTION_ARN,
          behaviors: [{ viewerProtocolPolicy: "allow-all" }],
          enabled: true,
          staging: false,
        },
        complete: true,
        observedAt: "2025-03-19T14:10:41Z",
        tagsKnown: false,
      },
    ]);
  });

  it("CreateDistributionWithTags: every behavior in order, and the tags it was created with", () => {
    const [observation] = observe("CreateDistributionWithTags-legacy-path-allow-all");
    expect(observation).toMatchObject({
      complete: true,
      tagsKnown: true,
      state: {
        behaviors: [
          { viewerProtocolPolicy: "redirect-to-https" },
          { pathPattern: "/legacy/*", viewerProtocolPolicy: "allow-all" },
          { pathPattern: "/static/*", viewerProtocolPolicy: "https-only" },
        ],
        tags: { team: "web", env: "prod" },
      },
    });
  });

  it("the request's config stands in when CloudTrail left the answer out", () => {
    const [observation] = observe("UpdateDistribution-redirect-to-https", (d) => (d.responseElements = null));
    expect(observation).toMatchObject({
      complete: true,
      state: { behaviors: [{}, { pathPattern: "/static/*" }] },
    });
    expect(observation?.needsRefresh).toBeUndefined();
  });

  it("behaviors cut short (fewer items than their quantity) or a hidden policy: the config is read instead", () => {
    const cut = observe("UpdateDistribution-redirect-to-https", (d) => {
      for (const c of configs(d)) (c.cacheBehaviors as { items: unknown[] }).items = [];
    });
    const hidden = observe("UpdateDistribution-default-allow-all", (d) => {
      for (const c of configs(d))
        (c.defaultCacheBehavior as Detail).viewerProtocolPolicy = "HIDDEN_DUE_TO_SECURITY_REASONS";
    });
    for (const [observation] of [cut, hidden]) {
      expect(observation).toMatchObject({ complete: false, needsRefresh: true, resource: RESOURCE });
      expect(observation?.state?.behaviors).toBeUndefined();
    }
  });

  it("CopyDistribution: the new copy's id comes from the answer, never the primary's", () => {
    const [observation] = observe("CreateDistribution-https-only", (d) => {
      d.eventName = "CopyDistribution";
      d.requestParameters = {
        primaryDistributionId: "EPRIMARY12345",
        staging: true,
        callerReference: "copy-1",
      };
    });
    expect(observation?.resource.id).toBe(DISTRIBUTION);
  });

  it("DeleteDistribution: no state (its findings resolve)", () => {
    expect(observe("DeleteDistribution")[0]).toMatchObject({
      resource: RESOURCE,
      state: undefined,
      complete: true,
    });
  });

  it("bad input is an UnusableEventError, never a crash", () => {
    const cases: [string, (d: Detail) => void][] = [
      ["DeleteDistribution", (d) => (d.requestParameters = {})],
      ["DeleteDistribution", (d) => (d.requestParameters = { id: "../../etc" })],
      [
        "UpdateDistribution-default-allow-all",
        (d) => ((d.responseElements = null), (d.requestParameters = null)),
      ],
      ["CreateDistribution-https-only", (d) => (d.responseElements = { distribution: { id: 7 } })],
      ["UpdateDistribution-default-allow-all", (d) => (d.eventName = "CreateInvalidation")],
    ];
    for (const [name, change] of cases) expect(() => observe(name, change), name).toThrow(UnusableEventError);
  });
});

describe("CloudFront distribution adapter: Config items", () => {
  it("a distribution: whole, tags included, region global whatever Config says", () => {
    expect(adapter.fromConfigItem(configItem("config-item-distribution-allow-all"))).toEqual({
      resource: RESOURCE,
      state: {
        distributionId: DISTRIBUTION,
        distributionArn: DISTRIBUTION_ARN,
        behaviors: [
          { viewerProtocolPolicy: "allow-all" },
          { pathPattern: "/static/*", viewerProtocolPolicy: "https-only" },
        ],
        enabled: true,
        staging: false,
        tags: { team: "web", env: "prod" },
      },
      complete: true,
      observedAt: "2025-03-19T14:16:03.104Z",
      tagsKnown: true,
    });
  });

  it("a deleted distribution: no state", () => {
    expect(adapter.fromConfigItem(configItem("config-item-distribution-deleted"))).toMatchObject({
      resource: RESOURCE,
      state: undefined,
    });
  });

  it("an unreadable configuration is an UnusableEventError", () => {
    const item = configItem("config-item-distribution-allow-all");
    expect(() => adapter.fromConfigItem({ ...item, configuration: { id: DISTRIBUTION } })).toThrow(
      UnusableEventError,
    );
  });
});

describe("CloudFront distribution adapter: live reads", () => {
  it("refresh reads the config (GetDistributionConfig); a distribution that is gone has no state", async () => {
    cf.on(GetDistributionConfigCommand)
      .resolvesOnce({
        ETag: "E3UN6WX5RRO2AG",
        DistributionConfig: {
          CallerReference: "web-prod-2025-03-19",
          Comment: "",
          Enabled: true,
          Origins: { Quantity: 0, Items: [] },
          DefaultCacheBehavior: { TargetOriginId: "web-origin", ViewerProtocolPolicy: "redirect-to-https" },
          CacheBehaviors: {
            Quantity: 1,
            Items: [
              { PathPattern: "/static/*", TargetOriginId: "web-origin", ViewerProtocolPolicy: "allow-all" },
            ],
          },
        },
      })
      .rejects(awsError("NoSuchDistribution"));
    const [initial] = observe("UpdateDistribution-redirect-to-https", (d) => {
      for (const c of configs(d)) (c.cacheBehaviors as { items: unknown[] }).items = [];
    });
    expect(await adapter.refresh?.(initial!, clients)).toMatchObject({
      complete: true,
      needsRefresh: false,
      state: {
        distributionId: DISTRIBUTION,
        behaviors: [
          { viewerProtocolPolicy: "redirect-to-https" },
          { pathPattern: "/static/*", viewerProtocolPolicy: "allow-all" },
        ],
        enabled: true,
      },
    });
    expect(cf.commandCalls(GetDistributionConfigCommand)[0]?.args[0].input).toEqual({ Id: DISTRIBUTION });
    expect((await adapter.refresh?.(initial!, clients))?.state).toBeUndefined();
  });

  it("tags by ARN; none for a distribution that is gone; other errors pass on", async () => {
    cf.on(ListTagsForResourceCommand)
      .resolvesOnce({ Tags: { Items: [{ Key: "vigil:exempt", Value: "CloudFront.3" }] } })
      .rejectsOnce(awsError("NoSuchResource"))
      .rejects(awsError("AccessDenied"));
    const [observation] = observe("UpdateDistribution-default-allow-all");
    expect(await adapter.readTags(observation!, clients)).toEqual({ "vigil:exempt": "CloudFront.3" });
    expect(cf.commandCalls(ListTagsForResourceCommand)[0]?.args[0].input).toEqual({
      Resource: DISTRIBUTION_ARN,
    });
    expect(await adapter.readTags(observation!, clients)).toEqual({});
    await expect(adapter.readTags(observation!, clients)).rejects.toThrow("AccessDenied");
  });
});
