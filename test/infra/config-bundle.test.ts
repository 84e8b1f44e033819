import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load";
import { removeSynthOutputs, resourcesOfType, synthVigil } from "./synth";

afterAll(removeSynthOutputs);

describe("the configuration ships in every function's bundle", () => {
  it("each handler asset holds vigil.config.json with the validated config; no VIGIL_CONFIG variable", () => {
    const input = {
      modes: { "EC2.18": "off" },
      accounts: [{ accounts: ["222233334444"], modeOverride: "dry-run" }],
    };
    const { app, template } = synthVigil({ bundle: true, context: { vigilConfig: input } });
    const outdir = app.synth().directory;
    for (const [id, fn] of resourcesOfType(template, "AWS::Lambda::Function")) {
      const variables = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)
        ?.Variables;
      expect(variables?.VIGIL_CONFIG, id).toBeUndefined();
    }
    const bundles = readdirSync(outdir)
      .filter((name) => name.startsWith("asset.") && existsSync(path.join(outdir, name, "index.mjs")))
      .map((name) => path.join(outdir, name));
    expect(bundles.length).toBeGreaterThanOrEqual(
      resourcesOfType(template, "AWS::Lambda::Function").length - 1,
    );
    for (const bundle of bundles) {
      const shipped = JSON.parse(readFileSync(path.join(bundle, "vigil.config.json"), "utf8"));
      expect(shipped, bundle).toEqual(parseConfig(input));
    }
  }, 300_000);
});
