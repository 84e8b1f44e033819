import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import ec2_8 from "../../shared/checks/instance/ec2-8-imdsv2";
import ec2_9 from "../../shared/checks/instance/ec2-9-public-ip";
import ec2_15 from "../../shared/checks/subnet/ec2-15-auto-assign-public-ip";
import type { Ec2InstanceState } from "../../shared/resources/ec2-instance/state";
import type { SubnetState } from "../../shared/resources/subnet/state";
import { LEGACY, SUBNET } from "./support";

const context = { config: parseConfig({}) };
const instance = (state: Partial<Ec2InstanceState> = {}): Ec2InstanceState => ({
  instanceId: LEGACY,
  ...state,
});
const subnet = (state: Partial<SubnetState> = {}): SubnetState => ({ subnetId: SUBNET, ...state });

describe("catalog entries", () => {
  it.each([
    ["EC2.8", "HIGH", ["FSBP EC2.8", "CIS 5.6"], { id: "require-imdsv2", defaultMode: "dry-run" }],
    ["EC2.9", "HIGH", ["FSBP EC2.9"], undefined],
    ["EC2.15", "MEDIUM", ["FSBP EC2.15"], undefined],
  ])("%s: severity %s, controls %j, remediation %j", (id, severity, controls, remediation) => {
    const check = checkById(id);
    expect(check).toMatchObject({ severity, controls });
    expect(check?.remediation).toEqual(remediation);
  });

  it("triggers and read actions", () => {
    expect(ec2_8.triggers).toEqual({
      cloudTrail: [
        {
          eventSource: "ec2.amazonaws.com",
          eventNames: ["RunInstances", "ModifyInstanceMetadataOptions", "TerminateInstances"],
        },
      ],
      config: ["AWS::EC2::Instance"],
    });
    expect(ec2_9.triggers.cloudTrail[0]?.eventNames).toEqual(["RunInstances", "TerminateInstances"]);
    expect(ec2_8.iamActions).toEqual(["ec2:DescribeInstances", "ec2:DescribeSubnets"]);
    expect(ec2_15.triggers).toEqual({
      cloudTrail: [
        {
          eventSource: "ec2.amazonaws.com",
          eventNames: ["ModifySubnetAttribute", "CreateSubnet", "CreateDefaultSubnet", "DeleteSubnet"],
        },
      ],
      config: ["AWS::EC2::Subnet"],
    });
    expect(ec2_15.iamActions).toEqual(["ec2:DescribeSubnets"]);
  });
});

describe("EC2.8 evaluate (pure)", () => {
  it("non-compliant: tokens optional with the endpoint on", () => {
    const state = instance({ metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" } });
    expect(ec2_8.undecided?.(state, context)).toBeUndefined();
    expect(ec2_8.evaluate(state, context)).toEqual([
      {
        summary: `instance ${LEGACY} allows IMDSv1 (HttpTokens=optional, metadata endpoint enabled)`,
        evidence: { instanceId: LEGACY, httpTokens: "optional", httpEndpoint: "enabled" },
      },
    ]);
  });

  it.each([
    ["IMDSv2 required", { httpTokens: "required", httpEndpoint: "enabled" }],
    ["IMDSv2 required, endpoint unknown", { httpTokens: "required" }],
    ["the metadata endpoint off (no IMDS at all)", { httpTokens: "optional", httpEndpoint: "disabled" }],
    ["the endpoint off, tokens unknown", { httpEndpoint: "disabled" }],
  ])("compliant: %s", (_, metadataOptions) => {
    const state = instance({ metadataOptions });
    expect(ec2_8.undecided?.(state, context)).toBeUndefined();
    expect(ec2_8.evaluate(state, context)).toEqual([]);
  });

  it.each([
    ["no metadata options at all", undefined],
    ["tokens optional, endpoint unknown", { httpTokens: "optional" }],
    ["the endpoint on, tokens unknown", { httpEndpoint: "enabled" }],
  ])("undecided: %s", (_, metadataOptions) => {
    const state = instance(metadataOptions ? { metadataOptions } : {});
    expect(ec2_8.undecided?.(state, context)).toMatch(/does not say whether the instance requires IMDSv2/);
  });

  it("is pure", () => {
    const state = instance({ metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" } });
    const before = structuredClone(state);
    ec2_8.evaluate(state, context);
    expect(state).toEqual(before);
  });
});

describe("EC2.9 evaluate (pure)", () => {
  it("non-compliant: the instance's own address, with the address as evidence", () => {
    const state = instance({ publicIpv4: { source: "instance", address: "203.0.113.45" } });
    expect(ec2_9.evaluate(state, context)).toEqual([
      {
        summary: `instance ${LEGACY} has public IPv4 address 203.0.113.45`,
        evidence: { instanceId: LEGACY, publicIp: "203.0.113.45", source: "instance" },
      },
    ]);
  });

  it("non-compliant: asked for at launch, or given by the subnet's auto-assign (said so)", () => {
    expect(
      ec2_9.evaluate(instance({ publicIpv4: { source: "launch-request" } }), context)[0]?.summary,
    ).toMatch(/launched with a public IPv4 address \(AssociatePublicIpAddress=true\)/);
    const [auto] = ec2_9.evaluate(
      instance({ publicIpv4: { source: "subnet-auto-assign", subnetId: SUBNET } }),
      context,
    );
    expect(auto?.summary).toMatch(new RegExp(`from subnet ${SUBNET}, which auto-assigns them`));
    expect(auto?.evidence).toEqual({
      instanceId: LEGACY,
      subnetId: SUBNET,
      mapPublicIpOnLaunch: true,
      source: "subnet-auto-assign",
    });
  });

  it("compliant: known to have none (IPv6-only or private instances)", () => {
    const state = instance({ publicIpv4: null });
    expect(ec2_9.undecided?.(state, context)).toBeUndefined();
    expect(ec2_9.evaluate(state, context)).toEqual([]);
  });

  it("undecided when the source doesn't say (e.g. a metadata-options change)", () => {
    expect(ec2_9.undecided?.(instance(), context)).toMatch(/public IPv4 address/);
  });
});

describe("EC2.15 evaluate (pure)", () => {
  it("non-compliant: auto-assign on", () => {
    expect(
      ec2_15.evaluate(subnet({ mapPublicIpOnLaunch: true, vpcId: "vpc-0d4e7a1c9b3f5e268" }), context),
    ).toEqual([
      {
        summary: `subnet ${SUBNET} auto-assigns public IPv4 addresses to new instances (MapPublicIpOnLaunch=true)`,
        evidence: { subnetId: SUBNET, mapPublicIpOnLaunch: true, vpcId: "vpc-0d4e7a1c9b3f5e268" },
      },
    ]);
  });

  it("a default subnet is still a finding, and the summary says why it auto-assigns", () => {
    const [v] = ec2_15.evaluate(subnet({ mapPublicIpOnLaunch: true, defaultForAz: true }), context);
    expect(v?.summary).toMatch(
      /; it is a default subnet of the default VPC, where AWS turns this on by default$/,
    );
    expect(v?.evidence).toEqual({ subnetId: SUBNET, mapPublicIpOnLaunch: true, defaultForAz: true });
  });

  it("compliant: auto-assign off; undecided: not stated", () => {
    expect(ec2_15.evaluate(subnet({ mapPublicIpOnLaunch: false }), context)).toEqual([]);
    expect(ec2_15.undecided?.(subnet({ mapPublicIpOnLaunch: false }), context)).toBeUndefined();
    expect(ec2_15.undecided?.(subnet(), context)).toMatch(/did not change whether the subnet auto-assigns/);
  });
});
