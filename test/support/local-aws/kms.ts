import { randomBytes, randomUUID } from "node:crypto";
import { type DoubleRequest, type DoubleResponse, type ServiceDouble, jsonError, jsonOutput } from "./double";

/**
 * KMS keys in memory, in the JSON 1.1 protocol the SDK speaks (`X-Amz-Target: TrentService.<Op>`,
 * signing name `kms`). Only what Vigil and its tests use: creating, describing, scheduling and
 * cancelling deletion, enabling, rotation and tags, with KMS's error codes and key-state rules.
 */

const CONTENT_TYPE = "application/x-amz-json-1.1";
/** The account keys belong to: the one the project's sample events name. */
export const KMS_ACCOUNT = "111122223333";
const DAY_SECONDS = 86_400;
const KEY_ARN = /^arn:aws:kms:([a-z0-9-]+):(\d{12}):key\/(.+)$/;

export interface KmsKey {
  keyId: string;
  arn: string;
  region: string;
  description: string;
  keyUsage: string;
  keySpec: string;
  origin: string;
  keyManager: "CUSTOMER" | "AWS";
  keyState: string;
  multiRegion: boolean;
  creationDate: number;
  rotationEnabled: boolean;
  rotationPeriodInDays?: number;
  deletionDate?: number;
  pendingWindowInDays?: number;
  tags: Map<string, string>;
}

class KmsError extends Error {
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
const integer = (input: Input, field: string): number | undefined =>
  typeof input[field] === "number" && Number.isInteger(input[field]) ? input[field] : undefined;

function metadata(key: KmsKey): Record<string, unknown> {
  const symmetric = key.keySpec === "SYMMETRIC_DEFAULT";
  return {
    AWSAccountId: KMS_ACCOUNT,
    KeyId: key.keyId,
    Arn: key.arn,
    CreationDate: key.creationDate,
    Enabled: key.keyState === "Enabled",
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.keyState,
    Origin: key.origin,
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...(symmetric ? { EncryptionAlgorithms: ["SYMMETRIC_DEFAULT"] } : {}),
    MultiRegion: key.multiRegion,
    ...(key.multiRegion ? { MultiRegionConfiguration: { MultiRegionKeyType: "PRIMARY" } } : {}),
    ...(key.deletionDate !== undefined
      ? { DeletionDate: key.deletionDate, PendingDeletionWindowInDays: key.pendingWindowInDays }
      : {}),
  };
}

export class KmsDouble implements ServiceDouble {
  readonly signingName = "kms";
  private readonly keys = new Map<string, KmsKey>();

  /** A copy of the key, for tests to inspect; undefined when there is none. */
  key(keyId: string): KmsKey | undefined {
    const key = this.keys.get(keyId);
    return key ? { ...key, tags: new Map(key.tags) } : undefined;
  }

  handle(request: DoubleRequest): DoubleResponse {
    const action = request.target.startsWith("TrentService.") ? request.target.slice(13) : request.target;
    let input: Input = {};
    try {
      const parsed: unknown = JSON.parse(request.body.toString("utf8") || "{}");
      if (parsed && typeof parsed === "object") input = parsed as Input;
    } catch {
      return this.error(action, {}, new KmsError("SerializationException", "request body is not JSON"));
    }
    const params = Object.fromEntries(
      Object.entries(input)
        .filter(([, v]) => ["string", "number", "boolean"].includes(typeof v))
        .map(([k, v]) => [k, String(v)]),
    );
    try {
      const body = this.dispatch(action, input, request.region);
      return jsonOutput(action, params, CONTENT_TYPE, body);
    } catch (error) {
      if (!(error instanceof KmsError)) throw error;
      return this.error(action, params, error);
    }
  }

  private error(action: string, params: Record<string, string>, error: KmsError): DoubleResponse {
    return jsonError(action, params, CONTENT_TYPE, { type: error.code, message: error.message });
  }

