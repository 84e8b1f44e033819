/**
 * The IAM credential report (GetCredentialReport), parsed into one `CredentialFacts` per row. Every
 * time column keeps the report's own markers, because they mean different things:
 * `password_last_used` is `no_information` when the password was never used (or not since IAM
 * started tracking, 2014-10-20) and `N/A` when the user has no password; `access_key_N_last_used_date`
 * is `N/A` when the key does not exist, was never used, or not since 2015-04-22; the root user's row
 * says `not_supported` for its password columns. The report holds no secret values.
 */

export const ROOT_ROW_USER = "<root_account>";
export const NOT_APPLICABLE = "N/A";
export const NO_INFORMATION = "no_information";
export const NOT_SUPPORTED = "not_supported";
const MARKERS: readonly string[] = [NOT_APPLICABLE, NO_INFORMATION, NOT_SUPPORTED];

/** One of the user's two access-key slots (`access_key_1_*`, `access_key_2_*`). */
export interface AccessKeyFacts {
  slot: 1 | 2;
  /** `access_key_N_active`: the slot holds a key whose status is Active. */
  active: boolean;
  /** `access_key_N_last_rotated`: when the key was created or last changed (ISO), or `N/A`. */
  lastRotated: string;
  /** `access_key_N_last_used_date`: ISO, or `N/A` (no key, never used, or unused since 2015-04-22). */
  lastUsedDate: string;
}

/** One row of the report: a user's credentials as IAM states them. */
export interface CredentialFacts {
  user: string;
  arn: string;
  /** ISO, or `N/A` (as the root row may say). */
  userCreationTime: string;
  /** `password_enabled`: `not_supported` on the root user's row. */
  passwordEnabled: boolean | typeof NOT_SUPPORTED;
  /** ISO, `no_information` (never used / not since 2014-10-20) or `N/A` (no password). */
  passwordLastUsed: string;
  /** ISO, `N/A` (no password) or `not_supported` (root). */
  passwordLastChanged: string;
  mfaActive: boolean;
  /** Always both slots, 1 then 2. */
  accessKeys: [AccessKeyFacts, AccessKeyFacts];
}

export interface CredentialReport {
  /** When IAM generated the report (its data is as of then). */
  generatedTime: string;
  users: CredentialFacts[];
}

export class CredentialReportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CredentialReportError";
  }
}

const COLUMNS = [
  "user",
  "arn",
  "user_creation_time",
  "password_enabled",
  "password_last_used",
  "password_last_changed",
  "mfa_active",
  "access_key_1_active",
  "access_key_1_last_rotated",
  "access_key_1_last_used_date",
  "access_key_2_active",
  "access_key_2_last_rotated",
  "access_key_2_last_used_date",
] as const;
type Column = (typeof COLUMNS)[number];

/** RFC 4180 records: IAM quotes a field only when it must (user names may hold commas). */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(field);
      records.push(record);
      record = [];
      field = "";
    } else field += c;
  }
  if (quoted) throw new CredentialReportError("credential report: unterminated quoted field");
  if (field !== "" || record.length) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ""));
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** A report time, normalised to ISO-8601 UTC; a marker stays as the report wrote it. */
function time(value: string, where: string): string {
  if (MARKERS.includes(value)) return value;
  const ms = ISO.test(value) ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw new CredentialReportError(`${where}: not a time or a known marker`);
  return new Date(ms).toISOString();
}

function flag(value: string, where: string): boolean {
  const v = value.toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  throw new CredentialReportError(`${where}: expected true or false`);
}

/** The instant of a report time, or undefined for a marker (`N/A`, `no_information`, `not_supported`). */
export function instantOf(value: string): number | undefined {
  if (MARKERS.includes(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

function factsOf(get: (column: Column) => string, line: number): CredentialFacts {
  const at = (column: Column) => `credential report line ${line}, ${column}`;
  const user = get("user");
  const arn = get("arn");
  if (!user) throw new CredentialReportError(`${at("user")}: empty`);
  if (!arn.startsWith("arn:")) throw new CredentialReportError(`${at("arn")}: not an ARN`);
  const password = get("password_enabled");
  const key = (slot: 1 | 2): AccessKeyFacts => ({
    slot,
    active: flag(get(`access_key_${slot}_active`), at(`access_key_${slot}_active`)),
    lastRotated: time(get(`access_key_${slot}_last_rotated`), at(`access_key_${slot}_last_rotated`)),
    lastUsedDate: time(get(`access_key_${slot}_last_used_date`), at(`access_key_${slot}_last_used_date`)),
  });
  return {
    user,
    arn,
    userCreationTime: time(get("user_creation_time"), at("user_creation_time")),
    passwordEnabled: password === NOT_SUPPORTED ? NOT_SUPPORTED : flag(password, at("password_enabled")),
    passwordLastUsed: time(get("password_last_used"), at("password_last_used")),
    passwordLastChanged: time(get("password_last_changed"), at("password_last_changed")),
    mfaActive: flag(get("mfa_active"), at("mfa_active")),
    accessKeys: [key(1), key(2)],
  };
}

/** The CSV text: `Content` as the SDK v3 gives it (bytes), or base64 as the API and the CLI carry it. */
function csvText(content: Uint8Array | string): string {
  if (typeof content !== "string") return Buffer.from(content).toString("utf8");
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(content))
    throw new CredentialReportError("credential report: content is not base64");
  return Buffer.from(content, "base64").toString("utf8");
}

/**
 * Parses GetCredentialReport's `Content`. Columns are found by name (IAM may add columns); a value
 * of an unexpected shape rejects the whole report rather than being guessed at.
 */
export function parseCredentialReport(
  content: Uint8Array | string,
  generatedTime: Date | string,
): CredentialReport {
  const generated = new Date(generatedTime);
  if (!Number.isFinite(generated.getTime()))
    throw new CredentialReportError("credential report: GeneratedTime is not a time");
  const [header, ...rows] = csvRecords(csvText(content).replace(/^\uFEFF/, ""));
  if (!header) throw new CredentialReportError("credential report: empty");
  const index = new Map(header.map((name, i) => [name.trim(), i] as const));
  const missing = COLUMNS.filter((c) => !index.has(c));
  if (missing.length)
    throw new CredentialReportError(`credential report: missing columns ${missing.join(", ")}`);
  const users = rows.map((row, i) => {
    if (row.length !== header.length)
      throw new CredentialReportError(
        `credential report line ${i + 2}: ${row.length} fields, the header has ${header.length}`,
      );
    return factsOf((column) => row[index.get(column) ?? -1] ?? "", i + 2);
  });
  return { generatedTime: generated.toISOString(), users };
}
