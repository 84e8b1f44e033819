import { readFileSync } from "node:fs";
import { join } from "node:path";

const EVENTS = join(import.meta.dirname, "..", "..", "events");

/** A fixture from the project's `events/` folder, fresh each call so a test may change it. */
export function loadEvent(
  relativePath: string,
): Record<string, unknown> & { id: string; detail: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(EVENTS, relativePath), "utf8"));
}

export const sg = (name: string) => loadEvent(`security-group/${name}.json`);
