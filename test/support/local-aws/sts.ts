import { randomBytes } from "node:crypto";
import type { DoubleRequest, DoubleResponse, ServiceDouble } from "./double";
import { AwsError, el, parseForm, raw } from "./query";

/**
 * STS in the query protocol the SDK v3 STSClient (and `fromTemporaryCredentials`) speaks, signing
 * name `sts`: AssumeRole and GetCallerIdentity. STS knows only the callers a test names with
 * `addCaller` and the sessions it issued: any other key gets InvalidClientTokenId (HTTP 403), as a
 * made-up key does in AWS (so tools that ask STS who they are still can't tell, unless a test says).
 * A role can be assumed only once a test has set it up with `allowRole` (the trust policy, in
 * short): with another ExternalId than the one given there, or for a role never set up, STS answers
 * AccessDenied (HTTP 403). Every issued key is remembered, so a test can tell which role signed a
 * later request (the server records each request's access key id).
 */

const NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export interface IssuedSession {
  accessKeyId: string;
  roleArn: string;
  roleSessionName: string;
  externalId?: string;
  /** The access key id that signed the AssumeRole request. */
  callerAccessKeyId?: string;
  expiration: string;
}

export interface StsDouble extends ServiceDouble {
  /** Makes `accessKeyId` a valid caller: IAM user `name` of `account`. */
  addCaller(accessKeyId: string, account: string, name?: string): void;
  /** Lets `roleArn` be assumed, with exactly `externalId` when given (the role's trust policy condition). */
  allowRole(roleArn: string, options?: { externalId?: string }): void;
  /** Every session issued, oldest first. */
  readonly issued: IssuedSession[];
  /** The session an access key belongs to, if STS issued it here. */
  sessionOf(accessKeyId: string | undefined): IssuedSession | undefined;
}

/** The access key id of a SigV4 request: `Credential=AKID/20250101/us-east-1/sts/aws4_request`. */
export function accessKeyIdOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? "")?.[1];
}

function token(length: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"): string {
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join("");
}

function ok(
  action: string,
  result: string,
  requestId: string,
  params: Record<string, string>,
): DoubleResponse {
  const body =
    `<${action}Response xmlns="${NAMESPACE}">${raw(`${action}Result`, result)}` +
    `${raw("ResponseMetadata", el("RequestId", requestId))}</${action}Response>`;
  return { action, status: 200, body, headers: { "content-type": "text/xml" }, params };
}

function failure(
  action: string,
  error: AwsError,
  requestId: string,
  params: Record<string, string>,
): DoubleResponse {
  const type = error.status >= 500 ? "Receiver" : "Sender";
  const detail = el("Type", type) + el("Code", error.code) + el("Message", error.message);
  const body = `<ErrorResponse xmlns="${NAMESPACE}"><Error>${detail}</Error>${el("RequestId", requestId)}</ErrorResponse>`;
  return { action, status: error.status, body, headers: { "content-type": "text/xml" }, params };
}

export function createStsDouble(): StsDouble {
  const trust = new Map<string, { externalId?: string }>();
  const callers = new Map<string, { arn: string; account: string; userId: string }>();
  const issued: IssuedSession[] = [];
  const sessionOf = (key: string | undefined) => issued.find((s) => s.accessKeyId === key);

  /** Who signed: an issued session's assumed-role ARN, or a caller a test added. */
  function caller(key: string | undefined): { arn: string; account: string; userId: string } {
    const session = sessionOf(key);
    if (!session) {
      const known = key === undefined ? undefined : callers.get(key);
      if (!known)
        throw new AwsError(
          "InvalidClientTokenId",
          "The security token included in the request is invalid.",
          403,
        );
      return known;
    }
    const [, partition, account = "", name = ""] = ROLE_ARN.exec(session.roleArn) ?? [];
    return {
      arn: `arn:${partition}:sts::${account}:assumed-role/${name}/${session.roleSessionName}`,
      account,
      userId: `AROA${token(17)}:${session.roleSessionName}`,
    };
  }

  function assumeRole(params: Record<string, string>, key: string | undefined): string {
    const who = caller(key);
    const { RoleArn: roleArn = "", RoleSessionName: sessionName = "", ExternalId: externalId } = params;
    if (!roleArn) throw new AwsError("MissingParameter", "The request must contain the parameter RoleArn");
    const role = ROLE_ARN.exec(roleArn);
    if (!role) throw new AwsError("ValidationError", `${roleArn} is invalid`);
    if (!SESSION_NAME.test(sessionName))
      throw new AwsError(
        "ValidationError",
        `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`,
      );
    if (externalId !== undefined && !EXTERNAL_ID.test(externalId))
      throw new AwsError(
        "ValidationError",
        "1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@:\\/-]*",
      );
    const duration = Number(params.DurationSeconds ?? 3600);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200)
      throw new AwsError(
        "ValidationError",
        `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
      );
    const allowed = trust.get(roleArn);
    if (!allowed || (allowed.externalId !== undefined && allowed.externalId !== externalId))
      throw new AwsError(
        "AccessDenied",
        `User: ${who.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
        403,
      );
    const session: IssuedSession = {
      accessKeyId: `ASIA${token(16)}`,
      roleArn,
      roleSessionName: sessionName,
      ...(externalId !== undefined ? { externalId } : {}),
      ...(key ? { callerAccessKeyId: key } : {}),
      expiration: new Date(Date.now() + duration * 1000).toISOString().replace(/\.\d+Z$/, "Z"),
    };
    issued.push(session);
    const assumed = caller(session.accessKeyId);
    return (
      raw(
        "Credentials",
        el("AccessKeyId", session.accessKeyId) +
          el(
            "SecretAccessKey",
            token(40, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/+"),
          ) +
          el("SessionToken", `IQoJb3JpZ2luX2VjE${token(120)}`) +
          el("Expiration", session.expiration),
      ) +
      raw("AssumedRoleUser", el("AssumedRoleId", assumed.userId) + el("Arn", assumed.arn)) +
      el("PackedPolicySize", 0)
    );
  }

  return {
    signingName: "sts",
    issued,
    sessionOf,
    addCaller(accessKeyId, account, name = "local") {
      callers.set(accessKeyId, {
        arn: `arn:aws:iam::${account}:user/${name}`,
        account,
        userId: `AIDA${token(17)}`,
      });
    },
    allowRole(roleArn, options = {}) {
      trust.set(roleArn, options.externalId !== undefined ? { externalId: options.externalId } : {});
    },
    handle(request: DoubleRequest): DoubleResponse {
      const params = parseForm(request.body.toString("utf8"));
      const action = params.Action ?? "";
      const key = accessKeyIdOf(request.headers.authorization);
      // The log keeps what tests assert (role, session, whether an ExternalId came and which), no key material.
      const logged = Object.fromEntries(
        Object.entries(params).filter(([name]) =>
          ["RoleArn", "RoleSessionName", "ExternalId", "DurationSeconds"].includes(name),
        ),
      );
      try {
        if (action === "AssumeRole") return ok(action, assumeRole(params, key), request.requestId, logged);
        if (action === "GetCallerIdentity") {
          const who = caller(key);
          return ok(
            action,
            el("UserId", who.userId) + el("Account", who.account) + el("Arn", who.arn),
            request.requestId,
            logged,
          );
        }
        throw new AwsError("InvalidAction", `Could not find operation ${action} for version 2011-06-15`);
      } catch (error) {
        const aws = error instanceof AwsError ? error : new AwsError("InternalFailure", String(error), 500);
        return failure(action, aws, request.requestId, logged);
      }
    },
  };
}
