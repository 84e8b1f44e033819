import { loadEc2 } from "../../aws/sdk";
import { defineResourceAdapter, UnusableEventError, type Observation, type ReadClients } from "../adapter";
import { fromCreateFlowLogs, fromDeleteFlowLogs } from "./from-cloudtrail";
import { deletedFlowLogFromHistory, vpcFlowLogs } from "./live";
import { VPC_TYPE, vpcRef } from "./ref";

type VpcObservation = Observation<"AWS::EC2::VPC">;

/**
 * A deleted flow log: AWS Config's history says what it logged; for a VPC, DescribeFlowLogs says
 * what still logs it. The observation moves from the flow log to its VPC when that is known.
 */
async function refreshDeletion(observation: VpcObservation, clients: ReadClients): Promise<VpcObservation> {
  const state = observation.state;
  if (!state?.deleted) return { ...observation, needsRefresh: false };
  const history = await deletedFlowLogFromHistory(await clients.configService(), state.deleted.flowLogId);
  if ("unknown" in history)
    return { ...observation, state: { ...state, unknown: history.unknown }, needsRefresh: false };
  const deleted = history.found;
  const covered = deleted.resourceId ?? "";
  if (!covered.startsWith("vpc-")) {
    const unknown = `${deleted.flowLogId} logged ${covered}, not a whole VPC`;
    return { ...observation, state: { ...state, deleted, unknown }, needsRefresh: false };
  }
  const gone = new Set([deleted.flowLogId, ...(state.alsoDeleted ?? [])]);
  const remaining = await vpcFlowLogs(await clients.ec2(), covered, gone);
  const { account, region } = observation.resource;
  return {
    ...observation,
    resource: vpcRef(covered, account, region),
    state: { ...state, vpcId: covered, deleted, remaining },
    // The VPC's logging is read whole: EC2.6 may resolve as well as open.
    complete: true,
    needsRefresh: false,
  };
}

export default defineResourceAdapter({
  resourceType: VPC_TYPE,
  fromCloudTrail(detail, account) {
    switch (detail.eventName) {
      case "DeleteFlowLogs":
        return fromDeleteFlowLogs(detail, account);
      case "CreateFlowLogs":
        return fromCreateFlowLogs(detail, account);
      default:
        throw new UnusableEventError(`no VPC flow-log reader for ${detail.eventName}`);
    }
  },
  fromConfigItem() {
    // No check subscribes to Config items for VPCs: the flow-log calls say what changed, in real time.
    throw new UnusableEventError("AWS::EC2::VPC is not read from Config items");
  },
  async readTags(observation, clients) {
    // One call for a VPC or a flow log id alike; a deleted flow log simply has none left.
    const [ec2, { DescribeTagsCommand }] = await Promise.all([clients.ec2(), loadEc2()]);
    const out = await ec2.send(
      new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [observation.resource.id] }] }),
    );
    return Object.fromEntries(
      (out?.Tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key ?? "", t.Value ?? ""]),
    );
  },
  refresh: refreshDeletion,
});
