import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { vigilConfigSchema } from "./schema";

/** Generated beside `vigil.config.json`, which names it in `$schema` for editors' completion and checks. */
export const CONFIG_SCHEMA_FILE_NAME = "vigil.config.schema.json";

/**
 * The JSON Schema of the configuration file, from the zod schema (what the file may contain:
 * defaulted settings are optional). Editors only: `parseConfig` stays the judge (check ids, refinements).
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(vigilConfigSchema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  const properties = schema.properties as Record<string, unknown>;
  return {
    ...schema,
    title: "Vigil configuration (vigil.config.json)",
    // The file names its schema; every other unknown key is an error.
    properties: { $schema: { type: "string" }, ...properties },
  };
}

/** The file's text, formatted as `prettier --check` expects it. */
export async function configJsonSchemaText(file: string): Promise<string> {
  const prettier = await import("prettier");
  const options = await prettier.resolveConfig(file);
  return prettier.format(JSON.stringify(configJsonSchema()), { ...options, filepath: file });
}

// `npx tsx shared/config/json-schema.ts` regenerates the file at the repository root.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = fileURLToPath(new URL(`../../${CONFIG_SCHEMA_FILE_NAME}`, import.meta.url));
  writeFileSync(file, await configJsonSchemaText(file));
  console.log(`wrote ${file}`);
}
