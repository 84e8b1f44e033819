import { once } from "node:events";
import { request, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";

/** DynamoDB: requests are passed unchanged to an in-memory dynalite and its answers streamed back. */

// dynalite is CommonJS without types: just the call made here.
type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;

export interface DynamoBackend {
  endpoint: string;
  /** Sends one request on to dynalite and pipes its response (status, headers, body) to `res`. */
  forward(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: Buffer,
    res: ServerResponse,
  ): Promise<void>;
  close(): Promise<void>;
}

export async function startDynamoBackend(): Promise<DynamoBackend> {
  const dynalite: Dynalite = createRequire(import.meta.url)("dynalite");
  // No path: in memory. No CREATING/DELETING delays: a new table is usable at once.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;

  const forward: DynamoBackend["forward"] = (method, path, headers, body, res) =>
    new Promise((done, fail) => {
      const upstream = request({ host: "127.0.0.1", port, method, path, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 500, answer.headers);
        answer.pipe(res);
        answer.on("end", () => done());
        answer.on("error", fail);
      });
      upstream.on("error", fail);
      upstream.end(body);
    });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    forward,
    close: () =>
      new Promise<void>((done, fail) => {
        server.closeAllConnections();
        server.close((error) => (error ? fail(error) : done()));
      }),
  };
}
