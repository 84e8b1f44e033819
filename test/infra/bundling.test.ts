import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resourcesOfType, synthVigil, removeSynthOutputs } from "./synth";

interface Bundle {
  id: string;
  /** The handler file, `index.mjs`. */
  code: string;
  dir: string;
  /** Every JavaScript file of the asset (handler file and chunks) by path relative to `dir`. */
  files: Map<string, string>;
}

let bundles: Bundle[];

function javascriptFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (entry.endsWith(".mjs"))
      files.set(entry.split(path.sep).join("/"), readFileSync(path.join(dir, entry), "utf8"));
  }
  return files;
}

beforeAll(() => {
  const { app, template } = synthVigil({ bundle: true });
  bundles = resourcesOfType(template, "AWS::Lambda::Function").map(([id, fn]) => {
    const key = (fn.Properties?.Code as { S3Key: string }).S3Key;
    const dir = path.join(app.outdir, `asset.${key.replace(/\.zip$/, "")}`);
    return { id, dir, code: readFileSync(path.join(dir, "index.mjs"), "utf8"), files: javascriptFiles(dir) };
  });
}, 120_000);

afterAll(removeSynthOutputs);

// Top-level import statements (at the start of a line or after `;`) and literal dynamic imports.
const IMPORTS =
  /(?:^|;)import\s*(?:[\w$*\s{},]+from\s*)?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm;

/** What a file imports: `static` loads with it, `dynamic` on first use. */
function importsOf(code: string): { static: string[]; dynamic: string[] } {
  const found = { static: [] as string[], dynamic: [] as string[] };
  for (const match of code.matchAll(IMPORTS)) {
    if (match[1] !== undefined) found.static.push(match[1]);
    else found.dynamic.push(match[2] ?? "");
  }
  return found;
}

const isRelative = (specifier: string) => specifier.startsWith("./") || specifier.startsWith("../");

/** The bundle's own file a relative import names, as a key of `Bundle.files`. */
function resolveIn(from: string, specifier: string): string {
  return path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
}

/** The handler file and every chunk it imports statically, transitively: what Lambda loads at init. */
function loadedAtInit(bundle: Bundle): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of importsOf(bundle.files.get(file) ?? "").static.filter(isRelative)) {
      visit(resolveIn(file, specifier));
    }
  };
  visit("index.mjs");
  return seen;
}

/** Strings only the given SDK package's code contains (API versions, the EC2 XML namespace, a log line). */
const SDK_MARKERS: Record<string, string> = {
  "client-ec2": "http://ec2.amazonaws.com/doc/2016-11-15",
  "client-config-service": 'apiVersion:"2014-11-12"',
  "client-sns": 'apiVersion:"2010-03-31"',
  "client-secrets-manager": 'apiVersion:"2017-10-17"',
  "credential-providers": "@aws-sdk/credential-providers - fromTemporaryCredentials",
};

describe("function bundles", () => {
  it("are built for every function", () => {
    expect(bundles.map((bundle) => bundle.id.replace(/Function.*$/, "")).sort()).toEqual([
      "CloudTrailEvent",
      "ConfigChange",
      "EksAudit",
      "EksAuditSubscriber",
      "ServiceEvent",
      "SweepPlanner",
      "SweepWorker",
    ]);
  });

  it("are ESM with the require shim first, minified, with a source map", () => {
    for (const { id, code, dir, files } of bundles) {
      expect(code.startsWith("import { createRequire as topLevelCreateRequire } from 'module';"), id).toBe(
        true,
      );
      expect(code).toMatch(/export\s*\{[^}]*\bas handler\b|export\s*\{\s*handler\s*\}/);
      expect(code).toContain("//# sourceMappingURL=index.mjs.map");
      expect(existsSync(path.join(dir, "index.mjs.map")), id).toBe(true);
      // Minified: unminified esbuild output averages about 30 characters a line.
      expect(code.split("\n").length, id).toBeLessThan(code.length / 50);
      // Chunks are modules of their own: each needs the shim, and has its map.
      for (const [file, chunk] of files) {
        expect(chunk.startsWith("import { createRequire as topLevelCreateRequire }"), file).toBe(true);
        expect(existsSync(path.join(dir, `${file}.map`)), file).toBe(true);
      }
    }
  });

  it("import nothing but Node built-ins (the AWS SDK and other dependencies are bundled)", () => {
    const builtins = new Set(builtinModules);
    for (const { id, code, files } of bundles) {
      expect(importsOf(code).static, id).toContain("module");
      for (const [file, text] of files) {
        const { static: loaded, dynamic } = importsOf(text);
        const imported = [...loaded, ...dynamic];
        // The bundle's own chunks are not dependencies, as long as they are in the bundle.
        const chunks = imported.filter(isRelative);
        for (const chunk of chunks)
          expect(files.has(resolveIn(file, chunk)), `${file} -> ${chunk}`).toBe(true);
        const external = imported
          .filter((name) => !isRelative(name))
          .filter((name) => !name.startsWith("node:") && !builtins.has(name));
        expect(external, `${id} ${file}`).toEqual([]);
      }
    }
  });

  it("include the SDK clients, but load EC2, Config, SNS, Secrets Manager and credentials on first use", () => {
    for (const bundle of bundles) {
      const init = loadedAtInit(bundle);
      expect(init.size, bundle.id).toBeLessThan(bundle.files.size);
      for (const [sdk, marker] of Object.entries(SDK_MARKERS)) {
        const holders = [...bundle.files].filter(([, text]) => text.includes(marker)).map(([file]) => file);
        expect(holders.length, `${bundle.id}: ${sdk} is bundled`).toBeGreaterThan(0);
        expect(
          holders.filter((file) => init.has(file)),
          `${bundle.id}: ${sdk} is not loaded at init`,
        ).toEqual([]);
      }
    }
  });

  it("load at init a fraction of what they hold", () => {
    for (const bundle of bundles) {
      const size = (files: Iterable<string>) =>
        [...files].reduce((sum, file) => sum + (bundle.files.get(file)?.length ?? 0), 0);
      // About 0.5 of 1.5 MB today, most of it zod; the EC2 client alone is over 0.5 MB.
      expect(size(loadedAtInit(bundle)), bundle.id).toBeLessThan(size(bundle.files.keys()) / 2);
    }
  });
});
