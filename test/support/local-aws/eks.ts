import { randomUUID } from "node:crypto";
import type { DoubleRequest, DoubleResponse, ServiceDouble } from "./double";

/**
 * EKS clusters (and their add-ons' configuration values) in memory, in the REST-JSON protocol the
 * SDK v3 EKSClient speaks (signing name `eks`). Only what Vigil and its tests use: CreateCluster
 * (minimal), DescribeCluster, UpdateClusterConfig (logging and endpoint access), DescribeAddon,
 * TagResource and ListTagsForResource, with EKS's error codes. Updates apply at once; the answer
 * still says `InProgress`, as EKS's does. Add-ons are seeded with `putAddon`.
 */

const CONTENT_TYPE = "application/json";
/** The account clusters belong to: the one the project's sample events name. */
export const EKS_ACCOUNT = "111122223333";
const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const CLUSTER_ARN = /^arn:aws:eks:([a-z0-9-]+):(\d{12}):cluster\/(.+)$/;

export interface EksCluster {
  name: string;
  arn: string;
  region: string;
  version: string;
  endpointPublicAccess: boolean;
  endpointPrivateAccess: boolean;
  publicAccessCidrs: string[];
  /** Enabled control-plane log types. */
  logging: Set<string>;
  secretsKeyArn?: string;
  tags: Map<string, string>;
  /** Add-on name => configuration values. */
  addons: Map<string, string>;
}

class EksError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;
const isRecord = (value: unknown): value is Input =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

function clusterJson(cluster: EksCluster): Input {
  const enabled = LOG_TYPES.filter((t) => cluster.logging.has(t));
  const disabled = LOG_TYPES.filter((t) => !cluster.logging.has(t));
  return {
    name: cluster.name,
    arn: cluster.arn,
    createdAt: 1742202554,
    version: cluster.version,
    roleArn: `arn:aws:iam::${EKS_ACCOUNT}:role/eks-cluster-role`,
    resourcesVpcConfig: {
      subnetIds: [],
      securityGroupIds: [],
      endpointPublicAccess: cluster.endpointPublicAccess,
      endpointPrivateAccess: cluster.endpointPrivateAccess,
      publicAccessCidrs: cluster.publicAccessCidrs,
    },
    logging: {
      clusterLogging: [
        ...(enabled.length ? [{ types: enabled, enabled: true }] : []),
        ...(disabled.length ? [{ types: disabled, enabled: false }] : []),
      ],
    },
    status: "ACTIVE",
    ...(cluster.secretsKeyArn
      ? { encryptionConfig: [{ resources: ["secrets"], provider: { keyArn: cluster.secretsKeyArn } }] }
      : {}),
    tags: Object.fromEntries(cluster.tags),
  };
}

export class EksDouble implements ServiceDouble {
  readonly signingName = "eks";
  private readonly clusters = new Map<string, EksCluster>();

  /** A copy of the cluster, for tests to inspect; undefined when there is none. */
  cluster(name: string, region = "us-east-1"): EksCluster | undefined {
    const found = this.clusters.get(`${region}/${name}`);
    return (
      found && {
        ...found,
        logging: new Set(found.logging),
        tags: new Map(found.tags),
        addons: new Map(found.addons),
      }
    );
  }

  /** Seeds (or replaces) an add-on's configuration values on an existing cluster. */
  putAddon(clusterName: string, addonName: string, configurationValues: string, region = "us-east-1"): void {
    this.find(clusterName, region).addons.set(addonName, configurationValues);
  }

  handle(request: DoubleRequest): DoubleResponse {
    const [path = "/", search = ""] = request.url.split("?");
    const query = new URLSearchParams(search);
    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    let input: Input = {};
    try {
      const parsed: unknown = JSON.parse(request.body.toString("utf8") || "{}");
      if (isRecord(parsed)) input = parsed;
    } catch {
      return this.error("Unknown", {}, new EksError("InvalidRequestException", "request body is not JSON"));
    }
    const { action, run } = this.route(request.method, segments, input, request.region, query);
    const params = { ...this.paramsOf(segments, input), ...Object.fromEntries(query) };
    try {
      return {
        action,
        status: 200,
        body: JSON.stringify(run()),
        headers: { "content-type": CONTENT_TYPE },
        params,
      };
    } catch (error) {
      if (!(error instanceof EksError)) throw error;
      return this.error(action, params, error);
    }
  }

