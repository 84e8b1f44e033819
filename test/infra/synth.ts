import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { buildVigilApp } from "../../infra/build-app";
import type { VigilStack } from "../../infra/vigil-stack";

/** A fixed environment, so ARNs in the template are literal apart from the partition. */
export const TEST_ENV = { account: "111122223333", region: "us-east-1" } as const;
export const REMEDIATION_ROLE_ARN = `arn:aws:iam::${TEST_ENV.account}:role/vigil-remediation-${TEST_ENV.region}`;

export interface SynthOptions {
  /** CDK context; a `vigilConfig` here (object or JSON string) is written to a file read through `vigilConfigFile`. */
  context?: Record<string, unknown>;
  /** Run esbuild for the functions (slower); off by default, the template is the same. */
  bundle?: boolean;
  /** Run CDK's built-in CloudFormation schema validation (about 7 s); off by default. */
  cfnValidation?: boolean;
}

export interface Synthesized {
  app: App;
  stack: VigilStack;
  template: Template;
}

const outdirs: string[] = [];

/** Removes what `synthVigil` wrote (bundles are megabytes); call it from `afterAll`. */
export function removeSynthOutputs(): void {
  for (const outdir of outdirs.splice(0)) rmSync(outdir, { recursive: true, force: true });
}

/** Builds the app exactly as `infra/app.ts` does (cdk-nag included) and synthesizes it once. */
export function synthVigil(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), "vigil-cdk-"));
  outdirs.push(outdir);
  // The configuration comes from a file (infra/context.ts), as `cdk synth` reads vigil.config.json.
  const { vigilConfig, ...context } = options.context ?? {};
  if (vigilConfig !== undefined) {
    const configFile = path.join(outdir, "vigil.config.json");
    writeFileSync(configFile, typeof vigilConfig === "string" ? vigilConfig : JSON.stringify(vigilConfig));
    context.vigilConfigFile = configFile;
  }
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.cfnValidation ?? false,
    context: { ...context, ...(options.bundle ? {} : { "aws:cdk:bundling-stacks": [] }) },
  });
  const stack = buildVigilApp(app, TEST_ENV);
  return { app, stack, template: Template.fromStack(stack) };
}

export type CfnResource = { Type: string; Properties?: Record<string, unknown>; [key: string]: unknown };

export function resourcesOfType(template: Template, type: string): [string, CfnResource][] {
  return Object.entries(template.findResources(type) as Record<string, CfnResource>);
}

/**
 * Resolves the intrinsics a template uses for ARNs (`Ref` to pseudo parameters, `Fn::Join`) in the
 * test environment, so patterns and policies can be compared with real ARNs.
 */
export function resolvePseudo(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolvePseudo);
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const pseudo: Record<string, string> = {
    "AWS::Partition": "aws",
    "AWS::Region": TEST_ENV.region,
    "AWS::AccountId": TEST_ENV.account,
    "AWS::URLSuffix": "amazonaws.com",
  };
  if (typeof record.Ref === "string" && pseudo[record.Ref]) return pseudo[record.Ref];
  const join = record["Fn::Join"];
  if (Array.isArray(join)) {
    const [delimiter, parts] = join as [string, unknown[]];
    const resolved = parts.map(resolvePseudo);
    if (resolved.every((part) => typeof part === "string")) return resolved.join(delimiter);
    return { "Fn::Join": [delimiter, resolved] };
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, resolvePseudo(inner)]));
}
