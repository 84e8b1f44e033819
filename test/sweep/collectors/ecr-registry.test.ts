import {
  DescribeRepositoriesCommand,
  type DescribeRepositoriesCommandInput,
  type DescribeRepositoriesCommandOutput,
} from "@aws-sdk/client-ecr";
import { afterEach, describe, expect, it } from "vitest";
import type { CloudTrailDetail } from "../../../shared/events/cloudtrail";
import adapter from "../../../shared/resources/ecr-registry/adapter";
import collector from "../../../shared/sweep/collectors/ecr-registry";
import { loadEvent } from "../../support/events";
import { collectAll, collectContext, pagedAnswers, violated } from "./data-context";
import { ecr, ecrMock, REGISTRY, registryScanning, repository } from "./ecr-context";

afterEach(() => ecrMock.reset());

describe("ECR registry collector", () => {
  it("one observation: the scanning rules, and every repository's own flag over pages when the rules don't cover all", async () => {
    const pages = pagedAnswers<DescribeRepositoriesCommandInput, DescribeRepositoriesCommandOutput>(
      "nextToken",
      {
        "": { repositories: [repository("orders/api", false)], nextToken: "n2", $metadata: {} },
        n2: { repositories: [repository("prod-payments", false)], $metadata: {} },
      } as never,
    );
    ecrMock.on(DescribeRepositoriesCommand).callsFake(pages.answer);
    registryScanning();
    const [only, ...rest] = await collectAll(collector, collectContext({ ecr }));
    expect(rest).toEqual([]);
    expect(pages.seen).toEqual([
      { registryId: REGISTRY, maxResults: 1000 },
      { registryId: REGISTRY, maxResults: 1000, nextToken: "n2" },
    ]);
    expect(only?.resource.id).toBe(REGISTRY);
    expect(only?.state?.repositories).toEqual([
      { name: "orders/api", scanOnPush: false },
      { name: "prod-payments", scanOnPush: false },
    ]);
    expect([only?.complete, only?.tagsKnown, only?.needsRefresh]).toEqual([true, true, false]);
  });

  it("parity: the same violations as PutRegistryScanningConfiguration (basic, prod-* only) after its refresh", async () => {
    ecrMock.on(DescribeRepositoriesCommand).resolves({ repositories: [repository("orders/api", false)] });
    registryScanning();
    const context = collectContext({ ecr });
    const [swept] = await collectAll(collector, context);
    const detail = loadEvent("ecr/put-registry-scanning-basic-prod-only.json")
      .detail as unknown as CloudTrailDetail;
    const [first] = adapter.fromCloudTrail(detail, REGISTRY);
    if (!first || !adapter.refresh) throw new Error("nothing read from the event");
    const event = await adapter.refresh(first, context.clients, { config: context.config });
    expect(violated(event).length).toBeGreaterThan(0);
    expect(violated(swept!)).toEqual(violated(event));
    expect(collector.iamActions).toEqual([
      "ecr:GetRegistryScanningConfiguration",
      "ecr:DescribeRepositories",
    ]);
  });
});
