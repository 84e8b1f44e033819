import { randomBytes } from "node:crypto";
import { type DoubleRequest, type DoubleResponse, type ServiceDouble, jsonError, jsonOutput } from "./double";

/**
 * AWS Config in memory, in the JSON 1.1 protocol the SDK speaks (`X-Amz-Target:
 * StarlingDoveService.<Op>`, signing name `config`): the Region's configuration recorder and
 * delivery channel (put, describe, start, stop, delete, tags) with Config's error codes and rules,
 * and GetResourceConfigHistory, which answers an empty history unless a test seeded items
 * (the config-change pipeline reads it for oversized notifications).
 */

const CONTENT_TYPE = "application/x-amz-json-1.1";
/** The account resources belong to: the one the project's sample events name. */
export const CONFIG_ACCOUNT = "111122223333";

export interface LocalRecorder {
  name: string;
  arn: string;
  roleARN?: string;
  recordingGroup?: unknown;
  recordingMode?: unknown;
  recording: boolean;
  lastStartTime?: number;
  lastStopTime?: number;
  tags: Map<string, string>;
}

export interface LocalDeliveryChannel {
  name: string;
  s3BucketName?: string;
  snsTopicARN?: string;
}

/** A configuration item as GetResourceConfigHistory answers it (times in epoch seconds). */
export interface LocalConfigItem {
  resourceType: string;
  resourceId: string;
  configurationItemCaptureTime: number;
  configurationItemStatus: string;
  /** A JSON string, as Config answers it. */
  configuration: string;
  awsRegion?: string;
  accountId?: string;
  arn?: string;
}

class ConfigError extends Error {
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
const object = (input: Input, field: string): Input =>
  input[field] && typeof input[field] === "object" ? (input[field] as Input) : {};
const names = (input: Input, field: string): string[] | undefined =>
  Array.isArray(input[field]) ? (input[field] as unknown[]).map(String) : undefined;
const now = () => Math.floor(Date.now() / 1000);

interface RegionState {
  recorder?: LocalRecorder;
  channel?: LocalDeliveryChannel;
}

export class ConfigServiceDouble implements ServiceDouble {
  readonly signingName = "config";
  private readonly regions = new Map<string, RegionState>();
  private readonly history: LocalConfigItem[] = [];
  /** Actions answered with AccessDeniedException, to play a role that lacks them. */
  private readonly denied = new Set<string>();

  /** Answers `actions` with AccessDeniedException from now on (none again with `deny()`). */
  deny(...actions: string[]): void {
    this.denied.clear();
    for (const action of actions) this.denied.add(action);
  }

  /** The Region's recorder as it is now, for tests to inspect; undefined when there is none. */
  recorder(region = "us-east-1"): LocalRecorder | undefined {
    return this.regions.get(region)?.recorder;
  }

  /** The Region's delivery channel, for tests to inspect; undefined when there is none. */
  deliveryChannel(region = "us-east-1"): LocalDeliveryChannel | undefined {
    return this.regions.get(region)?.channel;
  }

  /** Adds a configuration item GetResourceConfigHistory will answer (the API has no write for it). */
  seedHistory(item: LocalConfigItem): void {
    this.history.push(item);
  }

  handle(request: DoubleRequest): DoubleResponse {
    const prefix = "StarlingDoveService.";
    const action = request.target.startsWith(prefix) ? request.target.slice(prefix.length) : request.target;
    let input: Input = {};
    try {
      const parsed: unknown = JSON.parse(request.body.toString("utf8") || "{}");
      if (parsed && typeof parsed === "object") input = parsed as Input;
    } catch {
      return this.error(action, {}, new ConfigError("SerializationException", "request body is not JSON"));
    }
    const params = paramsOf(input);
    try {
      if (this.denied.has(action))
        throw new ConfigError("AccessDeniedException", `User is not authorized to perform: config:${action}`);
      const body = this.dispatch(action, input, request.region);
      return jsonOutput(action, params, CONTENT_TYPE, body);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return this.error(action, params, error);
    }
  }

