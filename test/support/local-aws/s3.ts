import type { DoubleRequest, DoubleResponse, ServiceDouble } from "./double";
import { AwsError, el, raw } from "./query";
import { S3_CONTROL_PATH_PREFIX, S3ControlDouble } from "./s3-control";

/**
 * S3 buckets in memory, in S3's REST-XML protocol: only the bucket settings Vigil reads and writes
 * (default encryption, Block Public Access, policy, tags) plus CreateBucket to seed them. The SDK
 * addresses an IP endpoint path-style: `PUT /<bucket>?encryption`. S3 Control signs as `s3` too; its
 * paths start with `/v20180820/` and are handed to the S3 Control model (s3-control.ts).
 */

const NS = "http://s3.amazonaws.com/doc/2006-03-01/";
const ALGORITHMS = new Set(["AES256", "aws:kms", "aws:kms:dsse"]);

export interface S3EncryptionRule {
  SSEAlgorithm: string;
  KMSMasterKeyID?: string;
  BucketKeyEnabled?: boolean;
}

export interface S3PublicAccessBlock {
  BlockPublicAcls: boolean;
  IgnorePublicAcls: boolean;
  BlockPublicPolicy: boolean;
  RestrictPublicBuckets: boolean;
}

export interface S3BucketRecord {
  name: string;
  /** The bucket's Region: S3 answers its settings only there (elsewhere: 301 PermanentRedirect). */
  region: string;
  creationDate: string;
  encryption: S3EncryptionRule[];
  publicAccessBlock: S3PublicAccessBlock | null;
  policy: string | null;
  tags: Record<string, string>;
}

const FLAGS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

const settings = (value: (flag: (typeof FLAGS)[number]) => boolean): S3PublicAccessBlock => ({
  BlockPublicAcls: value("BlockPublicAcls"),
  IgnorePublicAcls: value("IgnorePublicAcls"),
  BlockPublicPolicy: value("BlockPublicPolicy"),
  RestrictPublicBuckets: value("RestrictPublicBuckets"),
});

/** What S3 gives a bucket since 2023: SSE-S3, and all four Block Public Access settings on. */
function newBucket(name: string, region = "us-east-1"): S3BucketRecord {
  return {
    name,
    region,
    creationDate: new Date().toISOString(),
    encryption: [{ SSEAlgorithm: "AES256", BucketKeyEnabled: false }],
    publicAccessBlock: settings(() => true),
    policy: null,
    tags: {},
  };
}

/** The API operation behind each method and subresource, for the request log. */
const OPERATIONS: Record<string, string> = {
  "PUT ": "CreateBucket",
  "GET location": "GetBucketLocation",
  "GET encryption": "GetBucketEncryption",
  "PUT encryption": "PutBucketEncryption",
  "DELETE encryption": "DeleteBucketEncryption",
  "GET publicAccessBlock": "GetPublicAccessBlock",
  "PUT publicAccessBlock": "PutPublicAccessBlock",
  "DELETE publicAccessBlock": "DeletePublicAccessBlock",
  "GET policy": "GetBucketPolicy",
  "PUT policy": "PutBucketPolicy",
  "DELETE policy": "DeleteBucketPolicy",
  "GET tagging": "GetBucketTagging",
  "PUT tagging": "PutBucketTagging",
};

function unescapeXml(text: string): string {
  return text.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, e: string) => ({ lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" })[e] ?? "",
  );
}

/** The text of each `<name>…</name>` in `xml` (bodies here are small and flat). */
function texts(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, "g"))].map((m) =>
    unescapeXml(m[1] ?? ""),
  );
}
const text = (xml: string, name: string) => texts(xml, name)[0];

function malformed(): AwsError {
  return new AwsError(
    "MalformedXML",
    "The XML you provided was not well-formed or did not validate against our published schema",
  );
}

function bool(value: string | undefined): boolean {
  if (value === undefined) return false;
  if (value !== "true" && value !== "false") throw malformed();
  return value === "true";
}

