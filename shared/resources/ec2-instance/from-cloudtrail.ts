import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { flag, instanceIdSchema, listOf, parse } from "./event-parsing";
import { imdsVerdict } from "./imds";
import { instanceRef } from "./ref";
import type { Ec2InstanceState, LaunchAutoAssign, MetadataOptions, PublicIpv4 } from "./state";

type InstanceObservation = Observation<"AWS::EC2::Instance">;

const requestInterfaceSchema = z.looseObject({
  deviceIndex: z.coerce.number().optional(),
  networkInterfaceId: z.string().optional(),
  associatePublicIpAddress: flag.optional(),
});

const runRequestSchema = z.looseObject({
  metadataOptions: z
    .looseObject({ httpTokens: z.string().optional(), httpEndpoint: z.string().optional() })
    .optional(),
  networkInterfaceSet: listOf(requestInterfaceSchema).optional(),
  launchTemplate: z.unknown().optional(),
});

const launchedSchema = z.looseObject({
  instanceId: instanceIdSchema,
  subnetId: z.string().optional(),
  vpcId: z.string().optional(),
  /** The public IPv4 address (the EC2 API's `ipAddress`), rarely there yet at launch. */
  ipAddress: z.string().optional(),
  networkInterfaceSet: listOf(
    z.looseObject({ association: z.looseObject({ publicIp: z.string().optional() }).optional() }),
  ).optional(),
});

const runResponseSchema = z.looseObject({
  instancesSet: listOf(launchedSchema).refine((list) => list.length > 0, "lists no instances"),
});

type RunRequest = z.infer<typeof runRequestSchema>;
type Launched = z.infer<typeof launchedSchema>;

function observe(detail: CloudTrailDetail, account: string, state: Ec2InstanceState): InstanceObservation {
  return {
    resource: instanceRef(state.instanceId, account, detail.awsRegion),
    state,
    // Complete for the settings the call states; checks of other settings stay undecided.
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
  };
}

/**
 * An explicit `httpTokens`/`httpEndpoint` in the launch request is what the instance gets. What the
 * request leaves out comes from the launch template, the AMI or the account default, which the
 * event doesn't show: those are read live rather than guessed.
 */
function requestedMetadata(request: RunRequest): MetadataOptions | undefined {
  const asked = request.metadataOptions;
  if (!asked) return undefined;
  const options = {
    ...(asked.httpTokens ? { httpTokens: asked.httpTokens } : {}),
    ...(asked.httpEndpoint ? { httpEndpoint: asked.httpEndpoint } : {}),
  };
  return imdsVerdict(options) === "unknown" ? undefined : options;
}

/** The launch's public IPv4 address when the event settles it; otherwise what will decide it. */
function launchPublicIp(
  request: RunRequest,
  launched: Launched,
): { publicIpv4?: PublicIpv4 | null; launchAutoAssign?: LaunchAutoAssign } {
  const address =
    launched.ipAddress ??
    launched.networkInterfaceSet?.find((ni) => ni.association?.publicIp)?.association?.publicIp;
  if (address) return { publicIpv4: { source: "instance", address } };
  const interfaces = request.networkInterfaceSet ?? [];
  const primary = interfaces.find((ni) => (ni.deviceIndex ?? 0) === 0);
  if (primary?.associatePublicIpAddress === true) return { publicIpv4: { source: "launch-request" } };
  if (primary?.associatePublicIpAddress === false) return { publicIpv4: null };
  // AWS auto-assigns only to a new primary interface of a single-interface launch; an existing
  // interface may carry an Elastic IP already: the live read says.
  if (interfaces.length > 1 || primary?.networkInterfaceId) return { launchAutoAssign: "not-applicable" };
  return { launchAutoAssign: request.launchTemplate === undefined ? "subnet" : "template" };
}

/**
 * `RunInstances`: one observation per launched instance (one call may start many). Whatever the
 * event leaves open (metadata defaults, a public IPv4 address not assigned yet) is read live.
 */
