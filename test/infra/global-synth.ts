import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, Stack, type Environment } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { buildVigilApp } from "../../infra/build-app";
import type { ForwarderStack } from "../../infra/forwarder-stack";
import { GLOBAL_EVENTS_STACK_ID } from "../../infra/global-events";
import type { VigilStack } from "../../infra/vigil-stack";

export const ACCOUNT = "111122223333";

export interface SynthesizedApp {
  app: App;
  home: VigilStack;
  homeTemplate: Template;
  forwarder?: ForwarderStack;
  forwarderTemplate?: Template;
}

const outdirs: string[] = [];

/** Context that skips esbuild (the templates are the same); also for apps a test builds itself. */
export const NO_BUNDLING = { "aws:cdk:bundling-stacks": [] };

export function removeGlobalSynthOutputs(): void {
  for (const outdir of outdirs.splice(0)) rmSync(outdir, { recursive: true, force: true });
}

/**
 * Builds the app as `infra/app.ts` does (cdk-nag included, bundling skipped) for a home in `env`,
 * and synthesizes every stack it holds (with CloudFormation schema validation if asked: slower).
 */
export function synthHome(
  env: Environment | undefined,
  options: { cfnValidation?: boolean } = {},
): SynthesizedApp {
  const outdir = mkdtempSync(path.join(tmpdir(), "vigil-global-"));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    builtinCloudFormationValidation: options.cfnValidation ?? false,
    context: NO_BUNDLING,
  });
  const home = buildVigilApp(app, env);
  const child = app.node.tryFindChild(GLOBAL_EVENTS_STACK_ID);
  const forwarder = child && Stack.isStack(child) ? (child as ForwarderStack) : undefined;
  return {
    app,
    home,
    homeTemplate: Template.fromStack(home),
    forwarder,
    forwarderTemplate: forwarder && Template.fromStack(forwarder),
  };
}

/** Replaces `{ Ref: "AWS::Partition" }` joins by the `aws` partition, so ARNs compare as strings. */
export function resolvePartition(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(resolvePartition);
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if (record.Ref === "AWS::Partition") return "aws";
  const join = record["Fn::Join"];
  if (Array.isArray(join)) {
    const [delimiter, parts] = join as [string, unknown[]];
    const resolved = parts.map(resolvePartition);
    if (resolved.every((part) => typeof part === "string")) return resolved.join(delimiter);
    return { "Fn::Join": [delimiter, resolved] };
  }
  return Object.fromEntries(Object.entries(record).map(([key, inner]) => [key, resolvePartition(inner)]));
}