  private error(action: string, params: Record<string, string>, error: ConfigError): DoubleResponse {
    return jsonError(action, params, CONTENT_TYPE, { type: error.code, message: error.message });
  }

  private region(region: string): RegionState {
    let state = this.regions.get(region);
    if (!state) {
      state = {};
      this.regions.set(region, state);
    }
    return state;
  }

  /** The named recorder, or Config's error for a name that isn't the Region's recorder. */
  private named(state: RegionState, name: string | undefined): LocalRecorder {
    if (!name || state.recorder?.name !== name) {
      throw new ConfigError(
        "NoSuchConfigurationRecorderException",
        `Cannot find configuration recorder with the specified name '${name ?? ""}'.`,
      );
    }
    return state.recorder;
  }

  private dispatch(action: string, input: Input, region: string): unknown {
    const state = this.region(region);
    switch (action) {
      case "PutConfigurationRecorder": {
        const spec = object(input, "ConfigurationRecorder");
        const name = text(spec, "name") ?? "default";
        if (name.startsWith("AWSConfigurationRecorderFor"))
          throw new ConfigError("InvalidConfigurationRecorderNameException", "The name prefix is reserved.");
        if (state.recorder && state.recorder.name !== name)
          throw new ConfigError(
            "MaxNumberOfConfigurationRecordersExceededException",
            "Failed to put configuration recorder because you have reached the limit for the maximum number of customer managed configuration records: (1)",
          );
        const existing = state.recorder;
        const id = randomBytes(8).toString("hex");
        state.recorder = {
          name,
          arn:
            existing?.arn ??
            `arn:aws:config:${region}:${CONFIG_ACCOUNT}:configuration-recorder/${name}/${id}`,
          roleARN: text(spec, "roleARN") ?? existing?.roleARN,
          recordingGroup: spec.recordingGroup ?? existing?.recordingGroup,
          recordingMode: spec.recordingMode ?? existing?.recordingMode,
          recording: existing?.recording ?? false,
          lastStartTime: existing?.lastStartTime,
          lastStopTime: existing?.lastStopTime,
          tags: existing?.tags ?? new Map(),
        };
        for (const tag of Array.isArray(input.Tags) ? (input.Tags as Input[]) : [])
          if (typeof tag.Key === "string") state.recorder.tags.set(tag.Key, String(tag.Value ?? ""));
        return {};
      }
      case "DescribeConfigurationRecorders": {
        const wanted = names(input, "ConfigurationRecorderNames");
        if (wanted?.length) wanted.forEach((name) => this.named(state, name));
        const r = state.recorder;
        return {
          ConfigurationRecorders: r
            ? [
                {
                  arn: r.arn,
                  name: r.name,
                  roleARN: r.roleARN,
                  recordingGroup: r.recordingGroup,
                  recordingMode: r.recordingMode,
                  recordingScope: "PAID",
                },
              ]
            : [],
        };
      }
      case "DescribeConfigurationRecorderStatus": {
        const wanted = names(input, "ConfigurationRecorderNames");
        if (wanted?.length) wanted.forEach((name) => this.named(state, name));
        const r = state.recorder;
        return {
          ConfigurationRecordersStatus: r
            ? [
                {
                  arn: r.arn,
                  name: r.name,
                  recording: r.recording,
                  lastStatus: r.recording ? "Success" : "Pending",
                  ...(r.lastStartTime ? { lastStartTime: r.lastStartTime } : {}),
                  ...(r.lastStopTime ? { lastStopTime: r.lastStopTime } : {}),
                },
              ]
            : [],
        };
      }
      case "StartConfigurationRecorder": {
        const recorder = this.named(state, text(input, "ConfigurationRecorderName"));
        if (!state.channel)
          throw new ConfigError(
            "NoAvailableDeliveryChannelException",
            "Delivery channel is not available to start configuration recorder.",
          );
        recorder.recording = true;
        recorder.lastStartTime = now();
        return {};
      }
      case "StopConfigurationRecorder": {
        const recorder = this.named(state, text(input, "ConfigurationRecorderName"));
        recorder.recording = false;
        recorder.lastStopTime = now();
        return {};
      }
      case "DeleteConfigurationRecorder": {
        this.named(state, text(input, "ConfigurationRecorderName"));
        state.recorder = undefined;
        return {};
      }
      case "PutDeliveryChannel": {
        const spec = object(input, "DeliveryChannel");
        if (!state.recorder)
          throw new ConfigError(
            "NoAvailableConfigurationRecorderException",
            "Configuration recorder is not available to put delivery channel.",
          );
        if (!text(spec, "s3BucketName"))
          throw new ConfigError(
            "NoSuchBucketException",
            "Cannot find a S3 bucket with an empty bucket name.",
          );
        state.channel = {
          name: text(spec, "name") ?? "default",
          s3BucketName: text(spec, "s3BucketName"),
          snsTopicARN: text(spec, "snsTopicARN"),
        };
        return {};
      }
      case "DescribeDeliveryChannels":
        return { DeliveryChannels: state.channel ? [{ ...state.channel }] : [] };
      case "DeleteDeliveryChannel": {
        const name = text(input, "DeliveryChannelName");
        if (!state.channel || state.channel.name !== name)
          throw new ConfigError(
            "NoSuchDeliveryChannelException",
            `Cannot find delivery channel with specified name '${name ?? ""}'.`,
          );
        if (state.recorder?.recording)
          throw new ConfigError(
            "LastDeliveryChannelDeleteFailedException",
            `Failed to delete last specified delivery channel with name '${name}', because there is a running configuration recorder.`,
          );
        state.channel = undefined;
        return {};
      }
      case "TagResource":
      case "ListTagsForResource": {
        const arn = text(input, "ResourceArn");
        const recorder = [...this.regions.values()].map((s) => s.recorder).find((r) => r?.arn === arn);
        if (!recorder)
          throw new ConfigError("ResourceNotFoundException", `The resource ${arn ?? ""} could not be found.`);
        if (action === "TagResource") {
          for (const tag of Array.isArray(input.Tags) ? (input.Tags as Input[]) : [])
            if (typeof tag.Key === "string") recorder.tags.set(tag.Key, String(tag.Value ?? ""));
          return {};
        }
        return { Tags: [...recorder.tags].map(([Key, Value]) => ({ Key, Value })) };
      }
      case "GetResourceConfigHistory":
        return { configurationItems: this.historyFor(input) };
      default:
        throw new ConfigError("UnknownOperationException", `${action} is not supported by this double`);
    }
  }

  /** Newest first (Config's default order), within [earlierTime, laterTime], at most `limit` (default 10). */
  private historyFor(input: Input): LocalConfigItem[] {
    const later = typeof input.laterTime === "number" ? input.laterTime : Infinity;
    const earlier = typeof input.earlierTime === "number" ? input.earlierTime : -Infinity;
    const limit = typeof input.limit === "number" && input.limit > 0 ? input.limit : 10;
    return this.history
      .filter(
        (item) =>
          item.resourceType === input.resourceType &&
          item.resourceId === input.resourceId &&
          item.configurationItemCaptureTime <= later &&
          item.configurationItemCaptureTime >= earlier,
      )
      .sort((a, b) => b.configurationItemCaptureTime - a.configurationItemCaptureTime)
      .slice(0, limit);
  }
}

/** Scalar request fields, and the recorder/channel names inside objects, for the request log. */
function paramsOf(input: Input): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of Object.entries(input)) {
    if (["string", "number", "boolean"].includes(typeof value)) params[key] = String(value);
    else if (Array.isArray(value) && value.every((v) => typeof v === "string")) params[key] = value.join(",");
  }
  return params;
}

export function createConfigServiceDouble(): ConfigServiceDouble {
  return new ConfigServiceDouble();
}