export function fromRunInstances(detail: CloudTrailDetail, account: string): InstanceObservation[] {
  const request = parse(runRequestSchema, detail.requestParameters ?? {}, "RunInstances requestParameters");
  const response = parse(runResponseSchema, detail.responseElements, "RunInstances responseElements");
  const metadataOptions = requestedMetadata(request);
  return response.instancesSet.map((launched) => {
    const publicIp = launchPublicIp(request, launched);
    const state: Ec2InstanceState = {
      instanceId: launched.instanceId,
      ...(launched.subnetId ? { subnetId: launched.subnetId } : {}),
      ...(launched.vpcId ? { vpcId: launched.vpcId } : {}),
      ...(metadataOptions ? { metadataOptions } : {}),
      ...publicIp,
    };
    return {
      ...observe(detail, account, state),
      needsRefresh: metadataOptions === undefined || publicIp.publicIpv4 === undefined,
    };
  });
}

const optionsSchema = z.looseObject({
  httpTokens: z.string().optional(),
  httpEndpoint: z.string().optional(),
});

/** CloudTrail records this newer API in its wrapper dialect (`<Operation>Request`, PascalCase). */
const modifyRequestSchema = z.union([
  z
    .looseObject({
      ModifyInstanceMetadataOptionsRequest: z.looseObject({
        InstanceId: instanceIdSchema,
        HttpTokens: z.string().optional(),
        HttpEndpoint: z.string().optional(),
      }),
    })
    .transform(({ ModifyInstanceMetadataOptionsRequest: r }) => ({
      instanceId: r.InstanceId,
      httpTokens: r.HttpTokens,
      httpEndpoint: r.HttpEndpoint,
    })),
  z.looseObject({
    instanceId: instanceIdSchema,
    httpTokens: z.string().optional(),
    httpEndpoint: z.string().optional(),
  }),
]);

const modifyResultSchema = z.looseObject({ instanceMetadataOptions: optionsSchema.optional() });
const modifyResponseSchema = z
  .union([
    z
      .looseObject({ ModifyInstanceMetadataOptionsResponse: modifyResultSchema })
      .transform((r) => r.ModifyInstanceMetadataOptionsResponse),
    modifyResultSchema,
  ])
  .nullable()
  .optional();

/**
 * `ModifyInstanceMetadataOptions`: the answer carries the instance's metadata options after the
 * call (all of them); without it, what the request set. Settings neither names stay unknown.
 */
export function fromModifyMetadataOptions(detail: CloudTrailDetail, account: string): InstanceObservation[] {
  const request = parse(
    modifyRequestSchema,
    detail.requestParameters,
    "ModifyInstanceMetadataOptions requestParameters",
  );
  const response = parse(
    modifyResponseSchema,
    detail.responseElements,
    "ModifyInstanceMetadataOptions responseElements",
  );
  const after = response?.instanceMetadataOptions ?? {};
  const httpTokens = after.httpTokens ?? request.httpTokens;
  const httpEndpoint = after.httpEndpoint ?? request.httpEndpoint;
  const metadataOptions = {
    ...(httpTokens ? { httpTokens } : {}),
    ...(httpEndpoint ? { httpEndpoint } : {}),
  };
  return [observe(detail, account, { instanceId: request.instanceId, metadataOptions })];
}

const terminateRequestSchema = z.looseObject({
  instancesSet: listOf(z.looseObject({ instanceId: instanceIdSchema })).refine(
    (list) => list.length > 0,
    "names no instances",
  ),
});

/** `TerminateInstances`: the instances are going away, so their findings resolve. */
export function fromTerminateInstances(detail: CloudTrailDetail, account: string): InstanceObservation[] {
  const request = parse(
    terminateRequestSchema,
    detail.requestParameters,
    "TerminateInstances requestParameters",
  );
  return request.instancesSet.map(({ instanceId }) => ({
    ...observe(detail, account, { instanceId }),
    state: undefined,
  }));
}

export function unknownCall(eventName: string): never {
  throw new UnusableEventError(`no EC2 instance reader for ${eventName}`);
}