/** A statement S3's Block Public Access would call public: Allow to `*` with no condition at all. */
function isPublicPolicy(policy: unknown): boolean {
  const statements = (policy as { Statement?: unknown }).Statement;
  const list = Array.isArray(statements) ? statements : [statements];
  return list.some((s) => {
    const st = s as { Effect?: unknown; Principal?: unknown; Condition?: unknown };
    const principal = st.Principal;
    const anyone =
      principal === "*" ||
      (typeof principal === "object" && principal !== null && (principal as { AWS?: unknown }).AWS === "*");
    return st.Effect === "Allow" && anyone && st.Condition === undefined;
  });
}

interface Answer {
  action: string;
  status?: number;
  body?: string;
  contentType?: string;
  params?: Record<string, string>;
}

export class S3Double implements ServiceDouble {
  readonly signingName = "s3";
  readonly buckets = new Map<string, S3BucketRecord>();
  /** The account-level Block Public Access (S3 Control), reached through the same signing name. */
  readonly control = new S3ControlDouble();
  /** Whether ListBuckets names each bucket's Region (`BucketRegion`), as S3 does today; off to play older answers. */
  listsBucketRegion = true;

  bucket(name: string): S3BucketRecord {
    const found = this.buckets.get(name);
    if (!found) throw new Error(`local S3 has no bucket ${name}`);
    return found;
  }

  handle(request: DoubleRequest): DoubleResponse {
    const url = new URL(request.url, "http://local");
    // S3 Control signs as `s3` too; its account-level requests go to its own model.
    if (url.pathname.startsWith(S3_CONTROL_PATH_PREFIX)) return this.control.handle(request);
    const name = decodeURIComponent(url.pathname.split("/")[1] ?? "");
    if (!name && request.method === "GET") return this.listBuckets(url, request);
    const sub =
      ["encryption", "publicAccessBlock", "policy", "tagging", "location"].find((s) =>
        url.searchParams.has(s),
      ) ?? "";
    const action = `${request.method} ${sub}`;
    try {
      const answer = this.route(action, name, request.body.toString("utf8"), request.region);
      const status = answer.status ?? 200;
      return {
        action: answer.action,
        status,
        body: answer.body ?? "",
        headers: { "content-type": answer.contentType ?? "application/xml" },
        params: { Bucket: name, ...answer.params, ...this.owner(request) },
      };
    } catch (error) {
      const aws = error instanceof AwsError ? error : new AwsError("InternalError", String(error), 500);
      return this.error(aws, OPERATIONS[action] ?? action.trim(), request.requestId, name);
    }
  }

  private owner(request: DoubleRequest): Record<string, string> {
    const owner = request.headers["x-amz-expected-bucket-owner"];
    return typeof owner === "string" ? { ExpectedBucketOwner: owner } : {};
  }

