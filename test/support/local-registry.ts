import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type Blob =
  | { kind: "bytes"; bytes: Uint8Array; contentLength: boolean }
  /** Streams `total` bytes in chunks, without Content-Length, until done or the client hangs up. */
  | { kind: "stream"; total: number }
  | { kind: "status"; status: number };

export interface ServedRequest {
  digest: string;
  status: number;
  /** Bytes written before the response ended or the client went away. */
  bytesSent: number;
}

export interface LocalRegistry {
  /** Adds a blob under its own sha256 digest. Objects are serialised as JSON. */
  put(content: string | Uint8Array | object): { digest: string; size: number; bytes: Uint8Array };
  /** Serves `content` under `digest` even though it doesn't hash to it (a corrupt or substituted blob). */
  putAs(digest: string, content: string | Uint8Array, options?: { contentLength?: boolean }): void;
  putStreaming(digest: string, totalBytes: number): void;
  putStatus(digest: string, status: number): void;
  /** A presigned-looking URL for the blob (query carries fake credentials, as S3's do). */
  url(digest: string): string;
  readonly requests: ServedRequest[];
  close(): Promise<void>;
}

/** Placeholder credentials in every URL: tests assert they never reach an error, a finding or a log. */
export const FAKE_SIGNATURE =
  "X-Amz-Signature=c0ffee0000feedfacec0ffee0000feedfacec0ffee0000feedfacec0ffee0000";

const toBytes = (content: string | Uint8Array | object): Uint8Array =>
  content instanceof Uint8Array
    ? content
    : new TextEncoder().encode(typeof content === "string" ? content : JSON.stringify(content));

export const sha256 = (bytes: Uint8Array) => `sha256:${createHash("sha256").update(bytes).digest("hex")}`;

/**
 * A registry-like blob server on 127.0.0.1 standing in for the S3 URLs that ECR's
 * `GetDownloadUrlForLayer` returns: GET /blobs/<digest>?<signature> answers the blob.
 */
export async function startLocalRegistry(): Promise<LocalRegistry> {
  const blobs = new Map<string, Blob>();
  const requests: ServedRequest[] = [];

  function serve(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    const digest = decodeURIComponent(path.replace(/^\/blobs\//, ""));
    const blob = blobs.get(digest);
    const record: ServedRequest = { digest, status: 200, bytesSent: 0 };
    requests.push(record);
    if (!blob || blob.kind === "status") {
      record.status = blob?.status ?? 404;
      res.writeHead(record.status, { "content-type": "application/xml" });
      res.end(`<Error><Code>${record.status === 404 ? "NoSuchKey" : "InternalError"}</Code></Error>`);
      return;
    }
    if (blob.kind === "bytes") {
      res.writeHead(200, {
        "content-type": "application/octet-stream",
        ...(blob.contentLength ? { "content-length": String(blob.bytes.byteLength) } : {}),
      });
      record.bytesSent = blob.bytes.byteLength;
      res.end(blob.bytes);
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let closed = false;
    res.on("close", () => (closed = true));
    const pump = () => {
      while (!closed && record.bytesSent < blob.total) {
        const part = chunk.subarray(0, Math.min(chunk.byteLength, blob.total - record.bytesSent));
        record.bytesSent += part.byteLength;
        if (!res.write(part)) {
          res.once("drain", pump);
          return;
        }
      }
      if (!closed) res.end();
    };
    pump();
  }

  const server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    put(content) {
      const bytes = toBytes(content);
      const digest = sha256(bytes);
      blobs.set(digest, { kind: "bytes", bytes, contentLength: true });
      return { digest, size: bytes.byteLength, bytes };
    },
    putAs(digest, content, options = {}) {
      blobs.set(digest, {
        kind: "bytes",
        bytes: toBytes(content),
        contentLength: options.contentLength ?? true,
      });
    },
    putStreaming(digest, total) {
      blobs.set(digest, { kind: "stream", total });
    },
    putStatus(digest, status) {
      blobs.set(digest, { kind: "status", status });
    },
    url: (digest) =>
      `http://127.0.0.1:${port}/blobs/${encodeURIComponent(digest)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAXMPLEXAMPLEKEY12%2F20250318%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Expires=3600&${FAKE_SIGNATURE}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
