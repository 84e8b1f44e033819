import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { flag, parse } from "../ec2-instance/event-parsing";
import { subnetRef } from "./ref";
import type { SubnetState } from "./state";

type SubnetObservation = Observation<"AWS::EC2::Subnet">;

const subnetIdSchema = z.string().regex(/^subnet-[0-9a-f]{8,17}$/, "not a subnet id");

function observe(
  detail: CloudTrailDetail,
  account: string,
  state: SubnetState | undefined,
  subnetId: string,
) {
  return {
    resource: subnetRef(subnetId, account, detail.awsRegion),
    state,
    // Complete for the settings the call states; checks of other settings stay undecided.
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
  } satisfies SubnetObservation;
}

const modifyRequestSchema = z.looseObject({
  subnetId: subnetIdSchema,
  mapPublicIpOnLaunch: z.looseObject({ value: flag }).optional(),
});

/** `ModifySubnetAttribute` changes one attribute per call: only `mapPublicIpOnLaunch` matters here. */
export function fromModifySubnetAttribute(detail: CloudTrailDetail, account: string): SubnetObservation[] {
  const request = parse(
    modifyRequestSchema,
    detail.requestParameters,
    "ModifySubnetAttribute requestParameters",
  );
  const map = request.mapPublicIpOnLaunch?.value;
  const state = { subnetId: request.subnetId, ...(map === undefined ? {} : { mapPublicIpOnLaunch: map }) };
  return [observe(detail, account, state, request.subnetId)];
}

const createResponseSchema = z.looseObject({
  subnet: z.looseObject({
    subnetId: subnetIdSchema,
    vpcId: z.string().optional(),
    mapPublicIpOnLaunch: flag,
    defaultForAz: flag.optional(),
  }),
});

/** `CreateSubnet`/`CreateDefaultSubnet`: the answer describes the new subnet (default ones auto-assign). */
export function fromCreateSubnet(detail: CloudTrailDetail, account: string): SubnetObservation[] {
  const { subnet } = parse(
    createResponseSchema,
    detail.responseElements,
    `${detail.eventName} responseElements`,
  );
  const state: SubnetState = {
    subnetId: subnet.subnetId,
    ...(subnet.vpcId ? { vpcId: subnet.vpcId } : {}),
    mapPublicIpOnLaunch: subnet.mapPublicIpOnLaunch,
    ...(subnet.defaultForAz === undefined ? {} : { defaultForAz: subnet.defaultForAz }),
  };
  return [observe(detail, account, state, subnet.subnetId)];
}

/** `DeleteSubnet`: the subnet is gone, so its findings resolve. */
export function fromDeleteSubnet(detail: CloudTrailDetail, account: string): SubnetObservation[] {
  const { subnetId } = parse(
    z.looseObject({ subnetId: subnetIdSchema }),
    detail.requestParameters,
    "DeleteSubnet requestParameters",
  );
  return [observe(detail, account, undefined, subnetId)];
}

export function unknownSubnetCall(eventName: string): never {
  throw new UnusableEventError(`no subnet reader for ${eventName}`);
}
