import type { DoubleRequest, DoubleResponse, ServiceDouble } from "./double";
import { AwsError, el, parseForm, raw, type Params } from "./query";

/**
 * IAM in memory, in the AWS query protocol with XML answers the SDK speaks (signing name `iam`):
 * the account password policy, users' MFA devices and access keys (seeded by tests), and the
 * credential report built from them. Only what Vigil and its tests use, with IAM's error codes.
 */

export const IAM_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
/** The account the project's sample events name. */
export const IAM_ACCOUNT = "111122223333";

export interface LocalPasswordPolicy {
  MinimumPasswordLength: number;
  RequireSymbols: boolean;
  RequireNumbers: boolean;
  RequireUppercaseCharacters: boolean;
  RequireLowercaseCharacters: boolean;
  AllowUsersToChangePassword: boolean;
  MaxPasswordAge?: number;
  PasswordReusePrevention?: number;
  HardExpiry: boolean;
}

export interface LocalAccessKey {
  id: string;
  status: "Active" | "Inactive";
  created: string;
  lastUsed?: string;
}

export interface LocalUser {
  name: string;
  created: string;
  password?: { set: string; lastUsed?: string };
  mfaSerials: string[];
  accessKeys: LocalAccessKey[];
}

const USER_NAME = /^[\w+=,.@-]{1,64}$/;

