import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { fileSystemRef, isFileSystemId } from "./ref";
import type { EfsFileSystemState } from "./state";

type FileSystemObservation = Observation<"AWS::EFS::FileSystem">;

const text = z.string().nullable().optional();

const createRequestSchema = z.looseObject({ encrypted: z.boolean().nullable().optional() });
/** CreateFileSystem answers with the new file system's description (camelCase `FileSystemDescription`). */
const createResponseSchema = z.looseObject({
  fileSystemId: z.string().refine(isFileSystemId, "not an EFS file-system id"),
  fileSystemArn: text,
  ownerId: text,
  encrypted: z.boolean().nullable().optional(),
  kmsKeyId: text,
});
const deleteRequestSchema = z.looseObject({
  fileSystemId: z.string().refine(isFileSystemId, "not an EFS file-system id"),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/**
 * `CreateFileSystem`: the answer says whether the new file system is encrypted (a creation token
 * that already exists fails the call, so the answer is always a new file system). When it doesn't
 * say, an `encrypted: true` request does; otherwise the file system is read live.
 */
function fromCreate(detail: CloudTrailDetail, account: string): FileSystemObservation {
  const request = parse(
    createRequestSchema,
    detail.requestParameters ?? {},
    "CreateFileSystem requestParameters",
  );
  const response = parse(createResponseSchema, detail.responseElements, "CreateFileSystem responseElements");
  const scope = { account: response.ownerId ?? account, region: detail.awsRegion };
  const resource = fileSystemRef(response.fileSystemId, scope, response.fileSystemArn ?? undefined);
  const encrypted = response.encrypted ?? (request.encrypted === true ? true : undefined);
  const state: EfsFileSystemState = {
    fileSystemId: response.fileSystemId,
    fileSystemArn: resource.arn,
    ...(encrypted !== undefined ? { encrypted } : {}),
    ...(response.kmsKeyId ? { kmsKeyId: response.kmsKeyId } : {}),
  };
  return {
    resource,
    state,
    complete: true,
    observedAt: detail.eventTime,
    tagsKnown: false,
    ...(encrypted === undefined ? { needsRefresh: true } : {}),
  };
}

export function fromFileSystemCall(detail: CloudTrailDetail, account: string): FileSystemObservation[] {
  switch (detail.eventName) {
    case "CreateFileSystem":
      return [fromCreate(detail, account)];
    case "DeleteFileSystem": {
      const { fileSystemId } = parse(
        deleteRequestSchema,
        detail.requestParameters,
        "DeleteFileSystem requestParameters",
      );
      const resource = fileSystemRef(fileSystemId, { account, region: detail.awsRegion });
      return [{ resource, state: undefined, complete: true, observedAt: detail.eventTime, tagsKnown: false }];
    }
    default:
      throw new UnusableEventError(`no EFS file-system reader for ${detail.eventName}`);
  }
}
