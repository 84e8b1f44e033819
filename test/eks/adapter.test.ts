import {
  DescribeAddonCommand,
  DescribeClusterCommand,
  EKSClient,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-eks";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configItemSchema } from "../../shared/events/config-item";
import { UnusableEventError, type Observation, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/eks-cluster/adapter";
import {
  ACCOUNT,
  CLUSTER,
  CLUSTER_ARN,
  KEY_ARN,
  REGION,
  awsError,
  describedCluster,
  eksEvent,
} from "./support";

type ClusterObservation = Observation<"AWS::EKS::Cluster">;

const observe = (name: string, change: (detail: Record<string, unknown>) => void = () => {}) => {
  const event = eksEvent(name);
  change(event.detail);
  return adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT) as ClusterObservation[];
};
const fromConfig = (name: string) =>
  adapter.fromConfigItem(
    configItemSchema.parse((eksEvent(name).detail as { configurationItem: unknown }).configurationItem),
  ) as ClusterObservation;

const eksClient = new EKSClient({ region: REGION });
const eks = mockClient(eksClient);
const clients = { eks: () => eksClient } as unknown as ReadClients;
afterEach(() => eks.reset());

const ref = {
  type: "AWS::EKS::Cluster",
  id: CLUSTER,
  arn: CLUSTER_ARN,
  account: ACCOUNT,
  region: REGION,
  name: CLUSTER,
};
const identity = { clusterName: CLUSTER, clusterArn: CLUSTER_ARN, region: REGION };

describe("EKS cluster adapter: CloudTrail cluster calls", () => {
  it("CreateCluster with defaults: the response's cluster, every log type off, no encryption, its tags", () => {
    const [o] = observe("CreateCluster-defaults-old-version");
    expect(o).toEqual({
      resource: {
        ...ref,
        id: "legacy-batch",
        name: "legacy-batch",
        arn: CLUSTER_ARN.replace(CLUSTER, "legacy-batch"),
      },
      state: {
        clusterName: "legacy-batch",
        clusterArn: CLUSTER_ARN.replace(CLUSTER, "legacy-batch"),
        region: REGION,
        version: "1.29",
        endpoint: { publicAccess: true, privateAccess: false, publicAccessCidrs: ["0.0.0.0/0"] },
        secretsKeyArn: null,
        logTypes: {
          api: false,
          audit: false,
          authenticator: false,
          controllerManager: false,
          scheduler: false,
        },
        tags: {},
      },
      complete: true,
      observedAt: expect.any(String),
      tagsKnown: true,
    });
  });

  it("CreateCluster with an abridged answer (the EKS guide's 2018 sample) falls back on the request and EKS's defaults", () => {
    const [o] = observe("CreateCluster-defaults-old-version", (d) => {
      d.requestParameters = {
        clusterName: "test",
        roleArn: "arn:aws:iam::111122223333:role/r",
        resourcesVpcConfig: { subnetIds: [] },
      };
      d.responseElements = {
        cluster: {
          clusterName: "test",
          status: "CREATING",
          version: "1.10",
          resourcesVpcConfig: { subnetIds: [] },
        },
      };
    });
    expect(o?.resource.id).toBe("test");
    expect(o?.state).toMatchObject({
      version: "1.10",
      endpoint: { publicAccess: true, privateAccess: false, publicAccessCidrs: ["0.0.0.0/0"] },
      secretsKeyArn: null,
      logTypes: { audit: false },
    });
  });

  it("CreateCluster hardened: private endpoint, KMS key, audit on", () => {
    const [o] = observe("CreateCluster-private-encrypted-audited");
    expect(o?.state).toMatchObject({
      version: "1.33",
      endpoint: { publicAccess: false, privateAccess: true, publicAccessCidrs: [] },
      secretsKeyArn: KEY_ARN,
      logTypes: { api: true, audit: true, authenticator: true, controllerManager: false, scheduler: false },
      tags: { team: "payments" },
    });
  });

  it("UpdateClusterConfig names only the log types it changes", () => {
    expect(observe("UpdateClusterConfig-disable-audit-logging")[0]?.state).toEqual({
      ...identity,
      logTypes: { audit: false },
    });
    expect(observe("UpdateClusterConfig-disable-scheduler-logging")[0]?.state).toEqual({
      ...identity,
      logTypes: { scheduler: false },
    });
  });

  it("UpdateClusterConfig endpoint changes: judged from the call when it says enough, else read live", () => {
    const [world] = observe("UpdateClusterConfig-public-endpoint-world");
    expect(world?.state?.endpoint).toEqual({
      publicAccess: true,
      privateAccess: true,
      publicAccessCidrs: ["0.0.0.0/0"],
    });
    expect(world?.needsRefresh).toBeUndefined();
    const [priv] = observe("UpdateClusterConfig-private-endpoint");
    expect(priv?.state?.endpoint).toEqual({ publicAccess: false, privateAccess: true });
    expect(priv?.needsRefresh).toBeUndefined();
    const [cidrsOnly] = observe("UpdateClusterConfig-public-access-cidrs-only");
    expect(cidrsOnly?.state).toMatchObject({ pending: { cluster: true } });
    expect(cidrsOnly?.needsRefresh).toBe(true);
  });

  it("UpdateClusterVersion, AssociateEncryptionConfig, DeleteCluster", () => {
    expect(observe("UpdateClusterVersion")[0]?.state).toEqual({ ...identity, version: "1.33" });
    expect(observe("AssociateEncryptionConfig")[0]?.state).toEqual({ ...identity, secretsKeyArn: KEY_ARN });
    const [deleted] = observe("DeleteCluster");
    expect(deleted).toMatchObject({ resource: ref, state: undefined, complete: true, tagsKnown: true });
  });

  it.each([
    ["no cluster name", (d: Record<string, unknown>) => (d.requestParameters = { logging: {} })],
    [
      "a malformed logging setting",
      (d: Record<string, unknown>) =>
        (d.requestParameters = { name: CLUSTER, logging: { clusterLogging: "audit" } }),
    ],
    [
      "a name that is no cluster name",
      (d: Record<string, unknown>) => (d.requestParameters = { name: "../etc", logging: {} }),
    ],
    ["no requestParameters", (d: Record<string, unknown>) => (d.requestParameters = null)],
  ])("UnusableEventError for %s", (_, change) => {
    expect(() => observe("UpdateClusterConfig-disable-audit-logging", change)).toThrow(UnusableEventError);
  });

  it("UpdateClusterVersion without a version is unusable; an ARN as the name is reduced to the name", () => {
    expect(() => observe("UpdateClusterVersion", (d) => (d.requestParameters = { name: CLUSTER }))).toThrow(
      UnusableEventError,
    );
    const [o] = observe(
      "UpdateClusterVersion",
      (d) => (d.requestParameters = { name: CLUSTER_ARN, version: "1.33" }),
    );
    expect(o?.resource.id).toBe(CLUSTER);
  });
});

describe("EKS cluster adapter: vpc-cni add-on calls", () => {
  it("CreateAddon without enableNetworkPolicy: managed, off", () => {
    const [o] = observe("CreateAddon-vpc-cni-without-network-policy");
    expect(o?.state).toEqual({ ...identity, vpcCni: { managed: true, networkPolicy: false } });
    expect(o?.tagsKnown).toBe(false);
  });
  it("CreateAddon with YAML values that enable it", () => {
    expect(observe("CreateAddon-vpc-cni-network-policy-yaml")[0]?.state?.vpcCni).toEqual({
      managed: true,
      networkPolicy: true,
    });
  });
  it("UpdateAddon with values: judged from them; without: read live", () => {
    expect(observe("UpdateAddon-vpc-cni-enable-network-policy")[0]?.state?.vpcCni).toEqual({
      managed: true,
      networkPolicy: true,
    });
    expect(observe("UpdateAddon-vpc-cni-disable-network-policy")[0]?.state?.vpcCni).toEqual({
      managed: true,
      networkPolicy: false,
    });
    const [versionOnly] = observe("UpdateAddon-vpc-cni-version-only");
    expect(versionOnly?.state).toEqual({ ...identity, pending: { vpcCni: true } });
    expect(versionOnly?.needsRefresh).toBe(true);
  });
  it("values CloudTrail hid are read live too", () => {
    const [o] = observe("UpdateAddon-vpc-cni-enable-network-policy", (d) => {
      (d.requestParameters as Record<string, unknown>).configurationValues = "HIDDEN_DUE_TO_SECURITY_REASONS";
    });
    expect(o?.state?.pending).toEqual({ vpcCni: true });
    expect(o?.needsRefresh).toBe(true);
  });
  it("DeleteAddon: no longer managed; other add-ons: nothing to observe", () => {
    expect(observe("DeleteAddon-vpc-cni-preserve")[0]?.state?.vpcCni).toEqual({ managed: false });
    expect(observe("CreateAddon-coredns")).toEqual([]);
  });
  it("an add-on call without addonName is unusable", () => {
    expect(() =>
      observe(
        "CreateAddon-vpc-cni-without-network-policy",
        (d) => (d.requestParameters = { clusterName: CLUSTER }),
      ),
    ).toThrow(UnusableEventError);
  });
});

describe("EKS cluster adapter: Config items", () => {
  it("non-compliant item: the whole cluster, tags included, nothing to read", () => {
    const o = fromConfig("config-item-noncompliant");
    expect(o).toMatchObject({ resource: ref, complete: true, tagsKnown: true });
    expect(o.needsRefresh).toBeUndefined();
    expect(o.state).toEqual({
      ...identity,
      version: "1.30",
      endpoint: { publicAccess: true, privateAccess: false, publicAccessCidrs: ["0.0.0.0/0"] },
      logTypes: { api: true, audit: false, authenticator: true, controllerManager: false, scheduler: false },
      secretsKeyArn: null,
      tags: { team: "payments" },
    });
  });
  it("compliant item", () => {
    expect(fromConfig("config-item-compliant").state).toMatchObject({
      version: "1.33",
      endpoint: { publicAccess: false, privateAccess: true },
      logTypes: { audit: true },
      secretsKeyArn: KEY_ARN,
    });
  });
  it("an item without Logging or EncryptionConfig is not guessed: it is read live", () => {
    const o = fromConfig("config-item-without-logging-or-encryption");
    expect(o.needsRefresh).toBe(true);
    expect(o.state?.pending).toEqual({ cluster: true });
    expect(o.state?.logTypes).toBeUndefined();
    expect(o.state?.secretsKeyArn).toBeUndefined();
  });
  it("deleted item: no state", () => {
    expect(fromConfig("config-item-deleted")).toMatchObject({
      resource: ref,
      state: undefined,
      complete: true,
    });
  });
  it("an unreadable configuration is unusable", () => {
    const item = configItemSchema.parse(
      (eksEvent("config-item-compliant").detail as { configurationItem: unknown }).configurationItem,
    );
    expect(() => adapter.fromConfigItem({ ...item, configuration: { Version: 1.33 } })).toThrow(
      UnusableEventError,
    );
  });
});

describe("EKS cluster adapter: live reads", () => {
  it("refresh completes an endpoint change from DescribeCluster; what the call states wins", async () => {
    eks.on(DescribeClusterCommand).resolves(describedCluster());
    const [o] = observe("UpdateClusterConfig-public-access-cidrs-only");
    const refreshed = (await adapter.refresh?.(o as ClusterObservation, clients)) as ClusterObservation;
    expect(eks.commandCalls(DescribeClusterCommand).map((c) => c.args[0].input)).toEqual([{ name: CLUSTER }]);
    expect(refreshed.needsRefresh).toBe(false);
    expect(refreshed.tagsKnown).toBe(true);
    expect(refreshed.state).toEqual({
      ...identity,
      version: "1.33",
      endpoint: {
        publicAccess: true,
        privateAccess: true,
        publicAccessCidrs: ["203.0.113.0/24", "198.51.100.0/24"],
      },
      secretsKeyArn: KEY_ARN,
      logTypes: { api: true, audit: true, authenticator: false, controllerManager: false, scheduler: false },
      tags: { team: "payments" },
    });
  });

  it("refresh of a cluster deleted since the call: no state", async () => {
    eks.on(DescribeClusterCommand).rejects(awsError("ResourceNotFoundException"));
    const [o] = observe("UpdateClusterConfig-public-access-cidrs-only");
    const refreshed = (await adapter.refresh?.(o as ClusterObservation, clients)) as ClusterObservation;
    expect(refreshed).toMatchObject({ state: undefined, complete: true, needsRefresh: false });
  });

  it("refresh of a cluster in a shape Vigil can't read: unusable, never taken for deleted", async () => {
    eks.on(DescribeClusterCommand).resolves({ cluster: { name: "prod", version: 134 as unknown as string } });
    const [o] = observe("UpdateClusterConfig-public-access-cidrs-only");
    await expect(adapter.refresh?.(o as ClusterObservation, clients)).rejects.toThrow(
      /shape Vigil can't read/,
    );
  });

  it("refresh fills only what a Config item left out", async () => {
    eks
      .on(DescribeClusterCommand)
      .resolves(describedCluster({ version: "1.20", encryptionConfig: undefined, tags: { other: "x" } }));
    const refreshed = (await adapter.refresh?.(
      fromConfig("config-item-without-logging-or-encryption"),
      clients,
    )) as ClusterObservation;
    expect(refreshed.state).toMatchObject({
      version: "1.33",
      endpoint: { publicAccess: false, privateAccess: true, publicAccessCidrs: ["0.0.0.0/0"] },
      secretsKeyArn: null,
      logTypes: { audit: true },
      tags: {},
    });
    expect(refreshed.state?.pending).toBeUndefined();
  });

  it("refresh reads the vpc-cni configuration with DescribeAddon", async () => {
    eks
      .on(DescribeAddonCommand)
      .resolves({ addon: { addonName: "vpc-cni", configurationValues: '{"enableNetworkPolicy":"true"}' } });
    const [o] = observe("UpdateAddon-vpc-cni-version-only");
    const refreshed = (await adapter.refresh?.(o as ClusterObservation, clients)) as ClusterObservation;
    expect(eks.commandCalls(DescribeAddonCommand).map((c) => c.args[0].input)).toEqual([
      { clusterName: CLUSTER, addonName: "vpc-cni" },
    ]);
    expect(eks.commandCalls(DescribeClusterCommand)).toEqual([]);
    expect(refreshed.state).toEqual({ ...identity, vpcCni: { managed: true, networkPolicy: true } });
  });

  it("DescribeAddon finding no add-on: not managed", async () => {
    eks.on(DescribeAddonCommand).rejects(awsError("ResourceNotFoundException"));
    const [o] = observe("UpdateAddon-vpc-cni-version-only");
    const refreshed = (await adapter.refresh?.(o as ClusterObservation, clients)) as ClusterObservation;
    expect(refreshed.state?.vpcCni).toEqual({ managed: false });
  });

  it("readTags: ListTagsForResource on the cluster ARN; a cluster that is gone has none", async () => {
    eks
      .on(ListTagsForResourceCommand)
      .resolvesOnce({ tags: { "vigil:exempt": "EKS.8" } })
      .rejectsOnce(awsError("NotFoundException"));
    const [o] = observe("UpdateClusterConfig-disable-audit-logging");
    expect(await adapter.readTags(o as ClusterObservation, clients)).toEqual({ "vigil:exempt": "EKS.8" });
    expect(await adapter.readTags(o as ClusterObservation, clients)).toEqual({});
    expect(eks.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([
      { resourceArn: CLUSTER_ARN },
      { resourceArn: CLUSTER_ARN },
    ]);
  });

  it("a throttled read fails (the pipeline retries the event)", async () => {
    eks.on(DescribeClusterCommand).rejects(awsError("ThrottlingException"));
    const [o] = observe("UpdateClusterConfig-public-access-cidrs-only");
    await expect(adapter.refresh?.(o as ClusterObservation, clients)).rejects.toThrow("ThrottlingException");
  });
});
