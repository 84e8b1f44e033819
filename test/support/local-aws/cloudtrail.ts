import { type DoubleRequest, type DoubleResponse, type ServiceDouble, jsonError, jsonOutput } from "./double";

/**
 * CloudTrail trails in memory, in the JSON 1.1 protocol the SDK v3 CloudTrailClient speaks
 * (`X-Amz-Target: CloudTrail_20131101.<Op>`; older SDKs prefix it with
 * `com.amazonaws.cloudtrail.v20131101.`, which is accepted too; signing name `cloudtrail`).
 * Only what Vigil and its tests use: CreateTrail, DeleteTrail, StartLogging, StopLogging,
 * UpdateTrail, GetTrailStatus, DescribeTrails, GetTrail, GetEventSelectors, PutEventSelectors, ListTags,
 * AddTags and RemoveTags, with
 * CloudTrail's error codes and rules (home Region, multi-Region needs global service events, ...).
 */

const CONTENT_TYPE = "application/x-amz-json-1.1";
const TARGET = /^(?:com\.amazonaws\.cloudtrail\.v20131101\.)?CloudTrail_20131101\.(\w+)$/;
/** The account trails belong to: the one the project's sample events name. */
export const CLOUDTRAIL_ACCOUNT = "111122223333";
const TRAIL_ARN = /^arn:aws:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;
/** CloudTrail's naming rules: 3-128 chars, letters/digits/`._-`, starts and ends alphanumeric, no `..`, `-_`... */
const TRAIL_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9])){1,126}[A-Za-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(?:\.\d{1,3}){3}$/;

export interface LocalTrail {
  name: string;
  arn: string;
  homeRegion: string;
  s3BucketName: string;
  s3KeyPrefix?: string;
  isLogging: boolean;
  logFileValidationEnabled: boolean;
  isMultiRegionTrail: boolean;
  includeGlobalServiceEvents: boolean;
  /** The key's ARN, or undefined when the trail is not SSE-KMS encrypted. */
  kmsKeyId?: string;
  startLoggingTime?: number;
  stopLoggingTime?: number;
  tags: Map<string, string>;
  /** Basic event selectors (CloudTrail's default for a new trail: all management events), or... */
  eventSelectors?: Input[];
  /** ...advanced ones: a trail has one kind or the other. */
  advancedEventSelectors?: Input[];
}

/** What CreateTrail gives a trail: read and write management events, no data events. */
const DEFAULT_SELECTORS: Input[] = [
  {
    ReadWriteType: "All",
    IncludeManagementEvents: true,
    DataResources: [],
    ExcludeManagementEventSources: [],
  },
];

class CloudTrailError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;

const text = (input: Input, field: string): string | undefined =>
  typeof input[field] === "string" ? input[field] : undefined;
const flag = (input: Input, field: string): boolean | undefined =>
  typeof input[field] === "boolean" ? input[field] : undefined;
const now = () => Math.floor(Date.now() / 1000);

/** The trail as CreateTrail and UpdateTrail answer it. */
function trailOutput(trail: LocalTrail): Input {
  return {
    Name: trail.name,
    S3BucketName: trail.s3BucketName,
    ...(trail.s3KeyPrefix ? { S3KeyPrefix: trail.s3KeyPrefix } : {}),
    IncludeGlobalServiceEvents: trail.includeGlobalServiceEvents,
    IsMultiRegionTrail: trail.isMultiRegionTrail,
    TrailARN: trail.arn,
    LogFileValidationEnabled: trail.logFileValidationEnabled,
    ...(trail.kmsKeyId ? { KmsKeyId: trail.kmsKeyId } : {}),
    IsOrganizationTrail: false,
  };
}

/** The trail as DescribeTrails and GetTrail answer it. */
function trailDescription(trail: LocalTrail): Input {
  return {
    ...trailOutput(trail),
    HomeRegion: trail.homeRegion,
    HasCustomEventSelectors: trail.eventSelectors !== DEFAULT_SELECTORS,
    HasInsightSelectors: false,
  };
}

export class CloudTrailDouble implements ServiceDouble {
  readonly signingName = "cloudtrail";
  /** By trail ARN. */
  private readonly trails = new Map<string, LocalTrail>();
  /** Actions answered with AccessDeniedException, to play a role that lacks them. */
  private readonly denied = new Set<string>();

  /** Answers `action` with AccessDeniedException from now on (none again with `deny()`). */
  deny(...actions: string[]): void {
    this.denied.clear();
    for (const action of actions) this.denied.add(action);
  }

  /** A copy of the trail (by name in its home Region, or by ARN), for tests to inspect; undefined when there is none. */
  trail(nameOrArn: string, region = "us-east-1"): LocalTrail | undefined {
    const found = this.trails.get(this.arnFor(nameOrArn, region));
    return found && { ...found, tags: new Map(found.tags) };
  }

  handle(request: DoubleRequest): DoubleResponse {
    const action = TARGET.exec(request.target)?.[1] ?? request.target;
    let input: Input = {};
    try {
      const parsed: unknown = JSON.parse(request.body.toString("utf8") || "{}");
      if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) input = parsed as Input;
    } catch {
      return this.error(
        action,
        {},
        new CloudTrailError("SerializationException", "request body is not JSON"),
      );
    }
    const params = paramsOf(input);
    try {
      if (this.denied.has(action))
        throw new CloudTrailError(
          "AccessDeniedException",
          `User: arn:aws:sts::${CLOUDTRAIL_ACCOUNT}:assumed-role/vigil/sweep is not authorized to perform: cloudtrail:${action}`,
        );
      const body = this.dispatch(action, input, request.region);
      return jsonOutput(action, params, CONTENT_TYPE, body);
    } catch (error) {
      if (!(error instanceof CloudTrailError)) throw error;
      return this.error(action, params, error);
    }
  }

  private error(action: string, params: Record<string, string>, error: CloudTrailError): DoubleResponse {
    return jsonError(action, params, CONTENT_TYPE, { type: error.code, message: error.message });
  }

  private dispatch(action: string, input: Input, region: string): Input {
    switch (action) {
      case "CreateTrail":
        return trailOutput(this.create(input, region));
      case "DeleteTrail":
        this.trails.delete(this.writable(input, region).arn);
        return {};
      case "StartLogging":
      case "StopLogging": {
        const trail = this.writable(input, region);
        trail.isLogging = action === "StartLogging";
        if (trail.isLogging) trail.startLoggingTime = now();
        else trail.stopLoggingTime = now();
        return {};
      }
      case "UpdateTrail":
        return trailOutput(this.update(this.writable(input, region), input));
      case "GetTrailStatus":
        return this.status(this.readable(input, region));
      case "GetTrail":
        return { Trail: trailDescription(this.readable(input, region)) };
      case "DescribeTrails":
        return this.describe(input, region);
      case "GetEventSelectors":
        return selectorsOutput(this.readableByTrailName(input, region));
      case "PutEventSelectors":
        return selectorsOutput(this.putSelectors(this.writableByTrailName(input, region), input));
      case "ListTags":
        return this.listTags(input, region);
      case "AddTags":
      case "RemoveTags":
        this.changeTags(action === "AddTags", input, region);
        return {};
      default:
        throw new CloudTrailError(
          "UnknownOperationException",
          `${action} is not supported by the local CloudTrail`,
        );
    }
  }

  /** The ARN a name (in `region`) or an ARN stands for; throws CloudTrail's error for neither. */
  private arnFor(nameOrArn: string, region: string): string {
    if (nameOrArn.startsWith("arn:")) {
      if (!TRAIL_ARN.test(nameOrArn))
        throw new CloudTrailError(
          "CloudTrailARNInvalidException",
          `${nameOrArn} is not a valid trail ARN: arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail`,
        );
      return nameOrArn;
    }
    if (!TRAIL_NAME.test(nameOrArn) || IP_ADDRESS.test(nameOrArn))
      throw new CloudTrailError("InvalidTrailNameException", `Trail name ${nameOrArn} is not valid.`);
    return `arn:aws:cloudtrail:${region}:${CLOUDTRAIL_ACCOUNT}:trail/${nameOrArn}`;
  }

  /**
   * The trail a `Name` resolves to from `region`: its own trails by name, any trail by ARN, and a
   * multi-Region trail created elsewhere (its shadow) by name too, as CloudTrail does.
   */
  private readable(input: Input, region: string): LocalTrail {
    const name = text(input, "Name");
    if (!name) throw new CloudTrailError("InvalidTrailNameException", "Trail name or ARN can't be empty.");
    const arn = this.arnFor(name, region);
    const trail =
      this.trails.get(arn) ??
      (name.startsWith("arn:")
        ? undefined
        : [...this.trails.values()].find((t) => t.name === name && t.isMultiRegionTrail));
    if (!trail)
      throw new CloudTrailError(
        "TrailNotFoundException",
        `Unknown trail: ${arn} for the user: ${CLOUDTRAIL_ACCOUNT}`,
      );
    return trail;
  }

  /** As `readable`, but changes must be made from the trail's home Region. */
  private writable(input: Input, region: string): LocalTrail {
    const trail = this.readable(input, region);
    if (trail.homeRegion !== region)
      throw new CloudTrailError(
        "InvalidHomeRegionException",
        `This operation must be called from the Region in which the trail was created (${trail.homeRegion}).`,
      );
    return trail;
  }

  /** GetEventSelectors and PutEventSelectors name the trail `TrailName`, not `Name`. */
  private readableByTrailName(input: Input, region: string): LocalTrail {
    return this.readable({ Name: input.TrailName }, region);
  }

  private writableByTrailName(input: Input, region: string): LocalTrail {
    return this.writable({ Name: input.TrailName }, region);
  }

  /** One kind of selector or the other, replacing whichever the trail had (CloudTrail allows up to 5 basic ones). */
  private putSelectors(trail: LocalTrail, input: Input): LocalTrail {
    const basic = Array.isArray(input.EventSelectors) ? (input.EventSelectors as Input[]) : undefined;
    const advanced = Array.isArray(input.AdvancedEventSelectors)
      ? (input.AdvancedEventSelectors as Input[])
      : undefined;
    if ((basic === undefined) === (advanced === undefined))
      throw new CloudTrailError(
        "InvalidParameterCombinationException",
        "You must specify either EventSelectors or AdvancedEventSelectors, but not both.",
      );
    if (basic && basic.length > 5)
      throw new CloudTrailError(
        "InvalidEventSelectorsException",
        "A trail can have up to 5 event selectors.",
      );
    if (basic) {
      trail.eventSelectors = basic.map((s) => ({
        ReadWriteType: s.ReadWriteType ?? "All",
        IncludeManagementEvents: s.IncludeManagementEvents ?? true,
        DataResources: s.DataResources ?? [],
        ExcludeManagementEventSources: s.ExcludeManagementEventSources ?? [],
      }));
      delete trail.advancedEventSelectors;
    } else {
      trail.advancedEventSelectors = advanced;
      delete trail.eventSelectors;
    }
    return trail;
  }

  private create(input: Input, region: string): LocalTrail {
    const name = text(input, "Name") ?? "";
    if (name.startsWith("arn:") || !TRAIL_NAME.test(name) || IP_ADDRESS.test(name))
      throw new CloudTrailError("InvalidTrailNameException", `Trail name ${name} is not valid.`);
    const arn = this.arnFor(name, region);
    if (this.trails.has(arn))
      throw new CloudTrailError(
        "TrailAlreadyExistsException",
        `Trail ${name} already exists for customer: ${CLOUDTRAIL_ACCOUNT}`,
      );
    const bucket = text(input, "S3BucketName");
    if (!bucket) throw new CloudTrailError("InvalidS3BucketNameException", "S3 bucket name can't be empty.");
    const trail: LocalTrail = {
      name,
      arn,
      homeRegion: region,
      s3BucketName: bucket,
      ...(text(input, "S3KeyPrefix") ? { s3KeyPrefix: text(input, "S3KeyPrefix") } : {}),
      // A new trail does not log until StartLogging.
      isLogging: false,
      logFileValidationEnabled: flag(input, "EnableLogFileValidation") ?? false,
      isMultiRegionTrail: flag(input, "IsMultiRegionTrail") ?? false,
      includeGlobalServiceEvents: flag(input, "IncludeGlobalServiceEvents") ?? true,
      tags: new Map(),
      eventSelectors: DEFAULT_SELECTORS,
    };
    this.setKey(trail, text(input, "KmsKeyId"), region);
    this.checkCombination(trail);
    for (const tag of tagsOf(input)) trail.tags.set(tag.key, tag.value);
    this.trails.set(arn, trail);
    return trail;
  }

  /** Only the fields the request names change; the result must still be a combination CloudTrail accepts. */
  private update(trail: LocalTrail, input: Input): LocalTrail {
    const next: LocalTrail = { ...trail };
    const bucket = text(input, "S3BucketName");
    if (bucket !== undefined) {
      if (!bucket)
        throw new CloudTrailError("InvalidS3BucketNameException", "S3 bucket name can't be empty.");
      next.s3BucketName = bucket;
    }
    next.logFileValidationEnabled = flag(input, "EnableLogFileValidation") ?? trail.logFileValidationEnabled;
    next.isMultiRegionTrail = flag(input, "IsMultiRegionTrail") ?? trail.isMultiRegionTrail;
    next.includeGlobalServiceEvents =
      flag(input, "IncludeGlobalServiceEvents") ?? trail.includeGlobalServiceEvents;
    this.setKey(next, text(input, "KmsKeyId"), trail.homeRegion);
    this.checkCombination(next);
    Object.assign(trail, next);
    // Object.assign copies what `next` has, not what it lost: a removed key must go from the trail too.
    if (next.kmsKeyId === undefined) delete trail.kmsKeyId;
    return trail;
  }

  /** `KmsKeyId`: a key id, alias or ARN is stored as an ARN; "" removes encryption; absent leaves it. */
  private setKey(trail: LocalTrail, keyId: string | undefined, region: string): void {
    if (keyId === undefined) return;
    if (keyId === "") {
      delete trail.kmsKeyId;
      return;
    }
    if (!/^[A-Za-z0-9:/_-]{1,2048}$/.test(keyId))
      throw new CloudTrailError("InvalidKmsKeyIdException", `KMS key ${keyId} is not valid.`);
    trail.kmsKeyId = keyId.startsWith("arn:")
      ? keyId
      : `arn:aws:kms:${region}:${CLOUDTRAIL_ACCOUNT}:${keyId.startsWith("alias/") ? keyId : `key/${keyId}`}`;
  }

  private checkCombination(trail: LocalTrail): void {
    if (trail.isMultiRegionTrail && !trail.includeGlobalServiceEvents)
      throw new CloudTrailError(
        "InvalidParameterCombinationException",
        "Multi-Region trail must include global service events.",
      );
  }

  private status(trail: LocalTrail): Input {
    return {
      IsLogging: trail.isLogging,
      ...(trail.startLoggingTime !== undefined
        ? {
            StartLoggingTime: trail.startLoggingTime,
            TimeLoggingStarted: new Date(trail.startLoggingTime * 1000).toISOString(),
          }
        : {}),
      ...(trail.stopLoggingTime !== undefined
        ? {
            StopLoggingTime: trail.stopLoggingTime,
            TimeLoggingStopped: new Date(trail.stopLoggingTime * 1000).toISOString(),
          }
        : {}),
    };
  }

  /** `trailNameList` (names or ARNs) and `includeShadowTrails` (default true) are camelCase in this API. */
  private describe(input: Input, region: string): Input {
    const shadows = flag(input, "includeShadowTrails") ?? true;
    const visible = [...this.trails.values()].filter(
      (t) => t.homeRegion === region || (shadows && t.isMultiRegionTrail),
    );
    const wanted = Array.isArray(input.trailNameList) ? input.trailNameList.map(String) : [];
    const listed = wanted.length
      ? visible.filter((t) => wanted.includes(t.arn) || wanted.includes(t.name))
      : visible;
    return { trailList: listed.map(trailDescription) };
  }

  /** Tags are read by ARN only; a trail that doesn't exist is CloudTrail's ResourceNotFoundException. */
  private byResourceArn(arn: string | undefined): LocalTrail {
    if (!arn || !TRAIL_ARN.test(arn))
      throw new CloudTrailError("CloudTrailARNInvalidException", `${arn ?? ""} is not a valid trail ARN.`);
    const trail = this.trails.get(arn);
    if (!trail) throw new CloudTrailError("ResourceNotFoundException", `Resource not found: ${arn}`);
    return trail;
  }

  private listTags(input: Input, region: string): Input {
    const ids = Array.isArray(input.ResourceIdList) ? input.ResourceIdList.map(String) : [];
    if (ids.length > 20)
      throw new CloudTrailError("InvalidParameterException", "ResourceIdList has a limit of 20 ARNs.");
    return {
      ResourceTagList: ids.map((id) => {
        const trail = this.byResourceArn(id);
        if (TRAIL_ARN.exec(id)?.[1] !== region && !trail.isMultiRegionTrail)
          throw new CloudTrailError("ResourceNotFoundException", `Resource not found: ${id}`);
        return { ResourceId: id, TagsList: [...trail.tags].map(([Key, Value]) => ({ Key, Value })) };
      }),
    };
  }

  private changeTags(add: boolean, input: Input, region: string): void {
    const trail = this.byResourceArn(text(input, "ResourceId"));
    if (trail.homeRegion !== region)
      throw new CloudTrailError(
        "InvalidHomeRegionException",
        "Tags must be changed in the trail's home Region.",
      );
    for (const { key, value } of tagsOf(input)) {
      if (add) trail.tags.set(key, value);
      else trail.tags.delete(key);
    }
    if (trail.tags.size > 50)
      throw new CloudTrailError(
        "TagsLimitExceededException",
        "The number of tags per trail has exceeded the permitted amount (50).",
      );
  }
}

