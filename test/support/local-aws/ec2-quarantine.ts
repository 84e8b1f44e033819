import type { Ec2Action, Ec2State } from "./ec2";
import { DEFAULT_SUBNET_ID, ec2Instances } from "./ec2-instances";
import { AwsError, el, itemSet, members, raw, values, type Params } from "./query";

/**
 * Instances' network interfaces and security groups, for the GuardDuty quarantine: RunInstances
 * gives each new instance its interfaces (the request's `SecurityGroupId.N`, or one
 * `NetworkInterface.N` each with its own groups, else the VPC's default group), DescribeInstances
 * shows them (`groupSet`, `networkInterfaceSet`), and ModifyInstanceAttribute `GroupId.N` replaces a
 * single-interface instance's groups, refusing as AWS does when the instance has several. Built
 * on the instances extension (ec2-instances.ts), whose actions it wraps; interfaces live in the
 * endpoint's shared `networkInterfaces` map, so "is this group in use?" sees them.
 */

const interfacesByInstance = new WeakMap<Ec2State, Map<string, string[]>>();

/** An instance's interfaces, primary first, with the groups each one has now. */
export function instanceInterfaces(
  ec2: Ec2State,
  instanceId: string,
): { networkInterfaceId: string; groups: string[] }[] {
  const ids = interfacesByInstance.get(ec2)?.get(instanceId) ?? [];
  return ids.map((id) => ({ networkInterfaceId: id, groups: [...(ec2.networkInterfaces.get(id) ?? [])] }));
}

function fail(error: AwsError): never {
  throw error;
}

export function installQuarantine(ec2: Ec2State): void {
  const interfaces = new Map<string, string[]>();
  interfacesByInstance.set(ec2, interfaces);
  const actions = (ec2 as unknown as { actions: Record<string, Ec2Action> }).actions;
  const instances = () => ec2Instances(ec2).instances;

  const checkedGroups = (groupIds: string[], vpcId: string): string[] => {
    for (const id of groupIds) {
      const group = ec2.group(id);
      if (!group) throw new AwsError("InvalidGroup.NotFound", `The security group '${id}' does not exist`);
      if (group.vpcId !== vpcId)
        throw new AwsError(
          "InvalidGroup.NotFound",
          `The security group '${id}' does not exist in VPC '${vpcId}'`,
        );
    }
    return groupIds;
  };
  /** The groups of each interface the launch asks for; the default group when it names none. */
  const requestedInterfaces = (p: Params, vpcId: string): string[][] => {
    const specs = members(p, "NetworkInterface");
    if (specs.length)
      return specs.map((spec, i) => {
        const groups = values(spec, "SecurityGroupId");
        if (!groups.length && i === 0) groups.push(...values(p, "SecurityGroupId"));
        return checkedGroups(groups.length ? groups : [ec2.defaultGroup(vpcId).groupId], vpcId);
      });
    const groups = values(p, "SecurityGroupId");
    return [checkedGroups(groups.length ? groups : [ec2.defaultGroup(vpcId).groupId], vpcId)];
  };

  const runInstances =
    actions.RunInstances ?? fail(new AwsError("InvalidAction", "RunInstances is not served"));
  actions.RunInstances = (p) => {
    // Groups are checked before the launch, so a bad group launches nothing (as in AWS).
    const [primary = {}] = members(p, "NetworkInterface");
    const subnet = ec2Instances(ec2).subnets.get(p.SubnetId ?? primary.SubnetId ?? DEFAULT_SUBNET_ID);
    const planned = subnet ? requestedInterfaces(p, subnet.vpcId) : [];
    const before = new Set(instances().keys());
    const xml = runInstances(p);
    for (const instance of instances().values()) {
      if (before.has(instance.instanceId)) continue;
      interfaces.set(
        instance.instanceId,
        planned.map((groups) => ec2.addNetworkInterface(groups)),
      );
    }
    return xml;
  };

  const describeInstances =
    actions.DescribeInstances ?? fail(new AwsError("InvalidAction", "DescribeInstances is not served"));
  actions.DescribeInstances = (p) => {
    let xml = describeInstances(p);
    for (const [instanceId, ids] of interfaces) {
      const instance = instances().get(instanceId);
      if (!instance) continue;
      const groupSet = (groups: readonly string[]) =>
        itemSet("groupSet", groups, (id) => el("groupId", id) + el("groupName", ec2.group(id)?.groupName));
      const detail =
        groupSet(ec2.networkInterfaces.get(ids[0] ?? "") ?? []) +
        itemSet("networkInterfaceSet", ids, (id) => {
          const index = ids.indexOf(id);
          return (
            el("networkInterfaceId", id) +
            el("subnetId", instance.subnetId) +
            el("vpcId", instance.vpcId) +
            el("status", "in-use") +
            raw("attachment", el("deviceIndex", index) + el("status", "attached")) +
            groupSet(ec2.networkInterfaces.get(id) ?? [])
          );
        });
      const anchor = `<instanceId>${instanceId}</instanceId>`;
      xml = xml.split(anchor).join(anchor + detail);
    }
    return xml;
  };

  ec2.extend({
    ModifyInstanceAttribute: (p) => {
      const instanceId =
        p.InstanceId ??
        fail(new AwsError("MissingParameter", "The request must contain the parameter InstanceId"));
      const instance =
        instances().get(instanceId) ??
        fail(new AwsError("InvalidInstanceID.NotFound", `The instance ID '${instanceId}' does not exist`));
      const groups = values(p, "GroupId");
      if (!groups.length)
        throw new AwsError("UnsupportedOperation", "local-aws serves ModifyInstanceAttribute GroupId.N only");
      if (instance.state === "terminated" || instance.state === "shutting-down")
        throw new AwsError(
          "IncorrectInstanceState",
          `The instance '${instanceId}' is not in a state from which it can be modified.`,
        );
      const ids = interfaces.get(instanceId) ?? [];
      if (ids.length !== 1)
        throw new AwsError(
          "InvalidInstanceID",
          `There are multiple interfaces attached to instance '${instanceId}'. Please specify an interface ID for the operation instead.`,
        );
      ec2.networkInterfaces.set(ids[0] ?? "", [...checkedGroups(groups, instance.vpcId)]);
      return el("return", true);
    },
  });
}
