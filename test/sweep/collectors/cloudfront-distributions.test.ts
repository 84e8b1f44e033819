import {
  CloudFrontClient,
  ListDistributionsCommand,
  type DistributionSummary,
  type ListDistributionsCommandInput,
  type ListDistributionsCommandOutput,
} from "@aws-sdk/client-cloudfront";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/cloudfront-distribution/adapter";
import defaultCollector, {
  cloudFrontDistributionsCollector,
} from "../../../shared/sweep/collectors/cloudfront-distributions";
import {
  collectAll,
  collectContext,
  configItemOf,
  credentials,
  pagedAnswers,
  verdicts,
  violated,
} from "./data-context";

const cloudFront = new CloudFrontClient({ region: "us-east-1", credentials });
const mock = mockClient(cloudFront);
afterEach(() => mock.reset());

/** A summary as ListDistributions gives it; only what the collector reads is filled in beyond the required. */
function summary(id: string, defaultPolicy: string, paths: [string, string][] = []): DistributionSummary {
  return {
    Id: id,
    ARN: `arn:aws:cloudfront::111122223333:distribution/${id}`,
    Status: "Deployed",
    Enabled: true,
    Staging: false,
    DomainName: `${id.toLowerCase()}.cloudfront.net`,
    DefaultCacheBehavior: {
      TargetOriginId: "web-origin",
      ViewerProtocolPolicy: defaultPolicy as "allow-all",
    },
    CacheBehaviors: {
      Quantity: paths.length,
      Items: paths.map(([PathPattern, policy]) => ({
        PathPattern,
        TargetOriginId: "web-origin",
        ViewerProtocolPolicy: policy as "allow-all",
      })),
    },
  } as DistributionSummary;
}

describe("CloudFront distributions collector", () => {
  it("pages ListDistributions and yields every distribution once, from the summaries alone", async () => {
    const pages = pagedAnswers<ListDistributionsCommandInput, ListDistributionsCommandOutput>("Marker", {
      "": {
        DistributionList: {
          Items: [summary("E2QWRUHEXAMPLE", "allow-all", [["/static/*", "https-only"]])],
          IsTruncated: true,
          NextMarker: "E2QWRUHEXAMPLE",
          Marker: "",
          MaxItems: 1,
          Quantity: 1,
        },
      },
      E2QWRUHEXAMPLE: {
        DistributionList: {
          Items: [summary("E1SECUREEXAMPLE", "redirect-to-https")],
          IsTruncated: false,
          Marker: "E2QWRUHEXAMPLE",
          MaxItems: 1,
          Quantity: 1,
        },
      },
    });
    mock.on(ListDistributionsCommand).callsFake(pages.answer);
    const found = await collectAll(cloudFrontDistributionsCollector(1), collectContext({ cloudFront }));

    expect(pages.seen).toEqual([{ MaxItems: 1 }, { MaxItems: 1, Marker: "E2QWRUHEXAMPLE" }]);
    expect(mock.calls()).toHaveLength(2);
    expect(found.map((o) => o.resource.id)).toEqual(["E2QWRUHEXAMPLE", "E1SECUREEXAMPLE"]);
    expect(found.every((o) => o.complete && o.resource.region === "global")).toBe(true);
    expect(found.map(violated)).toEqual([["CloudFront.3"], []]);
    expect(defaultCollector.scope).toBe("global");
    expect(defaultCollector.iamActions).toEqual(["cloudfront:ListDistributions"]);
  });

  it("judges a distribution as its Config item is judged", async () => {
    mock.on(ListDistributionsCommand).resolves({
      DistributionList: {
        Items: [summary("E2QWRUHEXAMPLE", "allow-all", [["/static/*", "https-only"]])],
        IsTruncated: false,
        Marker: "",
        MaxItems: 1000,
        Quantity: 1,
      },
    });
    const [swept] = await collectAll(defaultCollector, collectContext({ cloudFront }));
    const fromConfig = adapter.fromConfigItem(
      configItemOf("cloudfront/config-item-distribution-allow-all.json"),
    );

    expect(swept?.resource).toEqual(fromConfig.resource);
    const { tags: _tags, ...configState } = fromConfig.state ?? { distributionId: "", distributionArn: "" };
    expect(swept?.state).toEqual(configState);
    expect(violated(fromConfig)).toEqual(["CloudFront.3"]);
    expect(verdicts(swept!)).toEqual(verdicts(fromConfig));
  });

  it("leaves a viewer protocol policy it does not know unjudged", async () => {
    mock.on(ListDistributionsCommand).resolves({
      DistributionList: {
        Items: [summary("E3NEWPOLICY", "https-only-v2")],
        IsTruncated: false,
        Marker: "",
        MaxItems: 1000,
        Quantity: 1,
      },
    });
    const [swept] = await collectAll(defaultCollector, collectContext({ cloudFront }));
    expect(swept?.state?.behaviors).toBeUndefined();
    expect(violated(swept!)).toEqual([]);
    expect(verdicts(swept!).find((v) => v.checkId === "CloudFront.3")?.undecided).toBeDefined();
  });
});
