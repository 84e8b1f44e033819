import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "global";

export const iamEvent = (name: string) => loadEvent(`iam/${name}.json`);
export const signInEvent = (name: string) => loadEvent(`signin/${name}.json`);

export const idFor = (checkId: string, resourceId: string) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}

export const HEADER =
  "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation," +
  "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region," +
  "access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date," +
  "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active," +
  "cert_2_last_rotated";

export const ROOT_ROW =
  "<root_account>,arn:aws:iam::111122223333:root,2019-04-02T09:11:40+00:00,not_supported,2025-02-01T10:00:00+00:00," +
  "not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A";

export interface RowInput {
  user: string;
  created?: string;
  password?: { enabled: string; lastUsed: string; changed: string };
  mfa?: string;
  key1?: [active: string, rotated: string, used: string];
  key2?: [active: string, rotated: string, used: string];
}

/** One credential-report row the way IAM writes it (markers for what the user lacks). */
export function row(r: RowInput): string {
  const key = (k?: [string, string, string]) =>
    k
      ? [k[0], k[1], k[2], k[2] === "N/A" ? "N/A" : "us-east-1", k[2] === "N/A" ? "N/A" : "s3"]
      : ["false", "N/A", "N/A", "N/A", "N/A"];
  const name = /[",]/.test(r.user) ? `"${r.user.replace(/"/g, '""')}"` : r.user;
  const arn = `arn:aws:iam::111122223333:user/${r.user}`;
  return [
    name,
    /[",]/.test(arn) ? `"${arn}"` : arn,
    r.created ?? "2023-01-10T12:00:00+00:00",
    r.password?.enabled ?? "false",
    r.password?.lastUsed ?? "N/A",
    r.password?.changed ?? "N/A",
    "N/A",
    r.mfa ?? "false",
    ...key(r.key1),
    ...key(r.key2),
    "false",
    "N/A",
    "false",
    "N/A",
  ].join(",");
}

export const csv = (...rows: string[]) => [HEADER, ROOT_ROW, ...rows].join("\n") + "\n";
export const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
