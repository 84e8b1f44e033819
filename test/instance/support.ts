import type { Instance } from "@aws-sdk/client-ec2";
import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
/** The instance of the reference RunInstances sample (and of the Modify/Terminate/Config samples). */
export const LEGACY = "i-0c5e7a9b1d3f24680";
export const WORKERS = ["i-0a1b2c3d4e5f60718", "i-0a1b2c3d4e5f60719"];
/** The instance launched with defaults only (no metadata options, no interface choice). */
export const DEFAULTS = "i-0d3e5f7a9b1c24683";
export const DEFAULTS_SUBNET = "subnet-0e1f3a5c7b9d24685";
export const SUBNET = "subnet-0a7c9e1b3d5f24681";
export const DEFAULT_SUBNET = "subnet-0f2a4c6e8b1d35793";

export const instanceEvent = (name: string) => loadEvent(`instance/${name}.json`);
export const subnetEvent = (name: string) => loadEvent(`subnet/${name}.json`);

export const idFor = (checkId: string, resourceId: string) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, message = name, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { name, $metadata: {}, ...extra });
}

/** A DescribeInstances answer for one instance. */
export function described(instance: Instance) {
  return { Reservations: [{ ReservationId: "r-0c4e6a8b1d3f57920", Instances: [instance] }] };
}

/** A live instance as DescribeInstances shows it: running, IMDSv1 allowed, no public address. */
export function liveInstance(instanceId: string, overrides: Partial<Instance> = {}): Instance {
  return {
    InstanceId: instanceId,
    State: { Code: 16, Name: "running" },
    SubnetId: SUBNET,
    VpcId: "vpc-0d4e7a1c9b3f5e268",
    PrivateIpAddress: "10.40.12.87",
    MetadataOptions: {
      State: "applied",
      HttpTokens: "optional",
      HttpEndpoint: "enabled",
      HttpPutResponseHopLimit: 2,
    },
    Tags: [{ Key: "Name", Value: "legacy-reporting-01" }],
    ...overrides,
  };
}
