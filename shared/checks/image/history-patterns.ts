import { firstUrlHost } from "./history";

export interface RemoteAdd {
  /** Host of the first remote source (never the URL: it may carry tokens). */
  host?: string;
  /** `ADD --checksum=…` pins the content, so the download is verified. */
  checksumPinned: boolean;
}

const REMOTE_SOURCE = /^((https?|ftp|ssh|git):\/\/|git@[^:\s]+:)/i;

/** `ADD` instructions with a remote source (URL or Git), as BuildKit records them in history. */
export function remoteAdd(instruction: string): RemoteAdd | undefined {
  const match = /^ADD\s+([\s\S]*)$/.exec(instruction);
  if (!match) return undefined;
  let rest = (match[1] ?? "").trim();
  const flags: string[] = [];
  for (let flag = /^--\S+\s+/.exec(rest); flag; flag = /^--\S+\s+/.exec(rest)) {
    flags.push(flag[0].trim());
    rest = rest.slice(flag[0].length);
  }
  let args: string[];
  if (rest.startsWith("[")) {
    try {
      const parsed: unknown = JSON.parse(rest);
      args = Array.isArray(parsed) ? parsed.filter((a): a is string => typeof a === "string") : [];
    } catch {
      args = rest.split(/\s+/);
    }
  } else args = rest.split(/\s+/);
  const remote = args.slice(0, -1).find((source) => REMOTE_SOURCE.test(source));
  if (!remote) return undefined;
  const host = firstUrlHost(remote) ?? /^git@([^:\s]+):/i.exec(remote)?.[1];
  return { ...(host ? { host } : {}), checksumPinned: flags.some((f) => f.startsWith("--checksum=")) };
}

export interface PipeToShell {
  downloader: "curl" | "wget";
  host?: string;
}

// A shell, possibly by path, behind sudo (with flags) or env: `sh`, `bash`, `/bin/sh`, `sudo -E bash`.
const SHELL = String.raw`(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+(?:\S+=\S*\s+)*)?(?:\/[\w./-]*\/)?(?:ba|da|z|k|a)?sh(?![\w.-])`;
const PATTERNS = [
  // curl … | sh (a single pipe; `||` is a fallback, not a pipe), possibly through other filters.
  new RegExp(String.raw`\b(curl|wget)\b[^;&]*?(?<!\|)\|(?!\|)\s*${SHELL}`),
  // sh -c "$(curl …)"
  new RegExp(String.raw`\b(?:ba|da|z|k|a)?sh\s+-c\s+["']?\$\(\s*(curl|wget)\b`),
  // bash <(curl …)
  new RegExp(String.raw`\b(?:ba|da|z|k)?sh\s+<\(\s*(curl|wget)\b`),
];

/** A download executed unseen by a shell in a `RUN` line. */
export function pipeToShell(instruction: string): PipeToShell | undefined {
  if (!instruction.startsWith("RUN ")) return undefined;
  for (const pattern of PATTERNS) {
    const match = pattern.exec(instruction);
    if (!match) continue;
    const host = firstUrlHost(instruction.slice(match.index));
    return { downloader: match[1] === "wget" ? "wget" : "curl", ...(host ? { host } : {}) };
  }
  return undefined;
}
