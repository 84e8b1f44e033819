import type { HistoryEntry } from "../../registry/types";

/** One `history[]` entry as the instruction that made it, without the builder's wrapping. */
interface HistoryLine {
  index: number;
  /** e.g. `ADD https://… /opt/` or `RUN /bin/sh -c curl … | sh`. */
  instruction: string;
}

/**
 * The classic builder writes `/bin/sh -c #(nop)  ADD file:… in /` for non-RUN instructions and
 * `/bin/sh -c <command>` for RUN (prefixed `|N ARG=…` when build args were set); BuildKit writes
 * `ADD src dest # buildkit` and `RUN /bin/sh -c <command> # buildkit`.
 */
function historyLines(history: readonly HistoryEntry[]): HistoryLine[] {
  return history.map((entry, index) => {
    let text = entry.createdBy.trim().replace(/\s+#\s*buildkit$/, "");
    const nop = /^\/bin\/sh -c #\(nop\)\s+/.exec(text);
    if (nop) text = text.slice(nop[0].length);
    else if (/^(\|\d+ .*?)?\/bin\/sh -c /.test(text)) text = `RUN ${text}`;
    return { index, instruction: text.trim() };
  });
}

/** Each history line for which `find` finds something, with what it found. */
export function findInHistory<T>(
  history: readonly HistoryEntry[],
  find: (instruction: string) => T | undefined,
): { index: number; found: T }[] {
  return historyLines(history).flatMap((line) => {
    const found = find(line.instruction);
    return found === undefined ? [] : [{ index: line.index, found }];
  });
}

/** The host of the first URL in `text`: where a download came from, never the URL (it may carry tokens). */
export function firstUrlHost(text: string): string | undefined {
  const match = /\b(?:https?|ftp):\/\/[^\s"'|;&)<>]+/i.exec(text);
  if (!match) return undefined;
  try {
    return new URL(match[0]).hostname || undefined;
  } catch {
    return undefined;
  }
}
