import { DEFAULT_VPC_ID, OWNER_ID, pageOf, type Ec2State } from "./ec2";
import { addDefaultNetworkAcl } from "./ec2-network-acl";
import { AwsError, el, itemSet, members, randomHex, raw, values, type Params } from "./query";

/**
 * VPCs and their flow logs in memory, in the EC2 query protocol: CreateVpc and DescribeVpcs
 * (paged; the default VPC is there from the start), CreateFlowLogs, DeleteFlowLogs and
 * DescribeFlowLogs (paged, filtered by `resource-id`). A new VPC gets its default security group
 * and network ACL, as in AWS. Flow logs are ACTIVE once created. Only what Vigil's tests use.
 */

export interface LocalVpc {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  tags: Record<string, string>;
}

export interface LocalFlowLog {
  flowLogId: string;
  resourceId: string;
  trafficType: string;
  logDestinationType: string;
  logGroupName?: string;
  logDestination?: string;
  /** Always ACTIVE in AWS today; tests may set another value to see it ignored. */
  flowLogStatus: string;
  tags: Record<string, string>;
}

export interface VpcsState {
  vpcs: Map<string, LocalVpc>;
  flowLogs: Map<string, LocalFlowLog>;
}

const states = new WeakMap<Ec2State, VpcsState>();

/** The VPCs and flow logs of one endpoint, for tests to inspect. */
export function ec2Vpcs(ec2: Ec2State): VpcsState {
  const state = states.get(ec2);
  if (!state) throw new Error("local-aws: the EC2 VPCs extension is not installed");
  return state;
}

const CREATED = "2025-03-13T08:00:00.000Z";

const tagSetXml = (tags: Record<string, string>) =>
  itemSet("tagSet", Object.entries(tags), ([key, value]) => el("key", key) + el("value", value));

function tagsFor(params: Params, resourceType: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of members(params, "TagSpecification")) {
    if (spec.ResourceType !== resourceType) continue;
    for (const tag of members(spec, "Tag")) if (tag.Key) tags[tag.Key] = tag.Value ?? "";
  }
  return tags;
}

function vpcXml(v: LocalVpc, state = "available"): string {
  return [
    el("vpcId", v.vpcId),
    el("ownerId", OWNER_ID),
    el("state", state),
    el("cidrBlock", v.cidrBlock),
    el("dhcpOptionsId", "dopt-0de0fa017000000d1"),
    el("instanceTenancy", "default"),
    el("isDefault", v.isDefault),
    tagSetXml(v.tags),
  ].join("");
}

function flowLogXml(f: LocalFlowLog): string {
  return [
    el("creationTime", CREATED),
    el("deliverLogsStatus", "SUCCESS"),
    el("flowLogId", f.flowLogId),
    el("flowLogStatus", f.flowLogStatus),
    el("logGroupName", f.logGroupName),
    el("resourceId", f.resourceId),
    el("trafficType", f.trafficType),
    el("logDestinationType", f.logDestinationType),
    el("logDestination", f.logDestination),
    tagSetXml(f.tags),
    el("maxAggregationInterval", 600),
  ].join("");
}

function filterValues(p: Params, name: string): string[] {
  return members(p, "Filter")
    .filter((f) => f.Name === name)
    .flatMap((f) => values(f, "Value"));
}

const unsuccessfulXml = (failures: { resourceId: string; code: string; message: string }[]) =>
  itemSet(
    "unsuccessful",
    failures,
    (f) => raw("error", el("code", f.code) + el("message", f.message)) + el("resourceId", f.resourceId),
  );

