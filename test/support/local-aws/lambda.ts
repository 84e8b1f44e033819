import type { DoubleRequest, DoubleResponse, ServiceDouble } from "./double";

/**
 * Lambda functions in memory, in the REST-JSON protocol the SDK v3 LambdaClient speaks (signing
 * name `lambda`): CreateFunction (`POST /2015-03-31/functions`), ListFunctions (`GET
 * /2015-03-31/functions/`) and Invoke (`POST /2015-03-31/functions/<name>/invocations`, the
 * invocation type in `X-Amz-Invocation-Type`; `Event` answers 202). Invocations are recorded, not
 * run. Errors as Lambda sends them: `x-amzn-errortype` and `{"Type","message"}`.
 */

const CONTENT_TYPE = "application/json";
export const LAMBDA_ACCOUNT = "111122223333";

export interface LocalFunction {
  name: string;
  arn: string;
  role: string;
  runtime?: string;
  handler?: string;
  deadLetterTargetArn?: string;
}

export interface LocalInvocation {
  functionName: string;
  invocationType: string;
  payload: string;
}

export interface InvokeFailure {
  status: number;
  code: string;
  message: string;
}

class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Input = Record<string, unknown>;

export class LambdaDouble implements ServiceDouble {
  readonly signingName = "lambda";
  private readonly functions = new Map<string, LocalFunction>();
  /** Every accepted invocation, oldest first. */
  readonly invocations: LocalInvocation[] = [];
  private failure?: (invocation: LocalInvocation) => InvokeFailure | undefined;
  /** Functions per ListFunctions page when the request names no MaxItems (Lambda's default is 50). */
  listPageSize = 50;

  /** From now on, invocations for which `decide` returns a failure are refused with it (and not recorded). */
  failInvocations(decide: (invocation: LocalInvocation) => InvokeFailure | undefined): void {
    this.failure = decide;
  }

  handle(request: DoubleRequest): DoubleResponse {
    const url = new URL(request.url, "http://localhost");
    const path = url.pathname;
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/.exec(path);
    const action = invoke
      ? "Invoke"
      : /^\/2015-03-31\/functions\/?$/.test(path)
        ? request.method === "POST"
          ? "CreateFunction"
          : "ListFunctions"
        : "Unknown";
    const params: Record<string, string> = {};
    try {
      if (action === "Invoke") {
        const invocation: LocalInvocation = {
          functionName: this.lookup(decodeURIComponent(invoke?.[1] ?? "")).name,
          invocationType: String(request.headers["x-amz-invocation-type"] ?? "RequestResponse"),
          payload: request.body.toString("utf8"),
        };
        Object.assign(params, invocation);
        return { ...this.invoke(invocation), params };
      }
      if (action === "CreateFunction") {
        const fn = this.create(JSON.parse(request.body.toString("utf8") || "{}") as Input, request.region);
        params.FunctionName = fn.name;
        return { action, status: 201, body: JSON.stringify(configuration(fn)), headers: json(), params };
      }
      if (action === "ListFunctions") {
        const max = Number(url.searchParams.get("MaxItems") ?? this.listPageSize);
        const start = Number(url.searchParams.get("Marker") ?? "0");
        const all = [...this.functions.values()].sort((a, b) => a.name.localeCompare(b.name));
        const body = {
          Functions: all.slice(start, start + max).map(configuration),
          ...(start + max < all.length ? { NextMarker: String(start + max) } : {}),
        };
        return { action, status: 200, body: JSON.stringify(body), headers: json(), params };
      }
      throw new LambdaError(
        400,
        "InvalidParameterValueException",
        `${request.method} ${path} is not supported by the local Lambda`,
      );
    } catch (error) {
      if (!(error instanceof LambdaError)) throw error;
      return {
        action,
        status: error.status,
        body: JSON.stringify({ Type: "User", message: error.message }),
        headers: { ...json(), "x-amzn-errortype": error.code },
        params,
      };
    }
  }

  private invoke(invocation: LocalInvocation): Omit<DoubleResponse, "params"> {
    try {
      JSON.parse(invocation.payload || "null");
    } catch {
      throw new LambdaError(400, "InvalidRequestContentException", "Could not parse request body into json");
    }
    const failure = this.failure?.(invocation);
    if (failure) throw new LambdaError(failure.status, failure.code, failure.message);
    this.invocations.push(invocation);
    if (invocation.invocationType === "Event")
      return { action: "Invoke", status: 202, body: "", headers: json() };
    return {
      action: "Invoke",
      status: 200,
      body: "null",
      headers: { ...json(), "x-amz-executed-version": "$LATEST" },
    };
  }

  /** By name, or by ARN (unqualified or `:$LATEST`). */
  private lookup(nameOrArn: string): LocalFunction {
    const name = nameOrArn.startsWith("arn:") ? (nameOrArn.split(":")[6] ?? "") : nameOrArn;
    const fn = this.functions.get(name);
    if (!fn)
      throw new LambdaError(
        404,
        "ResourceNotFoundException",
        `Function not found: arn:aws:lambda:us-east-1:${LAMBDA_ACCOUNT}:function:${name}`,
      );
    return fn;
  }

  private create(input: Input, region: string): LocalFunction {
    const name = typeof input.FunctionName === "string" ? input.FunctionName : "";
    const role = typeof input.Role === "string" ? input.Role : "";
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(name) || !role)
      throw new LambdaError(400, "InvalidParameterValueException", "FunctionName and Role are required");
    if (this.functions.has(name))
      throw new LambdaError(409, "ResourceConflictException", `Function already exist: ${name}`);
    const dlq = (input.DeadLetterConfig as { TargetArn?: string } | undefined)?.TargetArn;
    const fn: LocalFunction = {
      name,
      arn: `arn:aws:lambda:${region}:${LAMBDA_ACCOUNT}:function:${name}`,
      role,
      ...(typeof input.Runtime === "string" ? { runtime: input.Runtime } : {}),
      ...(typeof input.Handler === "string" ? { handler: input.Handler } : {}),
      ...(dlq ? { deadLetterTargetArn: dlq } : {}),
    };
    this.functions.set(name, fn);
    return fn;
  }
}

const json = () => ({ "content-type": CONTENT_TYPE });

/** FunctionConfiguration as CreateFunction and ListFunctions answer it. */
function configuration(fn: LocalFunction): Input {
  return {
    FunctionName: fn.name,
    FunctionArn: fn.arn,
    Role: fn.role,
    ...(fn.runtime ? { Runtime: fn.runtime } : {}),
    ...(fn.handler ? { Handler: fn.handler } : {}),
    ...(fn.deadLetterTargetArn ? { DeadLetterConfig: { TargetArn: fn.deadLetterTargetArn } } : {}),
    State: "Active",
    Version: "$LATEST",
  };
}

export function createLambdaDouble(): LambdaDouble {
  return new LambdaDouble();
}
