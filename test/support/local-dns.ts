import dns, { type LookupAddress, type LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";
import { syncBuiltinESMExports } from "node:module";

/**
 * Names under `localhost.` are loopback (RFC 6761 §6.3), but glibc here resolves only `localhost`
 * itself (`a.b.localhost` is ENOTFOUND). The S3 Control client needs such names against a local
 * endpoint: it puts the account id in front of the endpoint's host (`111122223333.s3-control.localhost`),
 * which is no valid URL when the endpoint is an IP address. Test-only: production code builds its
 * clients from the SDK's standard configuration and never sees this.
 */

/** `x.localhost`, `a.b.localhost.` (not `localhost` itself: the system resolves that already). */
export function isUnderLocalhost(hostname: string): boolean {
  return /\.localhost\.?$/i.test(hostname);
}

type Callback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** Answers a name under `localhost.` the way `dns.lookup` would: 127.0.0.1 (::1 when only IPv6 is asked for). */
function loopback(options: LookupOptions | number | undefined, callback: Callback): void {
  const family = typeof options === "number" ? options : options?.family;
  const address =
    family === 6 || family === "IPv6" ? { address: "::1", family: 6 } : { address: "127.0.0.1", family: 4 };
  const all = typeof options === "object" && options.all === true;
  process.nextTick(() => (all ? callback(null, [address]) : callback(null, address.address, address.family)));
}

/** A `lookup` for an http.Agent (in the test process, without patching anything global). */
export const localhostLookup: LookupFunction = (hostname, options, callback) => {
  if (isUnderLocalhost(hostname)) return loopback(options, callback);
  dns.lookup(hostname, options, callback);
};

let installed = false;

/**
 * Makes `dns.lookup`, which Node's net (hence http and the SDK's request handler) calls for every
 * connection, answer names under `localhost.` with the loopback address; other names go to the system.
 * For a child process: test/support/local-dns-preload.ts runs it through `node --import`.
 */
export function resolveLocalhostNames(): void {
  if (installed) return;
  installed = true;
  const system = dns.lookup;
  const lookup = (hostname: string, ...rest: unknown[]): void => {
    const callback = rest.find((arg): arg is Callback => typeof arg === "function");
    const options =
      typeof rest[0] === "function" ? undefined : (rest[0] as LookupOptions | number | undefined);
    if (callback && typeof hostname === "string" && isUnderLocalhost(hostname))
      return loopback(options, callback);
    Reflect.apply(system, dns, [hostname, ...rest]);
  };
  dns.lookup = lookup as typeof dns.lookup;
  // Keeps `import { lookup } from "node:dns"` in ES modules in step with the patched function.
  syncBuiltinESMExports();
}
