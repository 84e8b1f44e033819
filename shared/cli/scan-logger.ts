import type { VigilLogger } from "../log";

const LEVELS = ["debug", "info", "warn", "error"] as const;
type Level = (typeof LEVELS)[number];

/**
 * `vigil scan` logs JSON lines to stderr only: stdout carries the report (`--format json` must
 * parse). Level from POWERTOOLS_LOG_LEVEL like the rest of Vigil (default WARN; SILENT or
 * CRITICAL print nothing).
 */
export function stderrLogger(
  out: NodeJS.WritableStream,
  level = process.env.POWERTOOLS_LOG_LEVEL,
): VigilLogger {
  const wanted = (level ?? "WARN").toLowerCase();
  const threshold = LEVELS.indexOf(wanted as Level);
  const silent = threshold < 0 && wanted !== "trace";
  const at =
    (name: Level) =>
    (message: unknown, ...attributes: unknown[]) => {
      if (silent || LEVELS.indexOf(name) < Math.max(threshold, 0)) return;
      const extra = Object.assign({}, ...attributes.map(loggable)) as Record<string, unknown>;
      out.write(`${JSON.stringify({ level: name.toUpperCase(), message: String(message), ...extra })}\n`);
    };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") } as VigilLogger;
}

function loggable(attribute: unknown): Record<string, unknown> {
  if (attribute instanceof Error) return { error: `${attribute.name}: ${attribute.message}` };
  if (typeof attribute !== "object" || attribute === null) return { detail: attribute };
  return Object.fromEntries(
    Object.entries(attribute).map(([k, v]) => [k, v instanceof Error ? `${v.name}: ${v.message}` : v]),
  );
}
