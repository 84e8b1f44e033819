import { DEFAULT_VPC_ID, OWNER_ID, type Ec2Action, type Ec2State } from "./ec2";
import { AwsError, el, itemSet, members, randomHex, raw, values, type Params } from "./query";

/**
 * EC2 instances and subnets in memory, in the EC2 query protocol, for the IMDSv2 and public-IP
 * checks: RunInstances (minimal), DescribeInstances, ModifyInstanceMetadataOptions, CreateSubnet,
 * ModifySubnetAttribute, DescribeSubnets, and CreateTags on instances and subnets. Only what Vigil
 * and its tests use, with AWS's error codes.
 */

export interface MetadataOptions {
  httpTokens: "optional" | "required";
  httpEndpoint: "enabled" | "disabled";
  httpPutResponseHopLimit: number;
  httpProtocolIpv6: "enabled" | "disabled";
  instanceMetadataTags: "enabled" | "disabled";
}

export interface LocalInstance {
  instanceId: string;
  reservationId: string;
  imageId: string;
  instanceType: string;
  subnetId: string;
  vpcId: string;
  privateIpAddress: string;
  publicIpAddress?: string;
  state: "pending" | "running" | "stopped" | "shutting-down" | "terminated";
  metadataOptions: MetadataOptions;
  tags: Record<string, string>;
}

export interface LocalSubnet {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  mapPublicIpOnLaunch: boolean;
  defaultForAz: boolean;
  tags: Record<string, string>;
}

export interface InstancesState {
  instances: Map<string, LocalInstance>;
  subnets: Map<string, LocalSubnet>;
}

/** The default VPC's subnet: like AWS's default subnets, it gives every launch a public IPv4 address. */
export const DEFAULT_SUBNET_ID = "subnet-0de0fa017000000d1";

const STATE_CODES: Record<LocalInstance["state"], number> = {
  pending: 0,
  running: 16,
  "shutting-down": 32,
  terminated: 48,
  stopped: 80,
};

const states = new WeakMap<Ec2State, InstancesState>();

/** The instances and subnets of one endpoint, for tests to seed and inspect. */
export function ec2Instances(ec2: Ec2State): InstancesState {
  const state = states.get(ec2);
  if (!state) throw new Error("local-aws: the EC2 instances extension is not installed");
  return state;
}

const invalid = (message: string) => new AwsError("InvalidParameterValue", message);

function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  name: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value))
    throw invalid(`Invalid value '${value}' for ${name}. Valid values: ${allowed.join(", ")}`);
  return value as T;
}

function flag(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value === "true";
}

function tagsFor(params: Params, resourceType: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const spec of members(params, "TagSpecification")) {
    if (spec.ResourceType !== resourceType) continue;
    for (const tag of members(spec, "Tag")) if (tag.Key) tags[tag.Key] = tag.Value ?? "";
  }
  return tags;
}

const tagSetXml = (tags: Record<string, string>) =>
  itemSet("tagSet", Object.entries(tags), ([key, value]) => el("key", key) + el("value", value));

function metadataXml(name: string, m: MetadataOptions, state: "pending" | "applied"): string {
  return raw(
    name,
    el("state", state) +
      el("httpTokens", m.httpTokens) +
      el("httpPutResponseHopLimit", m.httpPutResponseHopLimit) +
      el("httpEndpoint", m.httpEndpoint) +
      el("httpProtocolIpv6", m.httpProtocolIpv6) +
      el("instanceMetadataTags", m.instanceMetadataTags),
  );
}

/** One instance as DescribeInstances and RunInstances render it (`ipAddress` is the public IPv4 address). */
function instanceXml(i: LocalInstance, state = i.state): string {
  return [
    el("instanceId", i.instanceId),
    el("imageId", i.imageId),
    raw("instanceState", el("code", STATE_CODES[state]) + el("name", state)),
    el("instanceType", i.instanceType),
    el("subnetId", i.subnetId),
    el("vpcId", i.vpcId),
    el("privateIpAddress", i.privateIpAddress),
    el("ipAddress", i.publicIpAddress),
    tagSetXml(i.tags),
    metadataXml("metadataOptions", i.metadataOptions, "applied"),
  ].join("");
}

function subnetXml(s: LocalSubnet): string {
  return [
    el("subnetId", s.subnetId),
    el("subnetArn", `arn:aws:ec2:us-east-1:${OWNER_ID}:subnet/${s.subnetId}`),
    el("state", "available"),
    el("vpcId", s.vpcId),
    el("cidrBlock", s.cidrBlock),
    el("availabilityZone", s.availabilityZone),
    el("defaultForAz", s.defaultForAz),
    el("mapPublicIpOnLaunch", s.mapPublicIpOnLaunch),
    el("ownerId", OWNER_ID),
    tagSetXml(s.tags),
  ].join("");
}