  private dispatch(action: string, input: Input, region: string): Record<string, unknown> {
    switch (action) {
      case "CreateKey":
        return { KeyMetadata: metadata(this.create(input, region)) };
      case "DescribeKey":
        return { KeyMetadata: metadata(this.find(input, region)) };
      case "ScheduleKeyDeletion":
        return this.scheduleDeletion(input, region);
      case "CancelKeyDeletion":
        return this.cancelDeletion(input, region);
      case "EnableKey":
        return this.enable(input, region);
      case "EnableKeyRotation":
      case "DisableKeyRotation":
        return this.setRotation(action === "EnableKeyRotation", input, region);
      case "GetKeyRotationStatus":
        return this.rotationStatus(input, region);
      case "ListKeys":
        return this.listKeys(input, region);
      case "ListResourceTags": {
        const key = this.find(input, region);
        return { Tags: [...key.tags].map(([TagKey, TagValue]) => ({ TagKey, TagValue })), Truncated: false };
      }
      default:
        throw new KmsError("UnknownOperationException", `${action} is not supported by the local KMS`);
    }
  }

  /** The Region's keys in creation order, `Limit` (1-1000, default 100) at a time; the marker is an index. */
  private listKeys(input: Input, region: string): Record<string, unknown> {
    const limit = integer(input, "Limit") ?? 100;
    if (limit < 1 || limit > 1000)
      throw new KmsError("ValidationException", "Limit must be between 1 and 1000");
    const marker = text(input, "Marker");
    const start = marker === undefined ? 0 : Number(marker);
    const keys = [...this.keys.values()].filter((k) => k.region === region);
    if (!Number.isInteger(start) || start < 0 || start > keys.length)
      throw new KmsError(
        "InvalidMarkerException",
        "The request was rejected because the marker is not valid",
      );
    const end = start + limit;
    return {
      Keys: keys.slice(start, end).map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })),
      Truncated: end < keys.length,
      ...(end < keys.length ? { NextMarker: String(end) } : {}),
    };
  }

  /** An AWS managed key (e.g. the one behind `aws/s3`), which only an AWS service can create; for seeding. */
  addAwsManagedKey(region: string, description = "Default key that protects my S3 objects"): KmsKey {
    const keyId = randomUUID();
    const key: KmsKey = {
      keyId,
      arn: `arn:aws:kms:${region}:${KMS_ACCOUNT}:key/${keyId}`,
      region,
      description,
      keyUsage: "ENCRYPT_DECRYPT",
      keySpec: "SYMMETRIC_DEFAULT",
      origin: "AWS_KMS",
      keyManager: "AWS",
      keyState: "Enabled",
      multiRegion: false,
      creationDate: Math.floor(Date.now() / 1000),
      // KMS rotates AWS managed keys every year, and says so.
      rotationEnabled: true,
      rotationPeriodInDays: 365,
      tags: new Map(),
    };
    this.keys.set(keyId, key);
    return key;
  }

  private create(input: Input, region: string): KmsKey {
    const keySpec = text(input, "KeySpec") ?? text(input, "CustomerMasterKeySpec") ?? "SYMMETRIC_DEFAULT";
    const origin = text(input, "Origin") ?? "AWS_KMS";
    const multiRegion = input.MultiRegion === true;
    const keyId = multiRegion ? `mrk-${randomBytes(16).toString("hex")}` : randomUUID();
    const tags = Array.isArray(input.Tags) ? (input.Tags as { TagKey?: unknown; TagValue?: unknown }[]) : [];
    const key: KmsKey = {
      keyId,
      arn: `arn:aws:kms:${region}:${KMS_ACCOUNT}:key/${keyId}`,
      region,
      description: text(input, "Description") ?? "",
      keyUsage: text(input, "KeyUsage") ?? "ENCRYPT_DECRYPT",
      keySpec,
      origin,
      keyManager: "CUSTOMER",
      keyState: origin === "EXTERNAL" ? "PendingImport" : "Enabled",
      multiRegion,
      creationDate: Math.floor(Date.now() / 1000),
      rotationEnabled: false,
      tags: new Map(tags.map((t) => [String(t.TagKey), String(t.TagValue ?? "")])),
    };
    this.keys.set(keyId, key);
    return key;
  }

  /** The key a `KeyId` names (key id or key ARN, in this Region and account), as KMS resolves it. */
  private find(input: Input, region: string): KmsKey {
    const keyId = text(input, "KeyId");
    if (!keyId)
      throw new KmsError("ValidationException", "1 validation error detected: KeyId must not be null");
    const arn = KEY_ARN.exec(keyId);
    const id = arn ? arn[3] : keyId;
    const key = id ? this.keys.get(id) : undefined;
    const elsewhere = arn && (arn[1] !== region || arn[2] !== KMS_ACCOUNT);
    if (!key || elsewhere || key.region !== region)
      throw new KmsError("NotFoundException", `Key '${keyId}' does not exist`);
    return key;
  }

  private scheduleDeletion(input: Input, region: string): Record<string, unknown> {
    const key = this.find(input, region);
    if (key.keyState !== "Enabled" && key.keyState !== "Disabled")
      throw new KmsError("KMSInvalidStateException", `${key.arn} is ${key.keyState}`);
    const window = integer(input, "PendingWindowInDays") ?? 30;
    if (window < 7 || window > 30)
      throw new KmsError("ValidationException", "PendingWindowInDays must be between 7 and 30");
    key.keyState = "PendingDeletion";
    key.pendingWindowInDays = window;
    key.deletionDate = Math.floor(Date.now() / 1000) + window * DAY_SECONDS;
    return {
      KeyId: key.arn,
      DeletionDate: key.deletionDate,
      KeyState: key.keyState,
      PendingWindowInDays: window,
    };
  }

  private cancelDeletion(input: Input, region: string): Record<string, unknown> {
    const key = this.find(input, region);
    if (key.keyState !== "PendingDeletion")
      throw new KmsError(
        "KMSInvalidStateException",
        `${key.arn} is not pending deletion (it is ${key.keyState})`,
      );
    // KMS leaves a key whose deletion is cancelled Disabled.
    key.keyState = "Disabled";
    delete key.deletionDate;
    delete key.pendingWindowInDays;
    return { KeyId: key.arn };
  }

  private enable(input: Input, region: string): Record<string, unknown> {
    const key = this.find(input, region);
    if (key.keyState !== "Enabled" && key.keyState !== "Disabled")
      throw new KmsError("KMSInvalidStateException", `${key.arn} is ${key.keyState}`);
    key.keyState = "Enabled";
    return {};
  }

  /** Rotation: symmetric KMS-generated customer keys only, and only while the key is enabled. */
  private rotatable(input: Input, region: string): KmsKey {
    const key = this.find(input, region);
    if (key.keySpec !== "SYMMETRIC_DEFAULT" || key.origin !== "AWS_KMS")
      throw new KmsError("UnsupportedOperationException", `${key.arn} does not support automatic rotation`);
    return key;
  }

  private setRotation(enabled: boolean, input: Input, region: string): Record<string, unknown> {
    const key = this.rotatable(input, region);
    if (key.keyState === "Disabled") throw new KmsError("DisabledException", `${key.arn} is disabled`);
    if (key.keyState !== "Enabled")
      throw new KmsError("KMSInvalidStateException", `${key.arn} is ${key.keyState}`);
    const period = integer(input, "RotationPeriodInDays");
    if (period !== undefined && (period < 90 || period > 2560))
      throw new KmsError("ValidationException", "RotationPeriodInDays must be between 90 and 2560");
    key.rotationEnabled = enabled;
    if (enabled) key.rotationPeriodInDays = period ?? key.rotationPeriodInDays ?? 365;
    else delete key.rotationPeriodInDays;
    return {};
  }

  private rotationStatus(input: Input, region: string): Record<string, unknown> {
    const key = this.rotatable(input, region);
    return {
      KeyRotationEnabled: key.rotationEnabled,
      KeyId: key.arn,
      ...(key.rotationEnabled && key.rotationPeriodInDays !== undefined
        ? {
            RotationPeriodInDays: key.rotationPeriodInDays,
            NextRotationDate: key.creationDate + key.rotationPeriodInDays * DAY_SECONDS,
          }
        : {}),
    };
  }
}

export const createKmsDouble = (): ServiceDouble => new KmsDouble();
