import type { DoubleRequest, DoubleResponse } from "./double";

/**
 * S3 Control's account-level Block Public Access in memory, in the REST-XML protocol the SDK v3
 * S3ControlClient speaks (`/v20180820/configuration/publicAccessBlock`, account in the
 * `x-amz-account-id` header and in front of the host), with S3 Control's error codes.
 *
 * Not registered as a double of its own: S3 Control signs as `s3`, the signing name the S3 bucket
 * double (s3.ts) is registered under, and s3.ts hands requests whose path starts with
 * `S3_CONTROL_PATH_PREFIX` to an instance of this class.
 * The SDK puts the account id in front of the endpoint's host, which an IP endpoint can't take
 * (`<account>.127.0.0.1` is no URL): the CLI reaches it by name through
 * `AWS_ENDPOINT_URL_S3_CONTROL=http://s3-control.localhost:<port>` (startCliHarness's `s3Control`
 * option; test/support/local-dns.ts resolves `<account>.s3-control.localhost` to 127.0.0.1).
 * The request log names the account, the Host the client addressed and, for a Put, the four settings.
 */

export const S3_CONTROL_PATH_PREFIX = "/v20180820/";
const NAMESPACE = "http://awss3control.amazonaws.com/doc/2018-08-20/";
const PATH = "/v20180820/configuration/publicAccessBlock";
const FLAGS = ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"] as const;

export type AccountFlags = Record<(typeof FLAGS)[number], boolean>;

class S3ControlError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function xml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

/** One boolean element; S3 Control rejects anything but true/false. */
function flagOf(body: string, name: string): boolean {
  const match = new RegExp(`<${name}>\\s*([^<]*?)\\s*</${name}>`).exec(body);
  if (!match) return false; // left out = off: the call replaces the whole configuration
  if (match[1] !== "true" && match[1] !== "false")
    throw new S3ControlError("MalformedXML", "The XML you provided was not well-formed", 400);
  return match[1] === "true";
}

export class S3ControlDouble {
  private readonly blocks = new Map<string, AccountFlags>();

  /** The account's configuration, for tests to inspect; undefined when it has none. */
  configuration(accountId: string): AccountFlags | undefined {
    const flags = this.blocks.get(accountId);
    return flags && { ...flags };
  }

  handle(request: DoubleRequest): DoubleResponse {
    const account = String(request.headers["x-amz-account-id"] ?? "");
    const path = request.url.split("?")[0];
    const action =
      { GET: "GetPublicAccessBlock", PUT: "PutPublicAccessBlock", DELETE: "DeletePublicAccessBlock" }[
        request.method
      ] ?? request.method;
    const params: Record<string, string> = { AccountId: account, Host: String(request.headers.host ?? "") };
    try {
      if (path !== PATH || action === request.method)
        throw new S3ControlError("MethodNotAllowed", `${request.method} ${path} is not supported`, 405);
      if (!/^\d{12}$/.test(account))
        throw new S3ControlError("InvalidRequest", "x-amz-account-id must be a 12-digit account id", 400);
      const answer = this.dispatch(action, account, request.body.toString("utf8"));
      if (action === "PutPublicAccessBlock") {
        const put = this.blocks.get(account);
        for (const f of FLAGS) params[f] = String(put?.[f]);
      }
      return { action, status: 200, params, ...answer };
    } catch (error) {
      if (!(error instanceof S3ControlError)) throw error;
      const body = xml(
        `<ErrorResponse><Error><Code>${error.code}</Code><Message>${error.message}</Message></Error>` +
          `<RequestId>${request.requestId}</RequestId><HostId>local-aws</HostId></ErrorResponse>`,
      );
      return { action, status: error.status, params, body, headers: { "content-type": "application/xml" } };
    }
  }

  private dispatch(action: string, account: string, body: string): Pick<DoubleResponse, "body" | "headers"> {
    const empty = { body: "", headers: { "content-type": "application/xml" } };
    if (action === "PutPublicAccessBlock") {
      if (!body.includes("<PublicAccessBlockConfiguration"))
        throw new S3ControlError("MissingRequestBodyError", "Request Body is empty", 400);
      const flags = Object.fromEntries(FLAGS.map((f) => [f, flagOf(body, f)])) as AccountFlags;
      this.blocks.set(account, flags);
      return empty;
    }
    if (action === "DeletePublicAccessBlock") {
      // Idempotent, like the bucket-level call: no configuration left either way.
      this.blocks.delete(account);
      return empty;
    }
    const flags = this.blocks.get(account);
    if (!flags) {
      throw new S3ControlError(
        "NoSuchPublicAccessBlockConfiguration",
        "The public access block configuration was not found",
        404,
      );
    }
    const elements = FLAGS.map((f) => `<${f}>${String(flags[f])}</${f}>`).join("");
    return {
      body: xml(
        `<PublicAccessBlockConfiguration xmlns="${NAMESPACE}">${elements}</PublicAccessBlockConfiguration>`,
      ),
      headers: { "content-type": "application/xml" },
    };
  }
}
