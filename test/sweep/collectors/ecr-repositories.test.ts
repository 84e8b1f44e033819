import {
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  type DescribeRepositoriesCommandInput,
  type DescribeRepositoriesCommandOutput,
} from "@aws-sdk/client-ecr";
import { afterEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/ecr-repository/adapter";
import defaultCollector, {
  ecrRepositoriesCollector,
} from "../../../shared/sweep/collectors/ecr-repositories";
import { collectAll, collectContext, configItemOf, pagedAnswers, violated } from "./data-context";
import { ecr, ecrMock, registryScanning, repository, wholeRepository } from "./ecr-context";

afterEach(() => ecrMock.reset());

describe("ECR repositories collector", () => {
  const orders = repository("orders/api", false);
  const prod = repository("prod-payments", true, { imageTagMutability: "IMMUTABLE" });

  it("pages DescribeRepositories and reads each repository whole once", async () => {
    const pages = pagedAnswers<DescribeRepositoriesCommandInput, DescribeRepositoriesCommandOutput>(
      "nextToken",
      {
        "": { repositories: [orders], nextToken: "n2", $metadata: {} },
        n2: { repositories: [prod], $metadata: {} },
      } as never,
    );
    // The listing's calls carry maxResults; the per-repository reads name the repository.
    ecrMock.on(DescribeRepositoriesCommand, { maxResults: 1 }).callsFake(pages.answer);
    registryScanning();
    wholeRepository(orders);
    wholeRepository(prod);
    const found = await collectAll(ecrRepositoriesCollector(1), collectContext({ ecr }));

    expect(pages.seen).toEqual([{ maxResults: 1 }, { maxResults: 1, nextToken: "n2" }]);
    expect(
      ecrMock.commandCalls(GetLifecyclePolicyCommand).map((c) => c.args[0].input.repositoryName),
    ).toEqual(["orders/api", "prod-payments"]);
    expect(found.map((o) => o.resource.id)).toEqual(["orders/api", "prod-payments"]);
    for (const o of found) {
      expect([o.complete, o.tagsKnown]).toEqual([true, true]);
      expect(o.state?.tags).toEqual({ team: "orders" });
    }
  });

  it("parity: scan-on-push off and mutable tags violate as the Config item (then its refresh) does", async () => {
    ecrMock.on(DescribeRepositoriesCommand, { maxResults: 1000 }).resolves({ repositories: [orders] });
    registryScanning();
    wholeRepository(orders);
    const context = collectContext({ ecr });
    const [swept] = await collectAll(defaultCollector, context);
    const item = adapter.fromConfigItem(configItemOf("ecr/config-item-noncompliant.json"));
    const first = Array.isArray(item) ? item[0] : item;
    if (!first || !adapter.refresh) throw new Error("no Config item observation");
    const event = first.needsRefresh
      ? await adapter.refresh(first, context.clients, { config: context.config })
      : first;
    const expected = violated(event);
    expect(expected).toEqual(expect.arrayContaining(["ECR.1", "ECR.2"]));
    expect(violated(swept!)).toEqual(expected);
    expect(defaultCollector.iamActions).toEqual([
      "ecr:ListTagsForResource",
      "ecr:GetRegistryScanningConfiguration",
      "ecr:DescribeRepositories",
      "ecr:GetLifecyclePolicy",
      "ecr:GetRepositoryPolicy",
      "kms:DescribeKey",
    ]);
  });
});
