import type { EC2Client, Instance } from "@aws-sdk/client-ec2";
import { errorName } from "../../aws/errors";
import { loadEc2 } from "../../aws/sdk";
import { ENDING_STATES } from "./from-config";
import type { Ec2InstanceState, PublicIpv4 } from "./state";

/** EC2's answers for an instance id it doesn't know (gone for good, or never there). */
export function isInstanceGone(error: unknown): boolean {
  return ["InvalidInstanceID.NotFound", "InvalidInstanceID.Malformed"].includes(errorName(error));
}

/** The instance as EC2 describes it now, or undefined when EC2 doesn't know it. */
export async function describeInstance(ec2: EC2Client, instanceId: string): Promise<Instance | undefined> {
  const { DescribeInstancesCommand } = await loadEc2();
  try {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
    return out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
  } catch (error) {
    if (isInstanceGone(error)) return undefined;
    throw error;
  }
}

export function tagsOf(instance: Pick<Instance, "Tags"> | undefined): Record<string, string> {
  return Object.fromEntries(
    (instance?.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key, t.Value ?? ""]),
  );
}

/** Whether the subnet gives new primary interfaces a public IPv4 address; undefined when it is gone. */
async function subnetAutoAssigns(ec2: EC2Client, subnetId: string): Promise<boolean | undefined> {
  const { DescribeSubnetsCommand } = await loadEc2();
  try {
    const out = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] }));
    return out.Subnets?.[0]?.MapPublicIpOnLaunch;
  } catch (error) {
    if (errorName(error) === "InvalidSubnetID.NotFound") return undefined;
    throw error;
  }
}

/**
 * The public IPv4 address the live instance has, or will get: an instance still `pending` may not
 * show it yet, and then what the launch settled decides (the request, or the subnet's auto-assign).
 */
async function livePublicIp(
  ec2: EC2Client,
  instance: Instance,
  launch: Ec2InstanceState,
): Promise<PublicIpv4 | null | undefined> {
  const address =
    instance.PublicIpAddress ??
    instance.NetworkInterfaces?.find((ni) => ni.Association?.PublicIp)?.Association?.PublicIp;
  if (address) return { source: "instance", address };
  if (instance.State?.Name !== "pending") return null;
  if (launch.publicIpv4 !== undefined) return launch.publicIpv4;
  const subnetId = instance.SubnetId ?? launch.subnetId;
  if (launch.launchAutoAssign === "not-applicable") return null;
  // A launch template may have chosen for the interface: the event doesn't say, so don't guess.
  if (launch.launchAutoAssign !== "subnet" || !subnetId) return undefined;
  const auto = await subnetAutoAssigns(ec2, subnetId);
  if (auto === undefined) return undefined;
  return auto ? { source: "subnet-auto-assign", subnetId } : null;
}

/**
 * The instance as it is now, for the settings a launch event left open. Undefined when it is gone
 * or ending (terminated instances stay visible for a while).
 */
export async function liveInstanceState(
  ec2: EC2Client,
  launch: Ec2InstanceState,
): Promise<Ec2InstanceState | undefined> {
  const instance = await describeInstance(ec2, launch.instanceId);
  if (!instance || ENDING_STATES.includes(instance.State?.Name ?? "")) return undefined;
  const options = instance.MetadataOptions;
  const publicIpv4 = await livePublicIp(ec2, instance, launch);
  const subnetId = instance.SubnetId ?? launch.subnetId;
  const vpcId = instance.VpcId ?? launch.vpcId;
  return {
    instanceId: launch.instanceId,
    ...(subnetId ? { subnetId } : {}),
    ...(vpcId ? { vpcId } : {}),
    ...(options
      ? {
          metadataOptions: {
            ...(options.HttpTokens ? { httpTokens: options.HttpTokens } : {}),
            ...(options.HttpEndpoint ? { httpEndpoint: options.HttpEndpoint } : {}),
          },
        }
      : {}),
    ...(publicIpv4 !== undefined ? { publicIpv4 } : {}),
    tags: tagsOf(instance),
  };
}