  private route(action: string, name: string, body: string, region: string): Answer {
    if (action === "PUT ") return this.createBucket(name, text(body, "LocationConstraint"));
    const bucket = this.buckets.get(name);
    if (!bucket) throw new AwsError("NoSuchBucket", "The specified bucket does not exist", 404);
    if (action === "GET location") {
      // us-east-1 answers an empty constraint; any Region's endpoint may be asked.
      const constraint = bucket.region === "us-east-1" ? "" : bucket.region;
      return {
        action: "GetBucketLocation",
        body: `<LocationConstraint xmlns="${NS}">${constraint}</LocationConstraint>`,
      };
    }
    if (region !== bucket.region)
      throw new AwsError(
        "PermanentRedirect",
        "The bucket you are attempting to access must be addressed using the specified endpoint.",
        301,
      );
    switch (action) {
      case "GET encryption":
        return { action: "GetBucketEncryption", body: this.encryptionXml(bucket) };
      case "PUT encryption":
        return this.putEncryption(bucket, body);
      case "DELETE encryption":
        // Since 2023 a bucket without a configuration is encrypted with SSE-S3, and says so.
        bucket.encryption = newBucket(name).encryption;
        return { action: "DeleteBucketEncryption", status: 204 };
      case "GET publicAccessBlock":
        if (!bucket.publicAccessBlock)
          throw new AwsError(
            "NoSuchPublicAccessBlockConfiguration",
            "The public access block configuration was not found",
            404,
          );
        return {
          action: "GetPublicAccessBlock",
          body: `<PublicAccessBlockConfiguration xmlns="${NS}">${FLAGS.map((f) => el(f, bucket.publicAccessBlock?.[f])).join("")}</PublicAccessBlockConfiguration>`,
        };
      case "PUT publicAccessBlock": {
        const put = settings((f) => bool(text(body, f)));
        bucket.publicAccessBlock = put;
        return {
          action: "PutPublicAccessBlock",
          params: Object.fromEntries(FLAGS.map((f) => [f, String(put[f])])),
        };
      }
      case "DELETE publicAccessBlock":
        bucket.publicAccessBlock = null;
        return { action: "DeletePublicAccessBlock", status: 204 };
      case "GET policy":
        if (!bucket.policy) throw new AwsError("NoSuchBucketPolicy", "The bucket policy does not exist", 404);
        return { action: "GetBucketPolicy", body: bucket.policy, contentType: "application/json" };
      case "PUT policy":
        return this.putPolicy(bucket, body);
      case "DELETE policy":
        bucket.policy = null;
        return { action: "DeleteBucketPolicy", status: 204 };
      case "GET tagging": {
        const tags = Object.entries(bucket.tags);
        if (!tags.length) throw new AwsError("NoSuchTagSet", "The TagSet does not exist", 404);
        const set = tags.map(([k, v]) => raw("Tag", el("Key", k) + el("Value", v))).join("");
        return { action: "GetBucketTagging", body: `<Tagging xmlns="${NS}">${raw("TagSet", set)}</Tagging>` };
      }
      case "PUT tagging": {
        const tags = texts(body, "Tag").map(
          (tag) => [text(tag, "Key") ?? "", text(tag, "Value") ?? ""] as const,
        );
        if (tags.some(([k]) => !k)) throw malformed();
        bucket.tags = Object.fromEntries(tags);
        return { action: "PutBucketTagging", params: { Tags: tags.map(([k, v]) => `${k}=${v}`).join(",") } };
      }
      default:
        throw new AwsError(
          "NotImplemented",
          `local S3 does not implement ${action.trim() || "this request"}`,
          501,
        );
    }
  }

  /**
   * ListBuckets: every bucket by name, `max-buckets` at a time (all of them when not given, as S3
   * does); the continuation token is the last name of the page before.
   */
  private listBuckets(url: URL, request: DoubleRequest): DoubleResponse {
    const max = url.searchParams.get("max-buckets");
    const after = url.searchParams.get("continuation-token");
    const all = [...this.buckets.values()].sort((a, b) => a.name.localeCompare(b.name));
    const rest = after ? all.filter((b) => b.name > after) : all;
    const limit = max === null ? rest.length : Number(max);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      return this.error(
        new AwsError("InvalidArgument", "max-buckets must be between 1 and 10000"),
        "ListBuckets",
        request.requestId,
      );
    const page = rest.slice(0, limit);
    const last = page.at(-1);
    const buckets = page
      .map((b) =>
        raw(
          "Bucket",
          el("Name", b.name) +
            el("CreationDate", b.creationDate) +
            (this.listsBucketRegion ? el("BucketRegion", b.region) : ""),
        ),
      )
      .join("");
    const more = last && rest.length > page.length ? el("ContinuationToken", last.name) : "";
    return {
      action: "ListBuckets",
      status: 200,
      body: `<ListAllMyBucketsResult xmlns="${NS}">${raw("Buckets", buckets)}${raw("Owner", el("ID", "local-owner"))}${more}</ListAllMyBucketsResult>`,
      headers: { "content-type": "application/xml" },
      params: {
        ...(max !== null ? { MaxBuckets: max } : {}),
        ...(after !== null ? { ContinuationToken: after } : {}),
      },
    };
  }

