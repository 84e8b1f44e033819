import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, Stack, type Environment } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { buildVigilApp } from "../../infra/build-app";
import type { VigilStack } from "../../infra/vigil-stack";
import type { VigilConfigInput } from "../../shared/config/schema";

export const ACCOUNT = "111122223333";
export const MEMBER_ACCOUNT = "444455556666";

const outdirs: string[] = [];

export function removeMultiRegionOutputs(): void {
  for (const outdir of outdirs.splice(0)) rmSync(outdir, { recursive: true, force: true });
}

export interface SynthesizedVigil {
  app: App;
  home: VigilStack;
  homeTemplate: Template;
  /** Every other stack of the app, by construct id. */
  stacks: Map<string, Stack>;
  templates: Map<string, Template>;
}

/** A fresh App reading `config` from a configuration file, as `cdk synth` does; bundling skipped. */
export function vigilApp(config: VigilConfigInput): App {
  const outdir = mkdtempSync(path.join(tmpdir(), "vigil-multi-"));
  outdirs.push(outdir);
  const configFile = path.join(outdir, "vigil.config.json");
  writeFileSync(configFile, JSON.stringify(config));
  return new App({
    outdir: path.join(outdir, "cdk.out"),
    context: { "aws:cdk:bundling-stacks": [], vigilConfigFile: configFile },
  });
}

/** Builds the app through `buildVigilApp` (cdk-nag runs at synth) and synthesizes every stack. */
export function synthWith(config: VigilConfigInput, env: Environment): SynthesizedVigil {
  const app = vigilApp(config);
  const home = buildVigilApp(app, env);
  app.synth();
  const stacks = new Map<string, Stack>();
  for (const child of app.node.children)
    if (Stack.isStack(child) && child !== home) stacks.set(child.node.id, child);
  const templates = new Map([...stacks].map(([id, stack]) => [id, Template.fromStack(stack)]));
  // Other slices' constructs are checked for cycles by their own tests.
  const homeTemplate = Template.fromStack(home, { skipCyclicalDependenciesCheck: true });
  return { app, home, homeTemplate, stacks, templates };
}

/** Resolves the pseudo parameters and `Fn::Join`s of ARNs for an account and Region. */
export function resolveFor(value: unknown, account: string, region: string): unknown {
  if (Array.isArray(value)) return value.map((inner) => resolveFor(inner, account, region));
  if (!value || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const pseudo: Record<string, string> = {
    "AWS::Partition": "aws",
    "AWS::AccountId": account,
    "AWS::Region": region,
    "AWS::URLSuffix": "amazonaws.com",
  };
  if (typeof record.Ref === "string" && pseudo[record.Ref]) return pseudo[record.Ref];
  const join = record["Fn::Join"];
  if (Array.isArray(join)) {
    const [delimiter, parts] = join as [string, unknown[]];
    const resolved = parts.map((part) => resolveFor(part, account, region));
    if (resolved.every((part) => typeof part === "string")) return resolved.join(delimiter);
    return { "Fn::Join": [delimiter, resolved] };
  }
  return Object.fromEntries(
    Object.entries(record).map(([key, inner]) => [key, resolveFor(inner, account, region)]),
  );
}

export interface RuleOf {
  id: string;
  pattern: Record<string, unknown>;
  properties: Record<string, unknown>;
}

/** The template's rules with their patterns resolved for `account` and `region`. */
export function rulesOf(
  template: Template | Record<string, unknown>,
  account: string,
  region: string,
): RuleOf[] {
  const resources =
    template instanceof Template
      ? (template.findResources("AWS::Events::Rule") as Record<
          string,
          { Properties: Record<string, unknown> }
        >)
      : Object.fromEntries(
          Object.entries(
            template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>,
          ).filter(([, resource]) => resource.Type === "AWS::Events::Rule"),
        );
  return Object.entries(resources).map(([id, resource]) => ({
    id,
    properties: resource.Properties,
    pattern: resolveFor(resource.Properties.EventPattern, account, region) as Record<string, unknown>,
  }));
}

/** An event as `event`, from another account and Region (what a forwarder delivers keeps them). */
export function from<T extends Record<string, unknown>>(event: T, account: string, region: string): T {
  const detail = (event.detail ?? {}) as Record<string, unknown>;
  return {
    ...event,
    account,
    region,
    detail: {
      ...detail,
      ...("awsRegion" in detail ? { awsRegion: region } : {}),
      ...("recipientAccountId" in detail ? { recipientAccountId: account } : {}),
    },
  };
}
