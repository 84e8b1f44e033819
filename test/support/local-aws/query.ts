import { randomBytes } from "node:crypto";

/** A query-protocol request's form fields, e.g. `IpPermissions.1.IpRanges.2.CidrIp`. */
export type Params = Record<string, string>;

export function parseForm(body: string): Params {
  return Object.fromEntries(new URLSearchParams(body));
}

/** `Prefix.1.*`, `Prefix.2.*`, … as one record per index (keys without the prefix), in index order. */
export function members(params: Params, prefix: string): Params[] {
  const byIndex = new Map<number, Params>();
  for (const [key, value] of Object.entries(params)) {
    const match = key.startsWith(`${prefix}.`)
      ? /^(\d+)(?:\.(.+))?$/.exec(key.slice(prefix.length + 1))
      : null;
    if (!match) continue;
    const index = Number(match[1]);
    const entry = byIndex.get(index) ?? {};
    entry[match[2] ?? ""] = value;
    byIndex.set(index, entry);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
}

/** `Prefix.1`, `Prefix.2`, … as a list of plain values. */
export function values(params: Params, prefix: string): string[] {
  return members(params, prefix).flatMap((entry) => (entry[""] === undefined ? [] : [entry[""]]));
}

/** An AWS error: the service renders it in its own XML format. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c,
  );
}

/** `<name>value</name>`, or nothing for undefined. Values are escaped; use `raw` for nested XML. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? "" : `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function raw(name: string, xml: string): string {
  return `<${name}>${xml}</${name}>`;
}

/** EC2's list form: `<name><item>…</item>…</name>`. */
export function itemSet<T>(name: string, list: readonly T[], render: (item: T) => string): string {
  return raw(name, list.map((item) => raw("item", render(item))).join(""));
}

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString("hex")
    .slice(0, length);
}