  private createBucket(name: string, locationConstraint?: string): Answer {
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name))
      throw new AwsError("InvalidBucketName", "The specified bucket is not valid.");
    if (this.buckets.has(name))
      throw new AwsError(
        "BucketAlreadyOwnedByYou",
        "Your previous request to create the named bucket succeeded and you already own it.",
        409,
      );
    this.buckets.set(name, newBucket(name, locationConstraint || "us-east-1"));
    return { action: "CreateBucket" };
  }

  private encryptionXml(bucket: S3BucketRecord): string {
    const rules = bucket.encryption
      .map((r) =>
        raw(
          "Rule",
          raw(
            "ApplyServerSideEncryptionByDefault",
            el("SSEAlgorithm", r.SSEAlgorithm) + el("KMSMasterKeyID", r.KMSMasterKeyID),
          ) + el("BucketKeyEnabled", r.BucketKeyEnabled ?? false),
        ),
      )
      .join("");
    return `<ServerSideEncryptionConfiguration xmlns="${NS}">${rules}</ServerSideEncryptionConfiguration>`;
  }

  private putEncryption(bucket: S3BucketRecord, body: string): Answer {
    const rules = texts(body, "Rule").map((rule): S3EncryptionRule => {
      const algorithm = text(rule, "SSEAlgorithm");
      if (!algorithm || !ALGORITHMS.has(algorithm)) throw malformed();
      const key = text(rule, "KMSMasterKeyID");
      if (key && algorithm === "AES256")
        throw new AwsError(
          "InvalidArgument",
          "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
        );
      return {
        SSEAlgorithm: algorithm,
        ...(key ? { KMSMasterKeyID: key } : {}),
        BucketKeyEnabled: bool(text(rule, "BucketKeyEnabled")),
      };
    });
    if (rules.length !== 1) throw malformed();
    bucket.encryption = rules;
    const [rule] = rules;
    return {
      action: "PutBucketEncryption",
      params: {
        SSEAlgorithm: rule?.SSEAlgorithm ?? "",
        ...(rule?.KMSMasterKeyID ? { KMSMasterKeyID: rule.KMSMasterKeyID } : {}),
        BucketKeyEnabled: String(rule?.BucketKeyEnabled ?? false),
      },
    };
  }

  private putPolicy(bucket: S3BucketRecord, body: string): Answer {
    let policy: unknown;
    try {
      policy = JSON.parse(body);
    } catch {
      policy = undefined;
    }
    if (!body.startsWith("{") || typeof policy !== "object" || policy === null)
      throw new AwsError("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'");
    if (bucket.publicAccessBlock?.BlockPublicPolicy && isPublicPolicy(policy))
      throw new AwsError(
        "AccessDenied",
        "User is not authorized to put a public bucket policy: Block Public Access is on",
        403,
      );
    bucket.policy = body;
    return { action: "PutBucketPolicy", status: 204, params: { Policy: body } };
  }

  /** S3's error body: `<Error><Code/><Message/><RequestId/></Error>`. */
  private error(error: AwsError, action: string, requestId: string, bucket?: string): DoubleResponse {
    const detail =
      el("Code", error.code) +
      el("Message", error.message) +
      el("BucketName", bucket || undefined) +
      el("RequestId", requestId);
    return {
      action,
      status: error.status,
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${detail}</Error>`,
      headers: { "content-type": "application/xml" },
      ...(bucket ? { params: { Bucket: bucket, Error: error.code } } : { params: { Error: error.code } }),
    };
  }
}

export const createS3Double = (): S3Double => new S3Double();
