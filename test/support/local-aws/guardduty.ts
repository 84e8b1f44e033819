import { randomBytes } from "node:crypto";
import type { DoubleRequest, DoubleResponse, ServiceDouble } from "./double";

/**
 * GuardDuty detectors in memory, in the REST-JSON protocol the SDK v3 GuardDutyClient speaks
 * (signing name `guardduty`): CreateDetector, ListDetectors, GetDetector, UpdateDetector (enable,
 * finding frequency, `features` and the legacy `dataSources`, which are two views of the same
 * protection plans), DeleteDetector, ListTagsForResource and TagResource. One detector per Region,
 * as GuardDuty allows; errors as GuardDuty sends them (`x-amzn-errortype: BadRequestException`,
 * body `{ message, __type }`).
 */

const CONTENT_TYPE = "application/json";
/** The account detectors belong to: the one the project's sample events name. */
export const GUARDDUTY_ACCOUNT = "111122223333";
const DETECTOR_ARN = /^arn:aws:guardduty:([a-z0-9-]+):(\d{12}):detector\/([A-Za-z0-9]+)$/;
const NOT_OWNED = "The request is rejected because the input detectorId is not owned by the current account.";
const FREQUENCIES = ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"];
/** Always on while the detector is: they can't be turned off (they are not DetectorFeature values). */
const FOUNDATIONAL = ["CLOUD_TRAIL", "DNS_LOGS", "FLOW_LOGS"];
/** Plans a detector created with just `enable` has on: all but runtime monitoring (off by default today). */
const ON_AT_CREATION = [
  "S3_DATA_EVENTS",
  "EKS_AUDIT_LOGS",
  "EBS_MALWARE_PROTECTION",
  "RDS_LOGIN_EVENTS",
  "LAMBDA_NETWORK_LOGS",
];
/** What UpdateDetector/CreateDetector accept in `features`, with the additional configuration each has. */
const PLANS: Record<string, string[]> = {
  S3_DATA_EVENTS: [],
  EKS_AUDIT_LOGS: [],
  EBS_MALWARE_PROTECTION: [],
  RDS_LOGIN_EVENTS: [],
  EKS_RUNTIME_MONITORING: ["EKS_ADDON_MANAGEMENT"],
  LAMBDA_NETWORK_LOGS: [],
  RUNTIME_MONITORING: ["EKS_ADDON_MANAGEMENT", "ECS_FARGATE_AGENT_MANAGEMENT", "EC2_AGENT_MANAGEMENT"],
};

type Status = "ENABLED" | "DISABLED";

export interface LocalPlan {
  status: Status;
  /** Additional configuration (agent management) by name. */
  additional: Map<string, Status>;
}

export interface LocalDetector {
  detectorId: string;
  arn: string;
  region: string;
  status: Status;
  findingPublishingFrequency: string;
  /** Protection plans by feature name (the foundational sources are not listed: always on). */
  plans: Map<string, LocalPlan>;
  tags: Map<string, string>;
  createdAt: string;
  updatedAt: string;
}

class GuardDutyError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly type = "InvalidInputException",
    readonly status = 400,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new GuardDutyError("BadRequestException", message);

type Input = Record<string, unknown>;
const isRecord = (value: unknown): value is Input =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const toggle = (value: unknown): boolean | undefined =>
  isRecord(value) && typeof value.enable === "boolean" ? value.enable : undefined;
const stamp = () => new Date().toISOString();

function copy(detector: LocalDetector): LocalDetector {
  return {
    ...detector,
    plans: new Map([...detector.plans].map(([k, p]) => [k, { ...p, additional: new Map(p.additional) }])),
    tags: new Map(detector.tags),
  };
}

function planStatus(detector: LocalDetector, feature: string): Status {
  return detector.plans.get(feature)?.status ?? "DISABLED";
}

