import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";

export interface LoadedEvent {
  file: string;
  event: unknown;
}

async function jsonFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return [path];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  const nested = await Promise.all(
    entries
      .filter((e) => e.isDirectory() || e.name.endsWith(".json"))
      .map((e) => (e.isDirectory() ? jsonFiles(join(path, e.name)) : Promise.resolve([join(path, e.name)]))),
  );
  return nested.flat();
}

/** Events from files and folders (recursively, by name); a file holds one event or an array of them. */
export async function loadEvents(paths: string[]): Promise<LoadedEvent[]> {
  const events: LoadedEvent[] = [];
  for (const file of (await Promise.all(paths.map(jsonFiles))).flat()) {
    const text = await readFile(file, "utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // Kept as an event so the pipeline rejects it with the same logged error as in Lambda.
      parsed = { unparseable: `${file}: ${(error as Error).message}` };
    }
    for (const event of Array.isArray(parsed) ? parsed : [parsed]) events.push({ file, event });
  }
  return events;
}
