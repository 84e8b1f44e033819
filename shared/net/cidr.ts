import { isIPv4, isIPv6 } from "node:net";

/** A parsed network: address bits with host bits cleared, as AWS canonicalises CIDRs. */
export interface Network {
  family: 4 | 6;
  /** Network address as an unsigned integer, host bits zero. */
  address: bigint;
  prefix: number;
}

const BITS = { 4: 32, 6: 128 } as const;

function ipv4ToBigInt(ip: string): bigint {
  return ip.split(".").reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6ToBigInt(ip: string): bigint {
  let text = ip;
  // An embedded IPv4 tail (::ffff:1.2.3.4) becomes two hextets.
  const v4Tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4Tail?.[1]) {
    const v4 = ipv4ToBigInt(v4Tail[1]);
    text = `${text.slice(0, -v4Tail[1].length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const headParts = head ? head.split(":") : [];
  const tailParts = tail ? tail.split(":") : [];
  const missing = 8 - headParts.length - tailParts.length;
  const parts =
    tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill("0"), ...tailParts];
  return parts.reduce((acc, part) => (acc << 16n) | BigInt(parseInt(part, 16)), 0n);
}

function mask(family: 4 | 6, prefix: number): bigint {
  const bits = BigInt(BITS[family]);
  const hostBits = bits - BigInt(prefix);
  return ((1n << bits) - 1n) ^ ((1n << hostBits) - 1n);
}

/** Parses `a.b.c.d/n` or an IPv6 CIDR; a bare address is a host route. Returns undefined if invalid. */
export function parseCidr(text: string): Network | undefined {
  const [ip = "", prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const family = isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : undefined;
  if (!family) return undefined;
  const prefix = prefixText === undefined ? BITS[family] : Number(prefixText);
  if (
    !/^\d{1,3}$/.test(prefixText ?? "0") ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > BITS[family]
  ) {
    return undefined;
  }
  const raw = family === 4 ? ipv4ToBigInt(ip) : ipv6ToBigInt(ip);
  return { family, address: raw & mask(family, prefix), prefix };
}

/** True when the CIDR admits every address of its family: `0.0.0.0/0`, `10.0.0.0/0`, `::/0`, `2001:db8::/0`. */
export function isWorldOpen(cidr: string): boolean {
  return parseCidr(cidr)?.prefix === 0;
}

/** True when `inner` lies entirely within `outer` (same family). */
export function cidrContains(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  if (!a || !b || a.family !== b.family || b.prefix < a.prefix) return false;
  return (b.address & mask(a.family, a.prefix)) === a.address;
}

/** The canonical text AWS would store: `10.0.0.0/0` -> `0.0.0.0/0`, `2001:DB8::1/32` -> `2001:db8::/32`. */
export function canonicalCidr(cidr: string): string | undefined {
  const network = parseCidr(cidr);
  if (!network) return undefined;
  if (network.family === 4) {
    const octets = [24n, 16n, 8n, 0n].map((shift) => Number((network.address >> shift) & 0xffn));
    return `${octets.join(".")}/${network.prefix}`;
  }
  const hextets = Array.from({ length: 8 }, (_, i) => (network.address >> BigInt(112 - 16 * i)) & 0xffffn);
  return `${compressIpv6(hextets.map((h) => h.toString(16)))}/${network.prefix}`;
}

function compressIpv6(hextets: string[]): string {
  // RFC 5952: replace the longest run (length >= 2) of zero groups with "::".
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < hextets.length;) {
    if (hextets[i] !== "0") {
      i++;
      continue;
    }
    let j = i;
    while (j < hextets.length && hextets[j] === "0") j++;
    if (j - i > bestLength) [bestStart, bestLength] = [i, j - i];
    i = j;
  }
  if (bestStart < 0) return hextets.join(":");
  return `${hextets.slice(0, bestStart).join(":")}::${hextets.slice(bestStart + bestLength).join(":")}`;
}

/** Two CIDRs name the same network once canonicalised. */
export function sameNetwork(a: string, b: string): boolean {
  const x = canonicalCidr(a);
  return x !== undefined && x === canonicalCidr(b);
}
