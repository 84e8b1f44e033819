import { describe, expect, it } from "vitest";
import type { CloudTrailDetail } from "../../shared/events/cloudtrail";
import type { ConfigItem } from "../../shared/events/config-item";
import { UnusableEventError } from "../../shared/resources/adapter";
import instances from "../../shared/resources/ec2-instance/adapter";
import subnets from "../../shared/resources/subnet/adapter";
import {
  ACCOUNT,
  DEFAULT_SUBNET,
  DEFAULTS,
  LEGACY,
  SUBNET,
  WORKERS,
  instanceEvent,
  subnetEvent,
} from "./support";

const detailOf = (event: { detail: Record<string, unknown> }) => event.detail as unknown as CloudTrailDetail;
const itemOf = (event: { detail: Record<string, unknown> }) =>
  (event.detail as { configurationItem: ConfigItem }).configurationItem;
const fromTrail = (name: string, edit?: (detail: Record<string, unknown>) => void) => {
  const event = instanceEvent(name);
  edit?.(event.detail);
  return instances.fromCloudTrail(detailOf(event), ACCOUNT);
};

describe("EC2 instance adapter: RunInstances", () => {
  it("the reference sample: explicit optional tokens and enabled endpoint, public address left to the subnet", () => {
    const [observation, ...rest] = fromTrail("RunInstances-imdsv1-httptokens-optional");
    expect(rest).toEqual([]);
    expect(observation).toEqual({
      resource: {
        type: "AWS::EC2::Instance",
        id: LEGACY,
        arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${LEGACY}`,
        account: ACCOUNT,
        region: "us-east-1",
      },
      state: {
        instanceId: LEGACY,
        subnetId: SUBNET,
        vpcId: "vpc-0d4e7a1c9b3f5e268",
        metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" },
        launchAutoAssign: "subnet",
      },
      complete: true,
      observedAt: "2025-03-14T15:30:12Z",
      tagsKnown: false,
      needsRefresh: true,
    });
  });

  it("one observation per launched instance; an explicit AssociatePublicIpAddress settles the address, no live read", () => {
    const observations = fromTrail("RunInstances-two-imdsv2-public-ip");
    expect(observations.map((o) => o.resource.id)).toEqual(WORKERS);
    for (const o of observations) {
      expect(o.state).toMatchObject({
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
        publicIpv4: { source: "launch-request" },
      });
      expect(o.needsRefresh).toBe(false);
    }
  });

  it("AssociatePublicIpAddress=false on the primary interface: no address, whatever the subnet says", () => {
    const [o] = fromTrail("RunInstances-two-imdsv2-public-ip", (d) => {
      const request = d.requestParameters as { networkInterfaceSet: { items: Record<string, unknown>[] } };
      request.networkInterfaceSet.items[0]!.associatePublicIpAddress = false;
    });
    expect(o?.state?.publicIpv4).toBeNull();
  });

  it("an address already in the launch answer is the instance's own", () => {
    const [o] = fromTrail("RunInstances-imdsv1-httptokens-optional", (d) => {
      const response = d.responseElements as { instancesSet: { items: Record<string, unknown>[] } };
      response.instancesSet.items[0]!.ipAddress = "203.0.113.45";
    });
    expect(o?.state?.publicIpv4).toEqual({ source: "instance", address: "203.0.113.45" });
    expect(o?.needsRefresh).toBe(false);
  });

  it("no metadata options and no interface choice: both are left to the live read", () => {
    const [o] = fromTrail("RunInstances-defaults-default-subnet");
    expect(o?.resource.id).toBe(DEFAULTS);
    expect(o?.state).toEqual({
      instanceId: DEFAULTS,
      subnetId: "subnet-0e1f3a5c7b9d24685",
      vpcId: "vpc-0a1c3e5b7d9f24687",
      launchAutoAssign: "subnet",
    });
    expect(o?.needsRefresh).toBe(true);
  });

  it.each([
    ["only httpTokens=optional (the endpoint comes from defaults)", { httpTokens: "optional" }, undefined],
    ["only httpEndpoint=enabled", { httpEndpoint: "enabled" }, undefined],
    ["httpTokens=required alone", { httpTokens: "required" }, { httpTokens: "required" }],
    ["httpEndpoint=disabled alone", { httpEndpoint: "disabled" }, { httpEndpoint: "disabled" }],
  ])("request metadata %s", (_, options, expected) => {
    const [o] = fromTrail("RunInstances-defaults-default-subnet", (d) => {
      (d.requestParameters as Record<string, unknown>).metadataOptions = options;
    });
    expect(o?.state?.metadataOptions).toEqual(expected);
  });

  it("a launch template or several interfaces: the subnet's auto-assign is not what decides", () => {
    const [template] = fromTrail("RunInstances-defaults-default-subnet", (d) => {
      (d.requestParameters as Record<string, unknown>).launchTemplate = {
        launchTemplateId: "lt-0a1b2c3d4e5f60718",
      };
    });
    expect(template?.state?.launchAutoAssign).toBe("template");
    const [several] = fromTrail("RunInstances-defaults-default-subnet", (d) => {
      (d.requestParameters as Record<string, unknown>).networkInterfaceSet = {
        items: [
          { deviceIndex: 0, subnetId: SUBNET },
          { deviceIndex: 1, subnetId: SUBNET },
        ],
      };
    });
    expect(several?.state?.launchAutoAssign).toBe("not-applicable");
  });

  it.each([
    ["no response", (d: Record<string, unknown>) => (d.responseElements = null)],
    ["an empty instance list", (d: Record<string, unknown>) => (d.responseElements = { instancesSet: {} })],
    [
      "an instance id that is no instance id",
      (d: Record<string, unknown>) =>
        (d.responseElements = { instancesSet: { items: [{ instanceId: "vol-0123456789abcdef0" }] } }),
    ],
  ])("RunInstances with %s is unusable", (_, edit) => {
    expect(() => fromTrail("RunInstances-imdsv1-httptokens-optional", edit)).toThrow(UnusableEventError);
  });
});

describe("EC2 instance adapter: ModifyInstanceMetadataOptions and TerminateInstances", () => {
  it("the answer's options win (the request named only HttpTokens)", () => {
    const [o] = fromTrail("ModifyInstanceMetadataOptions-tokens-optional");
    expect(o?.resource.id).toBe(LEGACY);
    expect(o?.state).toEqual({
      instanceId: LEGACY,
      metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" },
    });
    expect(o?.complete).toBe(true);
    expect(o?.needsRefresh).toBeUndefined();
  });

  it("without an answer, the request's settings; what neither names stays unknown", () => {
    const [o] = fromTrail(
      "ModifyInstanceMetadataOptions-tokens-optional",
      (d) => (d.responseElements = null),
    );
    expect(o?.state?.metadataOptions).toEqual({ httpTokens: "optional" });
  });

  it("the flat camelCase form is read too", () => {
    const [o] = fromTrail("ModifyInstanceMetadataOptions-tokens-optional", (d) => {
      d.requestParameters = { instanceId: LEGACY, httpTokens: "required", httpEndpoint: "enabled" };
      d.responseElements = null;
    });
    expect(o?.state?.metadataOptions).toEqual({ httpTokens: "required", httpEndpoint: "enabled" });
  });

  it("a request naming no instance is unusable", () => {
    expect(() =>
      fromTrail("ModifyInstanceMetadataOptions-tokens-optional", (d) => {
        d.requestParameters = { ModifyInstanceMetadataOptionsRequest: { HttpTokens: "optional" } };
      }),
    ).toThrow(/ModifyInstanceMetadataOptions requestParameters/);
  });

  it("TerminateInstances: each named instance is gone", () => {
    const observations = fromTrail("TerminateInstances", (d) => {
      d.requestParameters = { instancesSet: { items: [{ instanceId: LEGACY }, { instanceId: WORKERS[0] }] } };
    });
    expect(observations.map((o) => [o.resource.id, o.state, o.complete])).toEqual([
      [LEGACY, undefined, true],
      [WORKERS[0], undefined, true],
    ]);
  });

  it("an event the adapter has no reader for is unusable", () => {
    expect(() => fromTrail("TerminateInstances", (d) => (d.eventName = "StopInstances"))).toThrow(
      /no EC2 instance reader for StopInstances/,
    );
  });
});

describe("EC2 instance adapter: Config items", () => {
  it("the whole instance: metadata options, public address, tags", () => {
    const o = instances.fromConfigItem(itemOf(instanceEvent("config-instance-imdsv1-public-ip")));
    expect(o).toMatchObject({ complete: true, tagsKnown: true, observedAt: "2025-03-14T15:40:00.412Z" });
    expect(o.state).toEqual({
      instanceId: LEGACY,
      subnetId: SUBNET,
      vpcId: "vpc-0d4e7a1c9b3f5e268",
      metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" },
      publicIpv4: { source: "instance", address: "203.0.113.45" },
      tags: { Name: "legacy-reporting-01" },
    });
  });

  it("no public address: known to be none", () => {
    const o = instances.fromConfigItem(itemOf(instanceEvent("config-instance-imdsv2-private")));
    expect(o.state?.publicIpv4).toBeNull();
    expect(o.state?.metadataOptions).toEqual({ httpTokens: "required", httpEndpoint: "enabled" });
  });

  it("an Elastic IP on a secondary interface counts as a public address too", () => {
    const event = instanceEvent("config-instance-imdsv2-private");
    const configuration = itemOf(event).configuration as { networkInterfaces: Record<string, unknown>[] };
    configuration.networkInterfaces.push({ association: { ipOwnerId: ACCOUNT, publicIp: "192.0.2.10" } });
    expect(instances.fromConfigItem(itemOf(event)).state?.publicIpv4).toEqual({
      source: "instance",
      address: "192.0.2.10",
    });
  });

  it("a terminated instance, and a deleted item, are gone", () => {
    expect(
      instances.fromConfigItem(itemOf(instanceEvent("config-instance-terminated"))).state,
    ).toBeUndefined();
    const deleted = instanceEvent("config-instance-imdsv1-public-ip");
    Object.assign(itemOf(deleted), { configurationItemStatus: "ResourceDeleted", configuration: null });
    expect(instances.fromConfigItem(itemOf(deleted)).state).toBeUndefined();
  });

  it("an unreadable configuration is unusable", () => {
    const event = instanceEvent("config-instance-imdsv1-public-ip");
    Object.assign(itemOf(event), { configuration: { instanceId: 42 } });
    expect(() => instances.fromConfigItem(itemOf(event))).toThrow(/unreadable configuration/);
  });
});

describe("subnet adapter", () => {
  const subnetTrail = (name: string, edit?: (d: Record<string, unknown>) => void) => {
    const event = subnetEvent(name);
    edit?.(event.detail);
    return subnets.fromCloudTrail(detailOf(event), ACCOUNT);
  };

  it("ModifySubnetAttribute states the auto-assign setting; other attributes leave it unknown", () => {
    expect(subnetTrail("ModifySubnetAttribute-map-public-ip-on")[0]).toMatchObject({
      resource: { id: SUBNET, arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/${SUBNET}` },
      state: { subnetId: SUBNET, mapPublicIpOnLaunch: true },
      complete: true,
      tagsKnown: false,
    });
    expect(subnetTrail("ModifySubnetAttribute-map-public-ip-off")[0]?.state).toEqual({
      subnetId: SUBNET,
      mapPublicIpOnLaunch: false,
    });
    expect(subnetTrail("ModifySubnetAttribute-assign-ipv6")[0]?.state).toEqual({ subnetId: SUBNET });
  });

  it("CreateDefaultSubnet / CreateSubnet: the answer describes the new subnet", () => {
    expect(subnetTrail("CreateDefaultSubnet")[0]?.state).toEqual({
      subnetId: DEFAULT_SUBNET,
      vpcId: "vpc-0a1c3e5b7d9f24687",
      mapPublicIpOnLaunch: true,
      defaultForAz: true,
    });
    expect(subnetTrail("CreateSubnet-private")[0]?.state).toMatchObject({
      mapPublicIpOnLaunch: false,
      defaultForAz: false,
    });
  });

  it("DeleteSubnet: gone", () => {
    expect(subnetTrail("DeleteSubnet")[0]).toMatchObject({ resource: { id: SUBNET }, state: undefined });
  });

  it.each([
    [
      "no subnet id",
      (d: Record<string, unknown>) => (d.requestParameters = { mapPublicIpOnLaunch: { value: true } }),
    ],
    [
      "a value that is no boolean",
      (d: Record<string, unknown>) =>
        (d.requestParameters = { subnetId: SUBNET, mapPublicIpOnLaunch: { value: "yes" } }),
    ],
  ])("ModifySubnetAttribute with %s is unusable", (_, edit) => {
    expect(() => subnetTrail("ModifySubnetAttribute-map-public-ip-on", edit)).toThrow(UnusableEventError);
  });

  it("Config items: the whole subnet with its tags", () => {
    const o = subnets.fromConfigItem(itemOf(subnetEvent("config-subnet-default-auto-assign")));
    expect(o).toMatchObject({ complete: true, tagsKnown: true });
    expect(o.state).toEqual({
      subnetId: DEFAULT_SUBNET,
      vpcId: "vpc-0a1c3e5b7d9f24687",
      mapPublicIpOnLaunch: true,
      defaultForAz: true,
      tags: {},
    });
    const deleted = subnetEvent("config-subnet-private");
    Object.assign(itemOf(deleted), {
      configurationItemStatus: "ResourceDeletedNotRecorded",
      configuration: null,
    });
    expect(subnets.fromConfigItem(itemOf(deleted)).state).toBeUndefined();
  });
});