function notFound(kind: "instance" | "subnet", ids: string[]): AwsError {
  if (kind === "subnet")
    return new AwsError("InvalidSubnetID.NotFound", `The subnet ID '${ids.join("', '")}' does not exist`);
  return ids.length === 1
    ? new AwsError("InvalidInstanceID.NotFound", `The instance ID '${ids[0]}' does not exist`)
    : new AwsError("InvalidInstanceID.NotFound", `The instance IDs '${ids.join(", ")}' do not exist`);
}

export function installInstances(ec2: Ec2State): void {
  const state: InstancesState = { instances: new Map(), subnets: new Map() };
  states.set(ec2, state);
  state.subnets.set(DEFAULT_SUBNET_ID, {
    subnetId: DEFAULT_SUBNET_ID,
    vpcId: DEFAULT_VPC_ID,
    cidrBlock: "172.31.0.0/20",
    availabilityZone: "us-east-1a",
    mapPublicIpOnLaunch: true,
    defaultForAz: true,
    tags: {},
  });
  let addresses = 0;

  const instance = (id: string | undefined): LocalInstance => {
    if (!id) throw new AwsError("MissingParameter", "The request must contain the parameter InstanceId");
    return state.instances.get(id) ?? fail(notFound("instance", [id]));
  };
  const subnet = (id: string): LocalSubnet => state.subnets.get(id) ?? fail(notFound("subnet", [id]));

  ec2.extend({
    RunInstances: (p) => {
      if (!p.ImageId)
        throw new AwsError("MissingParameter", "The request must contain the parameter ImageId");
      const min = Number(p.MinCount);
      const max = Number(p.MaxCount);
      if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || min > max)
        throw invalid(`Invalid value for MinCount/MaxCount: ${p.MinCount}/${p.MaxCount}`);
      const [primary = {}] = members(p, "NetworkInterface");
      const where = subnet(p.SubnetId ?? primary.SubnetId ?? DEFAULT_SUBNET_ID);
      const asked = flag(primary.AssociatePublicIpAddress);
      // As for an AMI without `ImdsSupport: v2.0` in an account without metadata defaults.
      const metadataOptions: MetadataOptions = {
        httpTokens:
          oneOf(p["MetadataOptions.HttpTokens"], ["optional", "required"], "HttpTokens") ?? "optional",
        httpEndpoint:
          oneOf(p["MetadataOptions.HttpEndpoint"], ["enabled", "disabled"], "HttpEndpoint") ?? "enabled",
        httpPutResponseHopLimit: Number(p["MetadataOptions.HttpPutResponseHopLimit"] ?? 1),
        httpProtocolIpv6: "disabled",
        instanceMetadataTags: "disabled",
      };
      const reservationId = `r-${randomHex(17)}`;
      const launched: LocalInstance[] = [];
      for (let n = 0; n < max; n++) {
        const publicIp = asked ?? where.mapPublicIpOnLaunch;
        const created: LocalInstance = {
          instanceId: `i-${randomHex(17)}`,
          reservationId,
          imageId: p.ImageId,
          instanceType: p.InstanceType ?? "m1.small",
          subnetId: where.subnetId,
          vpcId: where.vpcId,
          privateIpAddress: `10.0.0.${10 + state.instances.size}`,
          // TEST-NET-2 documentation addresses.
          ...(publicIp ? { publicIpAddress: `198.51.100.${++addresses}` } : {}),
          // Launched instances run at once here; the launch answer still says "pending", as AWS's does.
          state: "running",
          metadataOptions: { ...metadataOptions },
          tags: tagsFor(p, "instance"),
        };
        state.instances.set(created.instanceId, created);
        launched.push(created);
      }
      return (
        el("reservationId", reservationId) +
        el("ownerId", OWNER_ID) +
        raw("groupSet", "") +
        itemSet("instancesSet", launched, (i) => instanceXml(i, "pending"))
      );
    },

    DescribeInstances: (p) => {
      const ids = values(p, "InstanceId");
      const missing = ids.filter((id) => !state.instances.has(id));
      if (missing.length) throw notFound("instance", missing);
      const found = [...state.instances.values()].filter((i) => !ids.length || ids.includes(i.instanceId));
      const reservations = [...new Set(found.map((i) => i.reservationId))];
      return itemSet("reservationSet", reservations, (reservationId) =>
        [
          el("reservationId", reservationId),
          el("ownerId", OWNER_ID),
          raw("groupSet", ""),
          itemSet(
            "instancesSet",
            found.filter((i) => i.reservationId === reservationId),
            (i) => instanceXml(i),
          ),
        ].join(""),
      );
    },

    ModifyInstanceMetadataOptions: (p) => {
      const target = instance(p.InstanceId);
      if (target.state === "terminated" || target.state === "shutting-down")
        throw new AwsError(
          "IncorrectInstanceState",
          `The instance '${target.instanceId}' is not in a state from which it can be modified.`,
        );
      const httpTokens = oneOf(p.HttpTokens, ["optional", "required"], "HttpTokens");
      const httpEndpoint = oneOf(p.HttpEndpoint, ["enabled", "disabled"], "HttpEndpoint");
      const endpointAfter = httpEndpoint ?? target.metadataOptions.httpEndpoint;
      // As AWS answers when the endpoint is off: tokens only mean something with the endpoint on.
      if (httpTokens && endpointAfter !== "enabled")
        throw invalid(
          "The HttpEndpoint is not set to 'enabled' in this request. To specify a value for HttpTokens, set HttpEndpoint to 'enabled'.",
        );
      const hops = p.HttpPutResponseHopLimit === undefined ? undefined : Number(p.HttpPutResponseHopLimit);
      target.metadataOptions = {
        ...target.metadataOptions,
        ...(httpTokens ? { httpTokens } : {}),
        ...(httpEndpoint ? { httpEndpoint } : {}),
        ...(hops !== undefined ? { httpPutResponseHopLimit: hops } : {}),
      };
      return (
        el("instanceId", target.instanceId) +
        metadataXml("instanceMetadataOptions", target.metadataOptions, "pending")
      );
    },

    CreateSubnet: (p) => {
      if (!p.VpcId || !p.CidrBlock)
        throw new AwsError("MissingParameter", "The request must contain the parameters VpcId and CidrBlock");
      const created: LocalSubnet = {
        subnetId: `subnet-${randomHex(17)}`,
        vpcId: p.VpcId,
        cidrBlock: p.CidrBlock,
        availabilityZone: p.AvailabilityZone ?? "us-east-1a",
        // Only default subnets auto-assign from the start.
        mapPublicIpOnLaunch: false,
        defaultForAz: false,
        tags: tagsFor(p, "subnet"),
      };
      state.subnets.set(created.subnetId, created);
      return raw("subnet", subnetXml(created));
    },

    ModifySubnetAttribute: (p) => {
      if (!p.SubnetId)
        throw new AwsError("MissingParameter", "The request must contain the parameter SubnetId");
      const target = subnet(p.SubnetId);
      const map = flag(p["MapPublicIpOnLaunch.Value"]);
      if (map !== undefined) target.mapPublicIpOnLaunch = map;
      return el("return", true);
    },

    DescribeSubnets: (p) => {
      const ids = values(p, "SubnetId");
      const missing = ids.filter((id) => !state.subnets.has(id));
      if (missing.length) throw notFound("subnet", missing);
      const found = [...state.subnets.values()].filter((s) => !ids.length || ids.includes(s.subnetId));
      return itemSet("subnetSet", found, subnetXml);
    },
  });

  installInstanceTagging(ec2, state);
}

