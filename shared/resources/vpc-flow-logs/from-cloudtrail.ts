import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { flowLogRef, vpcRef } from "./ref";

type VpcObservation = Observation<"AWS::EC2::VPC">;

/**
 * These calls use EC2's newer CloudTrail dialect: `{"<Op>Request": {Name: {"content", "tag"}}}`,
 * one object for one value and a list for several; answers list ids as `{"item": …}`.
 */
const taggedValue = z
  .union([z.string(), z.looseObject({ content: z.string() })])
  .transform((v) => (typeof v === "string" ? v : v.content));
const oneOrMany = <T extends z.ZodType>(item: T) =>
  z.union([z.array(item), item]).transform((v) => (Array.isArray(v) ? v : [v]) as z.infer<T>[]);
/** `""` (nothing), `{item: x}` or `{item: [x, …]}`. */
const itemSet = <T extends z.ZodType>(item: T) =>
  z
    .union([z.literal(""), z.looseObject({ item: oneOrMany(item).optional() })])
    .nullable()
    .optional()
    .transform((v) => (v && typeof v === "object" ? (v.item ?? []) : []));
const unsuccessful = itemSet(z.looseObject({ resourceId: z.string().optional() }));

const deleteSchema = z.looseObject({
  requestParameters: z.looseObject({
    DeleteFlowLogsRequest: z.looseObject({ FlowLogId: oneOrMany(taggedValue) }),
  }),
  responseElements: z
    .looseObject({ DeleteFlowLogsResponse: z.looseObject({ unsuccessful }).optional() })
    .nullable()
    .optional(),
});

const createSchema = z.looseObject({
  requestParameters: z.looseObject({
    CreateFlowLogsRequest: z.looseObject({
      ResourceId: oneOrMany(taggedValue),
      ResourceType: z.string(),
      TrafficType: z.string().optional(),
    }),
  }),
  responseElements: z.looseObject({
    CreateFlowLogsResponse: z.looseObject({ flowLogIdSet: itemSet(z.string()), unsuccessful }),
  }),
});

function parse<T extends z.ZodType>(schema: T, detail: CloudTrailDetail): z.infer<T> {
  const result = schema.safeParse(detail);
  if (!result.success) throw new UnusableEventError(`${detail.eventName}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/**
 * `DeleteFlowLogs` names flow log ids only. Each deleted log is one observation, on the log until
 * the refresh finds its VPC (AWS Config's history) and what still logs that VPC (DescribeFlowLogs).
 */
export function fromDeleteFlowLogs(detail: CloudTrailDetail, account: string): VpcObservation[] {
  const { requestParameters, responseElements } = parse(deleteSchema, detail);
  const failed = new Set(responseElements?.DeleteFlowLogsResponse?.unsuccessful.map((u) => u.resourceId));
  const deleted = [...new Set(requestParameters.DeleteFlowLogsRequest.FlowLogId)].filter(
    (id) => !failed.has(id),
  );
  return deleted.map((flowLogId) => {
    const others = deleted.filter((id) => id !== flowLogId);
    return {
      resource: flowLogRef(flowLogId, account, detail.awsRegion),
      state: { deleted: { flowLogId }, ...(others.length ? { alsoDeleted: others } : {}) },
      complete: false,
      observedAt: detail.eventTime,
      tagsKnown: false,
      needsRefresh: true,
    };
  });
}

/**
 * `CreateFlowLogs` for VPCs: each VPC it succeeded for now has a flow log, which is all EC2.6 and
 * the deletion alert need to know (complete: their findings resolve). Subnet, interface and transit
 * gateway flow logs say nothing about a VPC's own logging.
 */
export function fromCreateFlowLogs(detail: CloudTrailDetail, account: string): VpcObservation[] {
  const { requestParameters, responseElements } = parse(createSchema, detail);
  const request = requestParameters.CreateFlowLogsRequest;
  if (request.ResourceType.toUpperCase() !== "VPC") return [];
  const response = responseElements.CreateFlowLogsResponse;
  const failed = new Set(response.unsuccessful.map((u) => u.resourceId));
  const vpcs = [...new Set(request.ResourceId)].filter((id) => !failed.has(id));
  const ids = response.flowLogIdSet;
  if (!ids.length) return [];
  return vpcs.map((vpcId) => ({
    resource: vpcRef(vpcId, account, detail.awsRegion),
    state: {
      vpcId,
      // With one VPC the new id is its; with several, the answer doesn't say which is whose.
      remaining: [
        {
          ...(vpcs.length === 1 && ids.length === 1 ? { flowLogId: ids[0] } : {}),
          ...(request.TrafficType ? { trafficType: request.TrafficType } : {}),
        },
      ],
    },
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
  }));
}