  /** For the request log: the path's names and the JSON body's fields (objects as JSON). */
  private paramsOf(segments: string[], input: Input): Record<string, string> {
    const params: Record<string, string> = {};
    if (segments[0] === "clusters" && segments[1]) params.name = segments[1];
    if (segments[2] === "addons" && segments[3]) params.addonName = segments[3];
    if (segments[0] === "tags" && segments[1]) params.resourceArn = segments[1];
    for (const [key, value] of Object.entries(input))
      params[key] = typeof value === "string" ? value : JSON.stringify(value);
    return params;
  }

  private route(
    method: string,
    segments: string[],
    input: Input,
    region: string,
    query: URLSearchParams,
  ): { action: string; run: () => Input } {
    const [first, name, third, fourth] = segments;
    if (first === "clusters" && method === "GET" && segments.length === 1)
      return { action: "ListClusters", run: () => this.listClusters(region, query) };
    if (first === "clusters" && method === "POST" && segments.length === 1)
      return { action: "CreateCluster", run: () => ({ cluster: clusterJson(this.create(input, region)) }) };
    if (first === "clusters" && name && method === "GET" && segments.length === 2)
      return { action: "DescribeCluster", run: () => ({ cluster: clusterJson(this.find(name, region)) }) };
    if (first === "clusters" && name && third === "update-config" && method === "POST")
      return { action: "UpdateClusterConfig", run: () => this.updateConfig(this.find(name, region), input) };
    if (first === "clusters" && name && third === "addons" && fourth && method === "GET")
      return { action: "DescribeAddon", run: () => this.describeAddon(this.find(name, region), fourth) };
    if (first === "tags" && name && method === "POST")
      return { action: "TagResource", run: () => this.tag(this.byArn(name), input) };
    if (first === "tags" && name && method === "GET")
      return {
        action: "ListTagsForResource",
        run: () => ({ tags: Object.fromEntries(this.byArn(name).tags) }),
      };
    return {
      action: `${method} /${segments.join("/")}`,
      run: () => {
        throw new EksError(
          "InvalidRequestException",
          `${method} /${segments.join("/")} is not supported by the local EKS`,
        );
      },
    };
  }

  private error(action: string, params: Record<string, string>, error: EksError): DoubleResponse {
    return {
      action,
      status: error.status,
      body: JSON.stringify({ message: error.message }),
      headers: { "content-type": CONTENT_TYPE, "x-amzn-errortype": error.code },
      params,
    };
  }

  private find(name: string, region: string): EksCluster {
    const cluster = this.clusters.get(`${region}/${name}`);
    if (!cluster) throw new EksError("ResourceNotFoundException", `No cluster found for name: ${name}.`, 404);
    return cluster;
  }

  private byArn(arn: string): EksCluster {
    const match = CLUSTER_ARN.exec(arn);
    if (!match) throw new EksError("BadRequestException", `${arn} is not a valid resource ARN`);
    const [, region = "", account, name = ""] = match;
    if (account !== EKS_ACCOUNT)
      throw new EksError("NotFoundException", `Resource ${arn} was not found`, 404);
    const cluster = this.clusters.get(`${region}/${name}`);
    if (!cluster) throw new EksError("NotFoundException", `Resource ${arn} was not found`, 404);
    return cluster;
  }