function validationError(field: string, value: string, constraint: string): AwsError {
  return new AwsError(
    "ValidationError",
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

function intParam(params: Params, name: string, min: number, max: number): number | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  const n = Number(value);
  const field = name.charAt(0).toLowerCase() + name.slice(1);
  if (!Number.isInteger(n)) throw validationError(field, value, "Member must be an integer");
  if (n < min) throw validationError(field, value, `Member must have value greater than or equal to ${min}`);
  if (n > max) throw validationError(field, value, `Member must have value less than or equal to ${max}`);
  return n;
}

const boolParam = (params: Params, name: string) => params[name] === "true";

function policyXml(p: LocalPasswordPolicy): string {
  return raw(
    "PasswordPolicy",
    el("MinimumPasswordLength", p.MinimumPasswordLength) +
      el("RequireSymbols", p.RequireSymbols) +
      el("RequireNumbers", p.RequireNumbers) +
      el("RequireUppercaseCharacters", p.RequireUppercaseCharacters) +
      el("RequireLowercaseCharacters", p.RequireLowercaseCharacters) +
      el("AllowUsersToChangePassword", p.AllowUsersToChangePassword) +
      el("ExpirePasswords", p.MaxPasswordAge !== undefined) +
      el("MaxPasswordAge", p.MaxPasswordAge) +
      el("PasswordReusePrevention", p.PasswordReusePrevention) +
      el("HardExpiry", p.HardExpiry),
  );
}

/**
 * One page of an IAM listing, IAM's way: `MaxItems` (1-1000, default 100) per page, `IsTruncated`
 * and an opaque `Marker` to pass back for the next page. `Marker` must be one this double gave.
 */
export function iamPage<T>(items: readonly T[], params: Params): { items: T[]; tail: string } {
  const max = intParam(params, "MaxItems", 1, 1000) ?? 100;
  let start = 0;
  if (params.Marker !== undefined) {
    start = Number(
      Buffer.from(params.Marker, "base64")
        .toString("utf8")
        .replace(/^page:/, ""),
    );
    if (!Number.isInteger(start) || start < 0 || start > items.length)
      throw new AwsError("InvalidInput", "Invalid Marker.");
  }
  const end = Math.min(items.length, start + max);
  const truncated = end < items.length;
  const marker = truncated ? el("Marker", Buffer.from(`page:${end}`, "utf8").toString("base64")) : "";
  return { items: items.slice(start, end), tail: el("IsTruncated", truncated) + marker };
}

const members = <T>(name: string, list: readonly T[], render: (item: T) => string) =>
  raw(name, list.map((item) => raw("member", render(item))).join(""));

const REPORT_COLUMNS =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation," +
  "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region," +
  "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date," +
  "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active," +
  "cert_2_last_rotated";

export class IamDouble implements ServiceDouble {
  readonly signingName = "iam";
  passwordPolicy: LocalPasswordPolicy | undefined;
  readonly users = new Map<string, LocalUser>();
  /** How many access keys the root user has (GetAccountSummary's AccountAccessKeysPresent). */
  rootAccessKeys = 0;
  private report: { generated: string; csv: string } | undefined;
  private generating = false;

  /** Seeds a user (what CreateUser, CreateLoginProfile, EnableMFADevice, CreateAccessKey would leave). */
  addUser(user: Partial<LocalUser> & { name: string }): LocalUser {
    const full: LocalUser = { created: new Date().toISOString(), mfaSerials: [], accessKeys: [], ...user };
    this.users.set(full.name, full);
    return full;
  }

  handle(request: DoubleRequest): DoubleResponse {
    const params = parseForm(request.body.toString("utf8"));
    const action = params.Action ?? "";
    const { Action: _a, Version: _v, ...logged } = params;
    try {
      const result = this.dispatch(action, params);
      const metadata = raw("ResponseMetadata", el("RequestId", request.requestId));
      const body = `<${action}Response xmlns="${IAM_NAMESPACE}">${result === undefined ? "" : raw(`${action}Result`, result)}${metadata}</${action}Response>`;
      return { action, status: 200, body, headers: { "content-type": "text/xml" }, params: logged };
    } catch (error) {
      const aws = error instanceof AwsError ? error : new AwsError("ServiceFailure", String(error), 500);
      const type = aws.status >= 500 ? "Receiver" : "Sender";
      const detail = el("Type", type) + el("Code", aws.code) + el("Message", aws.message);
      const body = `<ErrorResponse xmlns="${IAM_NAMESPACE}"><Error>${detail}</Error>${el("RequestId", request.requestId)}</ErrorResponse>`;
      return { action, status: aws.status, body, headers: { "content-type": "text/xml" }, params: logged };
    }
  }

  private user(params: Params): LocalUser {
    const name = params.UserName ?? "";
    if (!USER_NAME.test(name))
      throw validationError("userName", name, "Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    const user = this.users.get(name);
    if (!user) throw new AwsError("NoSuchEntity", `The user with name ${name} cannot be found.`, 404);
    return user;
  }

  /** The XML inside `<ActionResult>`, or undefined for actions that answer only metadata. */
  private dispatch(action: string, params: Params): string | undefined {
    switch (action) {
      case "GetAccountPasswordPolicy":
        if (!this.passwordPolicy)
          throw new AwsError(
            "NoSuchEntity",
            `The Password Policy with domain name ${IAM_ACCOUNT} cannot be found.`,
            404,
          );
        return policyXml(this.passwordPolicy);
      case "UpdateAccountPasswordPolicy": {
        // No partial updates: what the request leaves out takes its default.
        const maxAge = intParam(params, "MaxPasswordAge", 1, 1095);
        const reuse = intParam(params, "PasswordReusePrevention", 1, 24);
        this.passwordPolicy = {
          MinimumPasswordLength: intParam(params, "MinimumPasswordLength", 6, 128) ?? 6,
          RequireSymbols: boolParam(params, "RequireSymbols"),
          RequireNumbers: boolParam(params, "RequireNumbers"),
          RequireUppercaseCharacters: boolParam(params, "RequireUppercaseCharacters"),
          RequireLowercaseCharacters: boolParam(params, "RequireLowercaseCharacters"),
          AllowUsersToChangePassword: boolParam(params, "AllowUsersToChangePassword"),
          ...(maxAge !== undefined ? { MaxPasswordAge: maxAge } : {}),
          ...(reuse !== undefined ? { PasswordReusePrevention: reuse } : {}),
          HardExpiry: boolParam(params, "HardExpiry"),
        };
        return undefined;
      }
      case "DeleteAccountPasswordPolicy":
        if (!this.passwordPolicy)
          throw new AwsError(
            "NoSuchEntity",
            "The account policy with name PasswordPolicy cannot be found.",
            404,
          );
        this.passwordPolicy = undefined;
        return undefined;
      case "GetAccountSummary": {
        // Only the keys Vigil reads; the root user's keys are seeded by tests (`rootAccessKeys`).
        const entries: [string, number][] = [
          ["AccountAccessKeysPresent", this.rootAccessKeys],
          ["AccountMFAEnabled", 1],
          ["Users", this.users.size],
        ];
        return raw(
          "SummaryMap",
          entries.map(([k, v]) => raw("entry", el("key", k) + el("value", v))).join(""),
        );
      }
      case "GetLoginProfile": {
        const user = this.user(params);
        if (!user.password)
          throw new AwsError("NoSuchEntity", `Login Profile for User ${user.name} cannot be found.`, 404);
        return raw(
          "LoginProfile",
          el("UserName", user.name) +
            el("CreateDate", user.password.set) +
            el("PasswordResetRequired", false),
        );
      }
      case "ListMFADevices": {
        const user = this.user(params);
        const devices = members(
          "MFADevices",
          user.mfaSerials,
          (serial) => el("UserName", user.name) + el("SerialNumber", serial) + el("EnableDate", user.created),
        );
        return devices + el("IsTruncated", false);
      }
      case "ListAccessKeys": {
        const user = this.user(params);
        const keys = members(
          "AccessKeyMetadata",
          user.accessKeys,
          (k) =>
            el("UserName", user.name) +
            el("AccessKeyId", k.id) +
            el("Status", k.status) +
            el("CreateDate", k.created),
        );
        return el("UserName", user.name) + keys + el("IsTruncated", false);
      }
      case "UpdateAccessKey": {
        const user = this.user(params);
        const status = params.Status ?? "";
        if (status !== "Active" && status !== "Inactive")
          throw validationError("status", status, "Member must satisfy enum value set: [Active, Inactive]");
        const key = user.accessKeys.find((k) => k.id === params.AccessKeyId);
        if (!key)
          throw new AwsError(
            "NoSuchEntity",
            `The Access Key with id ${params.AccessKeyId ?? ""} cannot be found.`,
            404,
          );
        key.status = status;
        return undefined;
      }
      case "GenerateCredentialReport": {
        // IAM answers STARTED once, then COMPLETE (a report younger than four hours is reused).
        if (!this.report && !this.generating) {
          this.generating = true;
          return (
            el("State", "STARTED") +
            el("Description", "No report exists. Starting a new report generation task")
          );
        }
        if (!this.report)
          this.report = {
            generated: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
            csv: this.reportCsv(),
          };
        return el("State", "COMPLETE");
      }
      case "GetCredentialReport":
        if (!this.report) {
          if (this.generating) throw new AwsError("ReportInProgress", "Report generation in progress.", 404);
          throw new AwsError(
            "ReportNotPresent",
            "Credential report not present. Please call GenerateCredentialReport.",
            410,
          );
        }
        return (
          el("Content", Buffer.from(this.report.csv, "utf8").toString("base64")) +
          el("ReportFormat", "text/csv") +
          el("GeneratedTime", this.report.generated)
        );
      default:
        throw new AwsError("InvalidAction", `Could not find operation ${action} for version 2010-05-08`);
    }
  }

  /** The report's CSV, root first, with IAM's markers for what a user lacks. */
  private reportCsv(): string {
    const arn = (name: string) => `arn:aws:iam::${IAM_ACCOUNT}:user/${name}`;
    const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const key = (k: LocalAccessKey | undefined) =>
      k
        ? [
            String(k.status === "Active"),
            k.created,
            k.lastUsed ?? "N/A",
            k.lastUsed ? "us-east-1" : "N/A",
            k.lastUsed ? "s3" : "N/A",
          ]
        : ["false", "N/A", "N/A", "N/A", "N/A"];
    const rows = [...this.users.values()].map((u) =>
      [
        quote(u.name),
        quote(arn(u.name)),
        u.created,
        String(u.password !== undefined),
        u.password ? (u.password.lastUsed ?? "no_information") : "N/A",
        u.password?.set ?? "N/A",
        "N/A",
        String(u.mfaSerials.length > 0),
        ...key(u.accessKeys[0]),
        ...key(u.accessKeys[1]),
        "false",
        "N/A",
        "false",
        "N/A",
      ].join(","),
    );
    const rootRow = `<root_account>,arn:aws:iam::${IAM_ACCOUNT}:root,2020-01-01T00:00:00+00:00,not_supported,no_information,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;
    return [REPORT_COLUMNS, rootRow, ...rows].join("\n");
  }
}

export function createIamDouble(): ServiceDouble {
  return new IamDouble();
}