export function installVpcs(ec2: Ec2State): void {
  const state: VpcsState = { vpcs: new Map(), flowLogs: new Map() };
  states.set(ec2, state);
  state.vpcs.set(DEFAULT_VPC_ID, {
    vpcId: DEFAULT_VPC_ID,
    cidrBlock: "172.31.0.0/16",
    isDefault: true,
    tags: {},
  });

  ec2.extend({
    CreateVpc: (p) => {
      if (!p.CidrBlock)
        throw new AwsError("MissingParameter", "The request must contain the parameter CidrBlock");
      const vpc: LocalVpc = {
        vpcId: `vpc-${randomHex(17)}`,
        cidrBlock: p.CidrBlock,
        isDefault: false,
        tags: tagsFor(p, "vpc"),
      };
      state.vpcs.set(vpc.vpcId, vpc);
      ec2.defaultGroup(vpc.vpcId);
      addDefaultNetworkAcl(ec2, vpc.vpcId);
      return raw("vpc", vpcXml(vpc, "pending"));
    },

    DescribeVpcs: (p) => {
      const ids = values(p, "VpcId");
      const missing = ids.find((id) => !state.vpcs.has(id));
      if (missing) throw new AwsError("InvalidVpcID.NotFound", `The vpc ID '${missing}' does not exist`);
      const byFilter = filterValues(p, "vpc-id");
      const found = [...state.vpcs.values()].filter(
        (v) => (!ids.length || ids.includes(v.vpcId)) && (!byFilter.length || byFilter.includes(v.vpcId)),
      );
      const page = pageOf(found, p, { min: 5, max: 1000 });
      return itemSet("vpcSet", page.items, (v) => vpcXml(v)) + el("nextToken", page.nextToken);
    },

    CreateFlowLogs: (p) => {
      const resourceIds = values(p, "ResourceId");
      if (!resourceIds.length || !p.ResourceType || !p.TrafficType)
        throw new AwsError(
          "MissingParameter",
          "The request must contain the parameters ResourceId, ResourceType and TrafficType",
        );
      const created: string[] = [];
      const failures: { resourceId: string; code: string; message: string }[] = [];
      for (const resourceId of resourceIds) {
        if (p.ResourceType === "VPC" && !state.vpcs.has(resourceId)) {
          failures.push({
            resourceId,
            code: "InvalidVpcID.NotFound",
            message: `The vpc ID '${resourceId}' does not exist`,
          });
          continue;
        }
        const log: LocalFlowLog = {
          flowLogId: `fl-${randomHex(17)}`,
          resourceId,
          trafficType: p.TrafficType,
          logDestinationType: p.LogDestinationType ?? "cloud-watch-logs",
          ...(p.LogGroupName ? { logGroupName: p.LogGroupName } : {}),
          ...(p.LogDestination ? { logDestination: p.LogDestination } : {}),
          flowLogStatus: "ACTIVE",
          tags: tagsFor(p, "vpc-flow-log"),
        };
        state.flowLogs.set(log.flowLogId, log);
        created.push(log.flowLogId);
      }
      return (
        el("clientToken", p.ClientToken) +
        itemSet("flowLogIdSet", created, (id) => id) +
        unsuccessfulXml(failures)
      );
    },

    DeleteFlowLogs: (p) => {
      const ids = values(p, "FlowLogId");
      if (!ids.length)
        throw new AwsError("MissingParameter", "The request must contain the parameter FlowLogId");
      const failures = ids
        .filter((id) => !state.flowLogs.delete(id))
        .map((id) => ({
          resourceId: id,
          code: "InvalidFlowLogId.NotFound",
          message: `Flow log ID '${id}' does not exist`,
        }));
      return unsuccessfulXml(failures);
    },

    DescribeFlowLogs: (p) => {
      const ids = [...values(p, "FlowLogId"), ...filterValues(p, "flow-log-id")];
      const resources = filterValues(p, "resource-id");
      const found = [...state.flowLogs.values()].filter(
        (f) =>
          (!ids.length || ids.includes(f.flowLogId)) &&
          (!resources.length || resources.includes(f.resourceId)),
      );
      const page = pageOf(found, p, { min: 1, max: 1000 });
      return itemSet("flowLogSet", page.items, flowLogXml) + el("nextToken", page.nextToken);
    },
  });
}