/** GetEventSelectors' and PutEventSelectors' answer: the trail's ARN and its one kind of selectors. */
function selectorsOutput(trail: LocalTrail): Input {
  return trail.advancedEventSelectors
    ? { TrailARN: trail.arn, AdvancedEventSelectors: trail.advancedEventSelectors }
    : { TrailARN: trail.arn, EventSelectors: trail.eventSelectors ?? [] };
}

/** `TagsList: [{ Key, Value }]`; a key must be 1-128 characters, a value at most 256. */
function tagsOf(input: Input): { key: string; value: string }[] {
  const list = Array.isArray(input.TagsList) ? (input.TagsList as Input[]) : [];
  return list.map((tag) => {
    const key = text(tag, "Key");
    const value = text(tag, "Value") ?? "";
    if (!key || key.length > 128 || value.length > 256)
      throw new CloudTrailError("InvalidTagParameterException", `Tag ${key ?? ""} is not valid.`);
    return { key, value };
  });
}

/** Scalar request fields, and string lists joined with commas, for the request log. */
function paramsOf(input: Input): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (["string", "number", "boolean"].includes(typeof value)) params[key] = String(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === "string")) params[key] = value.join(",");
  }
  return params;
}

export const createCloudTrailDouble = (): ServiceDouble => new CloudTrailDouble();
