import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { CONFIG_FILE_NAME, readConfigFile } from "../../shared/config/load";
import {
  CONFIG_SCHEMA_FILE_NAME,
  configJsonSchema,
  configJsonSchemaText,
} from "../../shared/config/json-schema";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

describe("vigil.config.json at the repository root", () => {
  it("is valid and names its JSON Schema for editors", () => {
    const file = path.join(ROOT, CONFIG_FILE_NAME);
    expect(() => readConfigFile(file)).not.toThrow();
    expect(JSON.parse(readFileSync(file, "utf8")).$schema).toBe(`./${CONFIG_SCHEMA_FILE_NAME}`);
  });

  it("vigil.config.schema.json is the one generated from the zod schema (regenerate: npx tsx shared/config/json-schema.ts)", async () => {
    const file = path.join(ROOT, CONFIG_SCHEMA_FILE_NAME);
    expect(readFileSync(file, "utf8")).toBe(await configJsonSchemaText(file));
  });

  it("the JSON Schema describes the per-account entries and OU exemptions, and allows $schema only as extra key", () => {
    const schema = configJsonSchema() as {
      additionalProperties: boolean;
      properties: Record<string, { items?: { properties?: Record<string, unknown> } }>;
    };
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.$schema).toEqual({ type: "string" });
    expect(Object.keys(schema.properties.accounts?.items?.properties ?? {})).toEqual([
      "accounts",
      "organizationalUnits",
      "modes",
      "modeOverride",
      "reason",
    ]);
    expect(schema.properties.exemptions?.items?.properties?.organizationalUnits).toMatchObject({
      type: "array",
      items: { pattern: "^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$" },
    });
  });
});