  private create(input: Input, region: string): EksCluster {
    const name = typeof input.name === "string" ? input.name : "";
    if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(name))
      throw new EksError("InvalidParameterException", "name must be a valid cluster name");
    if (this.clusters.has(`${region}/${name}`))
      throw new EksError("ResourceInUseException", `Cluster already exists with name: ${name}`, 409);
    const vpc = isRecord(input.resourcesVpcConfig) ? input.resourcesVpcConfig : {};
    const cluster: EksCluster = {
      name,
      arn: `arn:aws:eks:${region}:${EKS_ACCOUNT}:cluster/${name}`,
      region,
      version: typeof input.version === "string" ? input.version : "1.33",
      endpointPublicAccess: vpc.endpointPublicAccess !== false,
      endpointPrivateAccess: vpc.endpointPrivateAccess === true,
      publicAccessCidrs: strings(vpc.publicAccessCidrs).length
        ? strings(vpc.publicAccessCidrs)
        : ["0.0.0.0/0"],
      logging: new Set(),
      tags: new Map(Object.entries(isRecord(input.tags) ? input.tags : {}).map(([k, v]) => [k, String(v)])),
      addons: new Map(),
    };
    this.applyLogging(cluster, input.logging);
    this.clusters.set(`${region}/${name}`, cluster);
    return cluster;
  }

  /** `{ clusterLogging: [{ types, enabled }] }`: the types named change, the others stay. */
  private applyLogging(cluster: EksCluster, logging: unknown): boolean {
    if (!isRecord(logging)) return false;
    let changed = false;
    for (const setup of Array.isArray(logging.clusterLogging) ? logging.clusterLogging : []) {
      if (!isRecord(setup) || typeof setup.enabled !== "boolean") continue;
      for (const type of strings(setup.types)) {
        if (!LOG_TYPES.includes(type))
          throw new EksError("InvalidParameterException", `Unknown log type ${type}`);
        if (cluster.logging.has(type) !== setup.enabled) changed = true;
        if (setup.enabled) cluster.logging.add(type);
        else cluster.logging.delete(type);
      }
    }
    return changed;
  }

  private updateConfig(cluster: EksCluster, input: Input): Input {
    const params: { type: string; value: string }[] = [];
    let type = "ConfigUpdate";
    if (input.logging !== undefined) {
      if (!this.applyLogging(cluster, input.logging)) {
        throw new EksError("InvalidParameterException", "No changes needed for the logging config provided");
      }
      type = "LoggingUpdate";
      params.push({ type: "ClusterLogging", value: JSON.stringify(input.logging) });
    }
    if (isRecord(input.resourcesVpcConfig)) {
      const vpc = input.resourcesVpcConfig;
      if (typeof vpc.endpointPublicAccess === "boolean")
        cluster.endpointPublicAccess = vpc.endpointPublicAccess;
      if (typeof vpc.endpointPrivateAccess === "boolean")
        cluster.endpointPrivateAccess = vpc.endpointPrivateAccess;
      if (Array.isArray(vpc.publicAccessCidrs)) cluster.publicAccessCidrs = strings(vpc.publicAccessCidrs);
      type = "EndpointAccessUpdate";
    }
    return {
      update: { id: randomUUID(), status: "InProgress", type, params, createdAt: 1742202554, errors: [] },
    };
  }

  /** The Region's cluster names, `maxResults` (1-100, default 100) a page, with EKS's opaque `nextToken`. */
  private listClusters(region: string, query: URLSearchParams): Input {
    const max = Number(query.get("maxResults") ?? "100");
    if (!Number.isInteger(max) || max < 1 || max > 100)
      throw new EksError("InvalidParameterException", "maxResults must be between 1 and 100");
    const token = query.get("nextToken");
    const start = token === null ? 0 : Number(Buffer.from(token, "base64").toString("utf8"));
    const names = [...this.clusters.values()]
      .filter((c) => c.region === region)
      .map((c) => c.name)
      .sort();
    if (!Number.isInteger(start) || start < 0 || start > names.length)
      throw new EksError("InvalidParameterException", "The nextToken is not valid");
    const end = Math.min(names.length, start + max);
    return {
      clusters: names.slice(start, end),
      ...(end < names.length ? { nextToken: Buffer.from(String(end), "utf8").toString("base64") } : {}),
    };
  }

  private describeAddon(cluster: EksCluster, addonName: string): Input {
    const values = cluster.addons.get(addonName);
    if (values === undefined)
      throw new EksError(
        "ResourceNotFoundException",
        `No addon: ${addonName} found in cluster: ${cluster.name}`,
        404,
      );
    return {
      addon: {
        addonName,
        clusterName: cluster.name,
        status: "ACTIVE",
        addonVersion: "v1.19.3-eksbuild.1",
        addonArn: `arn:aws:eks:${cluster.region}:${EKS_ACCOUNT}:addon/${cluster.name}/${addonName}/${randomUUID()}`,
        ...(values ? { configurationValues: values } : {}),
      },
    };
  }

  private tag(cluster: EksCluster, input: Input): Input {
    if (!isRecord(input.tags)) throw new EksError("BadRequestException", "tags is required");
    for (const [key, value] of Object.entries(input.tags)) cluster.tags.set(key, String(value));
    return {};
  }
}

export const createEksDouble = (): ServiceDouble => new EksDouble();
