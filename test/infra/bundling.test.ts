import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourcesOfType, synthVigil, removeSynthOutputs } from "./synth";

let bundles: { id: string; code: string; dir: string }[];

beforeAll(() => {
  const { app, template } = synthVigil({ bundle: true });
  bundles = resourcesOfType(template, "AWS::Lambda::Function").map(([id, fn]) => {
    const key = (fn.Properties?.Code as { S3Key: string }).S3Key;
    const dir = path.join(app.outdir, `asset.${key.replace(/\.zip$/, "")}`);
    return { id, dir, code: readFileSync(path.join(dir, "index.mjs"), "utf8") };
  });
}, 120_000);

afterAll(removeSynthOutputs);

describe("function bundles", () => {
  it("are built for both functions", () => {
    expect(bundles.map((bundle) => bundle.id.replace(/Function.*$/, "")).sort()).toEqual([
      "CloudTrailEvent",
      "ConfigChange",
    ]);
  });

  it("are ESM with the require shim first, minified, with a source map", () => {
    for (const { id, code, dir } of bundles) {
      expect(code.startsWith("import { createRequire as topLevelCreateRequire } from 'module';"), id).toBe(
        true,
      );
      expect(code).toMatch(/export\s*\{[^}]*\bas handler\b|export\s*\{\s*handler\s*\}/);
      expect(code).toContain("//# sourceMappingURL=index.mjs.map");
      expect(existsSync(path.join(dir, "index.mjs.map")), id).toBe(true);
      // Minified: unminified esbuild output averages about 30 characters a line.
      expect(code.split("\n").length, id).toBeLessThan(code.length / 50);
    }
  });

  it("import nothing but Node built-ins (the AWS SDK and other dependencies are bundled)", () => {
    const builtins = new Set(builtinModules);
    for (const { id, code } of bundles) {
      // Top-level import statements (at the start of a line or after `;`) and literal dynamic imports.
      const statements =
        /(?:^|;)import\s*(?:[\w$*\s{},]+from\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;
      const imported = [...code.matchAll(statements)].map((match) => match[1] ?? match[2] ?? "");
      expect(imported, id).toContain("module");
      const external = imported.filter((name) => !name.startsWith("node:") && !builtins.has(name));
      expect(external, id).toEqual([]);
    }
  });
});
