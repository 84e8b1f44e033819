import { execFile } from "node:child_process";
import { once } from "node:events";
import { Agent, createServer, get, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isUnderLocalhost, localhostLookup } from "./local-dns";

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, "..", "..");
const PRELOAD = pathToFileURL(join(import.meta.dirname, "local-dns-preload.ts")).href;

/** GET / through an agent: what the server saw as Host, or the connection error. */
function hostSeen(url: string, agent: Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      let body = "";
      res.on("data", (chunk: Buffer) => (body += chunk.toString()));
      res.on("end", () => resolve(body));
    }).on("error", reject);
  });
}

describe("local-dns: names under localhost. resolve to 127.0.0.1 for S3 Control's account-prefixed host", () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // Listens on 127.0.0.1 only, as local-aws does: a wrong address would not connect.
    server = createServer((req, res) => res.end(req.headers.host ?? "")).listen(0, "127.0.0.1");
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, "close");
  });

  it("knows which names are under localhost.", () => {
    expect(isUnderLocalhost("111122223333.s3-control.localhost")).toBe(true);
    expect(isUnderLocalhost("s3-control.localhost.")).toBe(true);
    expect(isUnderLocalhost("A.LOCALHOST")).toBe(true);
    expect(isUnderLocalhost("localhost")).toBe(false);
    expect(isUnderLocalhost("s3-control.localhost.example.com")).toBe(false);
    expect(isUnderLocalhost("evil-localhost")).toBe(false);
  });

  it("an agent with localhostLookup reaches the loopback server; the Host keeps the name", async () => {
    const agent = new Agent({ keepAlive: false, lookup: localhostLookup });
    const url = `http://111122223333.s3-control.localhost:${port}/`;
    expect(await hostSeen(url, agent)).toBe(`111122223333.s3-control.localhost:${port}`);
    // Other names still go to the system resolver.
    expect(await hostSeen(`http://localhost:${port}/`, agent)).toBe(`localhost:${port}`);
    agent.destroy();
  });

  it("the preload makes a child process's http (through net's dns.lookup) connect to such names", async () => {
    const script = [
      `const http = require("node:http");`,
      `http.get("http://111122223333.s3-control.localhost:${port}/", { agent: new http.Agent({ keepAlive: true }) }, (res) => {`,
      `  let body = ""; res.on("data", (c) => (body += c)); res.on("end", () => { console.log(body); process.exit(0); });`,
      `}).on("error", (e) => { console.error(e.code); process.exit(1); });`,
    ].join("\n");
    const { stdout } = await run(process.execPath, ["--import", "tsx", "--import", PRELOAD, "-e", script], {
      cwd: ROOT,
    });
    expect(stdout.trim()).toBe(`111122223333.s3-control.localhost:${port}`);
  });
});
