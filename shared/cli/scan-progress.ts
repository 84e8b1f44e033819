import type { SweepUnitResult } from "../sweep/report";

/**
 * Progress on stderr: one line redrawn in place on a terminal, one plain line per unit otherwise
 * (CI logs, pipes), so stdout carries only the report.
 */
export function scanProgress(
  out: NodeJS.WriteStream | NodeJS.WritableStream,
  isTty = "isTTY" in out && out.isTTY === true,
): { unitDone(result: SweepUnitResult, done: number, total: number): void; finish(): void } {
  let drawn = false;
  return {
    unitDone(result, done, total) {
      const what = `${result.region} ${result.resourceType}: ${result.outcome}, ${result.resources} resources`;
      const detail = result.outcome === "failed" ? ` (${result.error ?? "unknown error"})` : "";
      if (isTty) {
        out.write(`\r\x1b[K[${done}/${total}] ${what}${detail}`);
        drawn = true;
      } else {
        out.write(`unit done [${done}/${total}] ${what}${detail} in ${result.durationMs} ms\n`);
      }
    },
    finish() {
      if (drawn) out.write("\n");
    },
  };
}