/**
 * `CreateTags` on instances and subnets (Vigil's undo tags an instance exempt). The security-group
 * model (and other extensions) already serve `CreateTags`: requests naming only instances and
 * subnets are answered here, every other one goes on to them unchanged.
 */
function installInstanceTagging(ec2: Ec2State, state: InstancesState): void {
  const actions = (ec2 as unknown as { actions: Record<string, Ec2Action> }).actions;
  const previous = actions.CreateTags;
  actions.CreateTags = (p) => {
    const ids = values(p, "ResourceId");
    if (!ids.length || !ids.every((id) => id.startsWith("i-") || id.startsWith("subnet-"))) {
      if (!previous) throw new AwsError("InvalidAction", "CreateTags is not served");
      return previous(p);
    }
    const tags = members(p, "Tag");
    if (!tags.length) throw new AwsError("MissingParameter", "The request must contain the parameter Tag");
    const targets = ids.map((id) =>
      id.startsWith("i-")
        ? (state.instances.get(id) ?? fail(notFound("instance", [id])))
        : (state.subnets.get(id) ?? fail(notFound("subnet", [id]))),
    );
    for (const target of targets) for (const tag of tags) if (tag.Key) target.tags[tag.Key] = tag.Value ?? "";
    return el("return", true);
  };
}

function fail(error: AwsError): never {
  throw error;
}
