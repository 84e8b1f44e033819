import { CreateClusterCommand, EKSClient, type CreateClusterCommandInput } from "@aws-sdk/client-eks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CloudTrailDetail } from "../../../shared/events/cloudtrail";
import adapter from "../../../shared/resources/eks-cluster/adapter";
import defaultCollector, { eksClustersCollector } from "../../../shared/sweep/collectors/eks-clusters";
import { loadEvent } from "../../support/events";
import type { EksDouble } from "../../support/local-aws/eks";
import { startLocalAws, type LocalAws } from "../../support/local-aws/server";
import { collectAll, collectContext, credentials, verdicts, violated } from "./data-context";

const detailOf = (path: string) => loadEvent(path).detail as unknown as CloudTrailDetail;

describe("EKS clusters collector (local EKS endpoint)", () => {
  let aws: LocalAws;
  let eks: EKSClient;
  const names = ["legacy-batch", "payments-prod", "platform"];

  beforeAll(async () => {
    aws = await startLocalAws();
    eks = new EKSClient({ endpoint: aws.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
    // As CreateCluster-defaults-old-version asks: public endpoint, no logs, no secrets encryption.
    const request = detailOf("eks/CreateCluster-defaults-old-version.json")
      .requestParameters as unknown as CreateClusterCommandInput;
    await eks.send(new CreateClusterCommand(request));
    await eks.send(new CreateClusterCommand({ ...request, name: "payments-prod", version: "1.33" }));
    await eks.send(new CreateClusterCommand({ ...request, name: "platform", version: "1.33" }));
    const double = aws.double<EksDouble>("eks");
    // As UpdateAddon-vpc-cni-disable-network-policy leaves it.
    double.putAddon("payments-prod", "vpc-cni", '{"enableNetworkPolicy":"false"}');
    double.putAddon("platform", "vpc-cni", '{"enableNetworkPolicy":"true"}');
  });
  afterAll(async () => {
    eks?.destroy();
    await aws?.close();
  });

  it("pages ListClusters and reads each cluster and its vpc-cni add-on once", async () => {
    const found = await collectAll(eksClustersCollector(2), collectContext({ eks }));
    expect(found.map((o) => o.resource.id)).toEqual(names);
    const pages = aws.calls("eks", "ListClusters").map((r) => r.params);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toEqual({ maxResults: "2" });
    expect(pages[1]?.nextToken).toBeTruthy();
    expect(aws.calls("eks", "DescribeCluster").map((r) => r.params.name)).toEqual(names);
    expect(aws.calls("eks", "DescribeAddon").map((r) => [r.params.name, r.params.addonName])).toEqual(
      names.map((n) => [n, "vpc-cni"]),
    );
    for (const o of found) {
      expect([o.complete, o.tagsKnown]).toEqual([true, true]);
      expect(o.state?.pending).toBeUndefined();
    }
    expect(found[0]?.state?.vpcCni).toEqual({ managed: false });
  });

  it("parity: the CreateCluster event (refreshed) and the UpdateAddon event give the same violations", async () => {
    const byName = new Map(
      (await collectAll(defaultCollector, collectContext({ eks }))).map((o) => [o.resource.id, o]),
    );
    const context = collectContext({ eks });
    const refresh = async (path: string) => {
      const [observation] = adapter.fromCloudTrail(detailOf(path), "111122223333");
      if (!observation || !adapter.refresh) throw new Error(`nothing read from ${path}`);
      return observation.needsRefresh
        ? adapter.refresh(observation, context.clients, { config: context.config })
        : observation;
    };
    const created = await refresh("eks/CreateCluster-defaults-old-version.json");
    const clusterChecks = ["EKS.1", "EKS.2", "EKS.3", "EKS.8"];
    const pick = (o: Parameters<typeof verdicts>[0]) =>
      verdicts(o).filter((v) => clusterChecks.includes(v.checkId));
    expect(violated(created).length).toBeGreaterThan(0);
    expect(pick(byName.get("legacy-batch")!)).toEqual(pick(created));

    const addon = await refresh("eks/UpdateAddon-vpc-cni-disable-network-policy.json");
    expect(violated(addon)).toContain("VIGIL.EKS.NETWORK_POLICY_DISABLED");
    expect(violated(byName.get("payments-prod")!)).toContain("VIGIL.EKS.NETWORK_POLICY_DISABLED");
    expect(violated(byName.get("platform")!)).not.toContain("VIGIL.EKS.NETWORK_POLICY_DISABLED");
    expect(defaultCollector.iamActions).toEqual([
      "eks:ListClusters",
      "eks:DescribeCluster",
      "eks:DescribeAddon",
    ]);
  });
});
