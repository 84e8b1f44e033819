import { resolveLocalhostNames } from "./local-dns";

/**
 * `node --import tsx --import test/support/local-dns-preload.ts …`: names under `localhost.`
 * resolve to the loopback address in that process (see local-dns.ts). The CLI harness starts
 * Vigil's CLI this way when a test needs S3 Control against the local endpoint.
 */
resolveLocalhostNames();