/** GetDetector's answer: `features` and the legacy `dataSources` view of the same plans. */
function detectorJson(detector: LocalDetector): Input {
  const updatedAt = Math.floor(Date.parse(detector.updatedAt) / 1000);
  const features = [
    ...FOUNDATIONAL.map((name) => ({ name, status: "ENABLED", updatedAt })),
    ...Object.entries(PLANS).map(([name, extras]) => ({
      name,
      status: planStatus(detector, name),
      updatedAt,
      ...(extras.length
        ? {
            additionalConfiguration: extras.map((extra) => ({
              name: extra,
              status: detector.plans.get(name)?.additional.get(extra) ?? "DISABLED",
              updatedAt,
            })),
          }
        : {}),
    })),
  ];
  return {
    createdAt: detector.createdAt,
    findingPublishingFrequency: detector.findingPublishingFrequency,
    serviceRole: `arn:aws:iam::${GUARDDUTY_ACCOUNT}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
    status: detector.status,
    updatedAt: detector.updatedAt,
    dataSources: {
      cloudTrail: { status: "ENABLED" },
      dnsLogs: { status: "ENABLED" },
      flowLogs: { status: "ENABLED" },
      s3Logs: { status: planStatus(detector, "S3_DATA_EVENTS") },
      kubernetes: { auditLogs: { status: planStatus(detector, "EKS_AUDIT_LOGS") } },
      malwareProtection: {
        scanEc2InstanceWithFindings: {
          ebsVolumes: { status: planStatus(detector, "EBS_MALWARE_PROTECTION") },
        },
        serviceRole: `arn:aws:iam::${GUARDDUTY_ACCOUNT}:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection`,
      },
    },
    tags: Object.fromEntries(detector.tags),
    features,
  };
}

export class GuardDutyDouble implements ServiceDouble {
  readonly signingName = "guardduty";
  /** By Region: GuardDuty allows one detector per account and Region. */
  private readonly detectors = new Map<string, LocalDetector>();
  /** Actions answered with AccessDeniedException (403), to play a role that lacks them. */
  private readonly denied = new Set<string>();

  /** Answers `actions` (e.g. `ListDetectors`) with AccessDeniedException from now on (none again with `deny()`). */
  deny(...actions: string[]): void {
    this.denied.clear();
    for (const action of actions) this.denied.add(action);
  }

  /** A copy of the detector, for tests to inspect; undefined when there is none. */
  detector(detectorId: string): LocalDetector | undefined {
    const found = [...this.detectors.values()].find((d) => d.detectorId === detectorId);
    return found && copy(found);
  }

  /** Every detector's id in a Region (at most one), for tests to inspect. */
  detectorIds(region = "us-east-1"): string[] {
    const found = this.detectors.get(region);
    return found ? [found.detectorId] : [];
  }

  handle(request: DoubleRequest): DoubleResponse {
    const [path = "/", query = ""] = request.url.split("?");
    const segments = path.split("/").filter(Boolean).map(decodeURIComponent);
    let input: Input = {};
    try {
      const parsed: unknown = JSON.parse(request.body.toString("utf8") || "{}");
      if (isRecord(parsed)) input = parsed;
    } catch {
      return this.error(
        "Unknown",
        {},
        badRequest("The request is rejected because the request body is not JSON."),
      );
    }
    const { action, status, run } = this.route(
      request.method,
      segments,
      input,
      request.region,
      new URLSearchParams(query),
    );
    const params = paramsOf(segments, input);
    try {
      if (this.denied.has(action))
        throw new GuardDutyError(
          "AccessDeniedException",
          `User is not authorized to perform: guardduty:${action}`,
          "AccessDeniedException",
          403,
        );
      const body = run();
      return {
        action,
        status,
        body: body === undefined ? "" : JSON.stringify(body),
        headers: { "content-type": CONTENT_TYPE },
        params,
      };
    } catch (error) {
      if (!(error instanceof GuardDutyError)) throw error;
      return this.error(action, params, error);
    }
  }

  private error(action: string, params: Record<string, string>, error: GuardDutyError): DoubleResponse {
    return {
      action,
      status: error.status,
      body: JSON.stringify({ message: error.message, __type: error.type }),
      headers: { "content-type": CONTENT_TYPE, "x-amzn-errortype": error.code },
      params,
    };
  }

  private route(
    method: string,
    segments: string[],
    input: Input,
    region: string,
    query: URLSearchParams = new URLSearchParams(),
  ): { action: string; status: number; run: () => Input | undefined } {
    const [first, id] = segments;
    if (first === "detector" && segments.length === 1 && method === "POST")
      return { action: "CreateDetector", status: 200, run: () => this.create(input, region) };
    if (first === "detector" && segments.length === 1 && method === "GET")
      return { action: "ListDetectors", status: 200, run: () => this.list(region, query) };
    if (first === "detector" && id && segments.length === 2) {
      if (method === "GET")
        return { action: "GetDetector", status: 200, run: () => detectorJson(this.find(id, region)) };
      if (method === "POST")
        return {
          action: "UpdateDetector",
          status: 200,
          run: () => this.update(this.find(id, region), input),
        };
      if (method === "DELETE")
        return {
          action: "DeleteDetector",
          status: 200,
          run: () => {
            this.detectors.delete(this.find(id, region).region);
            return {};
          },
        };
    }
    if (first === "tags" && id && segments.length === 2 && method === "GET")
      return {
        action: "ListTagsForResource",
        status: 200,
        run: () => ({ tags: Object.fromEntries(this.byArn(id, region).tags) }),
      };
    if (first === "tags" && id && segments.length === 2 && method === "POST")
      return { action: "TagResource", status: 204, run: () => this.tag(this.byArn(id, region), input) };
    const action = `${method} /${segments.join("/")}`;
    return {
      action,
      status: 404,
      run: () => {
        throw new GuardDutyError("BadRequestException", `${action} is not supported by the local GuardDuty`);
      },
    };
  }

  /**
   * ListDetectors pages as GuardDuty does (`maxResults` 1-50, default 50; `nextToken` from the last
   * page), although a Region holds one detector: the sweep's paginator is exercised all the same.
   */
  private list(region: string, query: URLSearchParams): Input {
    const invalid = badRequest(
      "The request is rejected because an invalid or out-of-range value is specified as an input parameter.",
    );
    const max = query.has("maxResults") ? Number(query.get("maxResults")) : 50;
    if (!Number.isInteger(max) || max < 1 || max > 50) throw invalid;
    const token = query.get("nextToken");
    const start = token ? Number(Buffer.from(token, "base64url").toString("utf8")) : 0;
    if (!Number.isInteger(start) || start < 0) throw invalid;
    const ids = [...this.detectors.values()]
      .filter((d) => d.region === region)
      .map((d) => d.detectorId)
      .concat(this.extraIds.get(region) ?? []);
    const page = ids.slice(start, start + max);
    const next =
      start + max < ids.length ? Buffer.from(String(start + max)).toString("base64url") : undefined;
    return { detectorIds: page, ...(next ? { nextToken: next } : {}) };
  }

  /**
   * Ids ListDetectors also lists in a Region with no detector behind them: a detector deleted between
   * the listing and the GetDetector that follows (GetDetector answers "not owned"), for the sweep's tests.
   */
  readonly extraIds = new Map<string, string[]>();

  private find(detectorId: string, region: string): LocalDetector {
    const detector = this.detectors.get(region);
    if (!detector || detector.detectorId !== detectorId) throw badRequest(NOT_OWNED);
    return detector;
  }

  private byArn(arn: string, region: string): LocalDetector {
    const match = DETECTOR_ARN.exec(arn);
    if (!match)
      throw badRequest(
        "The request is rejected because an invalid or out-of-range value is specified as an input parameter.",
      );
    const [, arnRegion = "", account, detectorId = ""] = match;
    if (account !== GUARDDUTY_ACCOUNT || arnRegion !== region) throw badRequest(NOT_OWNED);
    return this.find(detectorId, region);
  }

  private create(input: Input, region: string): Input {
    if (typeof input.enable !== "boolean")
      throw badRequest("The request is rejected because the input is missing a required parameter: enable.");
    if (this.detectors.has(region))
      throw badRequest("The request is rejected because a detector already exists for the current account.");
    const created = stamp();
    const detector: LocalDetector = {
      detectorId: randomBytes(16).toString("hex"),
      arn: "",
      region,
      status: input.enable ? "ENABLED" : "DISABLED",
      findingPublishingFrequency: "SIX_HOURS",
      plans: new Map(ON_AT_CREATION.map((name) => [name, { status: "ENABLED", additional: new Map() }])),
      tags: new Map(),
      createdAt: created,
      updatedAt: created,
    };
    detector.arn = `arn:aws:guardduty:${region}:${GUARDDUTY_ACCOUNT}:detector/${detector.detectorId}`;
    this.configure(detector, input);
    if (isRecord(input.tags))
      for (const [k, v] of Object.entries(input.tags)) detector.tags.set(k, String(v));
    this.detectors.set(region, detector);
    return { detectorId: detector.detectorId };
  }

  private update(detector: LocalDetector, input: Input): Input {
    const next = copy(detector);
    if (typeof input.enable === "boolean") next.status = input.enable ? "ENABLED" : "DISABLED";
    this.configure(next, input);
    next.updatedAt = stamp();
    Object.assign(detector, next);
    return {};
  }

  /** Frequency and protection plans, from `features` or the legacy `dataSources` (never both). */
  private configure(detector: LocalDetector, input: Input): void {
    const frequency = input.findingPublishingFrequency;
    if (frequency !== undefined) {
      if (typeof frequency !== "string" || !FREQUENCIES.includes(frequency))
        throw badRequest(
          "The request is rejected because an invalid or out-of-range value is specified as an input parameter.",
        );
      detector.findingPublishingFrequency = frequency;
    }
    if (input.features !== undefined && input.dataSources !== undefined)
      throw badRequest(
        "The request failed because both data sources and features were provided. You can provide only one; it is recommended to use features.",
      );
    if (isRecord(input.dataSources)) this.applyDataSources(detector, input.dataSources);
    if (input.features !== undefined) this.applyFeatures(detector, input.features);
  }

  private setPlan(detector: LocalDetector, feature: string, status: Status): LocalPlan {
    const plan = detector.plans.get(feature) ?? { status, additional: new Map<string, Status>() };
    plan.status = status;
    detector.plans.set(feature, plan);
    return plan;
  }

  private applyDataSources(detector: LocalDetector, sources: Input): void {
    const status = (on: boolean): Status => (on ? "ENABLED" : "DISABLED");
    const s3 = toggle(sources.s3Logs);
    if (s3 !== undefined) this.setPlan(detector, "S3_DATA_EVENTS", status(s3));
    const audit = isRecord(sources.kubernetes) ? toggle(sources.kubernetes.auditLogs) : undefined;
    if (audit !== undefined) this.setPlan(detector, "EKS_AUDIT_LOGS", status(audit));
    const malware = isRecord(sources.malwareProtection)
      ? sources.malwareProtection.scanEc2InstanceWithFindings
      : undefined;
    const ebs = isRecord(malware) && typeof malware.ebsVolumes === "boolean" ? malware.ebsVolumes : undefined;
    if (ebs !== undefined) this.setPlan(detector, "EBS_MALWARE_PROTECTION", status(ebs));
  }

  /** `[{ name, status, additionalConfiguration? }]`: named plans change, the others stay as they are. */
  private applyFeatures(detector: LocalDetector, features: unknown): void {
    const invalid =
      "The request is rejected because an invalid or out-of-range value is specified as an input parameter.";
    if (!Array.isArray(features)) throw badRequest(invalid);
    const names = features.map((f) => (isRecord(f) ? f.name : undefined));
    if (names.includes("EKS_RUNTIME_MONITORING") && names.includes("RUNTIME_MONITORING"))
      throw badRequest(
        "The request is rejected because EKS_RUNTIME_MONITORING and RUNTIME_MONITORING are both specified. Runtime Monitoring already includes EKS Runtime Monitoring.",
      );
    for (const feature of features) {
      if (!isRecord(feature) || typeof feature.name !== "string" || !(feature.name in PLANS))
        throw badRequest(invalid);
      if (feature.status !== "ENABLED" && feature.status !== "DISABLED") throw badRequest(invalid);
      const plan = this.setPlan(detector, feature.name, feature.status);
      for (const extra of Array.isArray(feature.additionalConfiguration)
        ? feature.additionalConfiguration
        : []) {
        if (!isRecord(extra) || typeof extra.name !== "string" || !PLANS[feature.name]?.includes(extra.name))
          throw badRequest(invalid);
        if (extra.status !== "ENABLED" && extra.status !== "DISABLED") throw badRequest(invalid);
        plan.additional.set(extra.name, extra.status);
      }
    }
  }

  private tag(detector: LocalDetector, input: Input): undefined {
    if (!isRecord(input.tags) || !Object.keys(input.tags).length)
      throw badRequest("The request is rejected because the input is missing a required parameter: tags.");
    for (const [key, value] of Object.entries(input.tags)) detector.tags.set(key, String(value));
    return undefined;
  }
}

/** For the request log: the path's ids and the JSON body's fields (objects as JSON). */
function paramsOf(segments: string[], input: Input): Record<string, string> {
  const params: Record<string, string> = {};
  if (segments[0] === "detector" && segments[1]) params.detectorId = segments[1];
  if (segments[0] === "tags" && segments[1]) params.resourceArn = segments[1];
  for (const [key, value] of Object.entries(input)) {
    // The SDK's idempotency token is random per call: not worth asserting.
    if (key === "clientToken") continue;
    params[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return params;
}

export const createGuardDutyDouble = (): ServiceDouble => new GuardDutyDouble();
