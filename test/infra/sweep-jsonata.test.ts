import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeSynthOutputs, resourcesOfType, synthVigil } from "./synth";

/**
 * The sweep state machine's JSONata expressions (infra/sweep.ts), taken from the synthesized
 * definition and evaluated with the `jsonata` package (the language Step Functions runs) on the
 * states' inputs and results: the pair's types, the per-pair counts, the summary and the verdict.
 * Runs when `jsonata` is installed (a devDependency); skipped otherwise.
 */
type Evaluate = (expression: string) => {
  evaluate(input: unknown, bindings?: Record<string, unknown>): Promise<unknown>;
};
const MODULE = "jsonata";
const jsonata = await import(/* @vite-ignore */ MODULE)
  .then((module: { default: Evaluate }) => module.default)
  .catch(() => undefined);

interface State {
  [key: string]: unknown;
  ItemProcessor?: { States: Record<string, State> };
}
let states: Record<string, State> = {};

/** Evaluates one `{% ... %}` field of a state with `$states` bound as Step Functions binds it. */
async function run(expression: unknown, bound: Record<string, unknown>): Promise<unknown> {
  if (!jsonata) throw new Error("jsonata is not installed");
  const text = String(expression);
  const match = /^\{%([\s\S]*)%\}$/.exec(text);
  if (!match?.[1]) throw new Error(`not a JSONata field: ${text}`);
  return jsonata(match[1]).evaluate({}, { states: bound });
}
async function runAll(fields: unknown, bound: Record<string, unknown>): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields as Record<string, unknown>))
    out[key] = typeof value === "string" && value.startsWith("{%") ? await run(value, bound) : value;
  return out;
}

const PLAN = {
  startedAt: "2026-11-27T00:00:00Z",
  homeAccount: "111122223333",
  accounts: 2,
  regions: ["eu-west-1", "us-east-1"],
  units: 5,
  resourceTypes: { "0": ["AWS::EC2::SecurityGroup", "AWS::IAM::Role"], "1": ["AWS::EC2::SecurityGroup"] },
  pairs: [
    { account: "111122223333", region: "eu-west-1", types: "0" },
    { account: "111122223333", region: "us-east-1", types: "1" },
    { account: "222233334444", region: "eu-west-1", types: "0" },
  ],
};

describe.skipIf(!jsonata)("sweep state machine: its JSONata, evaluated", () => {
  beforeAll(() => {
    const { template } = synthVigil();
    const [[, machine] = []] = resourcesOfType(template, "AWS::StepFunctions::StateMachine");
    const body = machine?.Properties?.DefinitionString as { "Fn::Join": [string, unknown[]] };
    // Every token (function ARNs, the partition) sits inside a string of the definition.
    const text = body["Fn::Join"][1].map((part) => (typeof part === "string" ? part : "TOKEN")).join("");
    const asl = JSON.parse(text) as { States: Record<string, State> };
    const collect = (from: Record<string, State>) => {
      for (const [name, state] of Object.entries(from)) {
        states[name] = state;
        if (state.ItemProcessor) collect(state.ItemProcessor.States);
      }
    };
    states = {};
    collect(asl.States);
  }, 180_000);
  afterAll(removeSynthOutputs);

  it("a pair's child input: its account, Region and the type list it names", async () => {
    const map = states.SweepAccountsAndRegions ?? {};
    expect(await run(map.Items, { input: PLAN })).toEqual(PLAN.pairs);
    expect(
      await runAll(map.ItemSelector, {
        input: PLAN,
        context: { Map: { Item: { Index: 1, Value: PLAN.pairs[1] } } },
      }),
    ).toEqual({
      account: "111122223333",
      region: "us-east-1",
      resourceTypes: ["AWS::EC2::SecurityGroup"],
      startedAt: PLAN.startedAt,
      homeAccount: PLAN.homeAccount,
    });
  });

  it("a unit's worker input: the pair's account and Region with one type", async () => {
    const pair = {
      account: "222233334444",
      region: "eu-west-1",
      resourceTypes: ["AWS::IAM::Role"],
      startedAt: PLAN.startedAt,
      homeAccount: PLAN.homeAccount,
    };
    expect(
      await runAll(states.SweepPair?.ItemSelector, {
        input: pair,
        context: { Map: { Item: { Index: 0, Value: "AWS::IAM::Role" } } },
      }),
    ).toEqual({
      account: "222233334444",
      region: "eu-west-1",
      resourceType: "AWS::IAM::Role",
      startedAt: PLAN.startedAt,
      homeAccount: PLAN.homeAccount,
    });
  });

  it("a pair's counts: completed and failed units (a caught one among them), zero when none", async () => {
    const count = (result: unknown[]) => runAll(states.SweepPair?.Output, { input: {}, result });
    expect(
      await count([
        { resourceType: "A", outcome: "completed", resources: 3 },
        { resourceType: "B", outcome: "failed", error: "SweepUnitFailed" },
        { resourceType: "C", outcome: "completed", resources: 0 },
      ]),
    ).toEqual({ completed: 2, failed: 1 });
    expect(await count([{ resourceType: "A", outcome: "completed" }])).toEqual({ completed: 1, failed: 0 });
  });

  it("the summary sums the pairs; a child that failed outright (an error, no counts) is a failed pair", async () => {
    const summary = await runAll(states.SweepAccountsAndRegions?.Output, {
      input: PLAN,
      result: [
        { completed: 2, failed: 0 },
        { completed: 0, failed: 1 },
        { Error: "States.Timeout", Cause: "..." },
      ],
    });
    expect(summary).toEqual({
      startedAt: PLAN.startedAt,
      accounts: 2,
      regions: PLAN.regions,
      pairs: 3,
      units: 5,
      completed: 2,
      failed: 1,
      pairsFailed: 1,
    });
    const verdict = states.AllUnitsCompleted as { Choices: { Condition: string }[] };
    expect(await run(verdict.Choices[0]?.Condition, { input: summary })).toBe(false);
    expect(await run(states.SweepIncomplete?.Cause, { input: summary })).toBe(
      "sweep 2026-11-27T00:00:00Z: 1 of 5 units failed, 1 of 3 account/Region pairs did not finish (the execution history says which)",
    );
  });

  it("every unit done: the verdict is success", async () => {
    const summary = await runAll(states.SweepAccountsAndRegions?.Output, {
      input: PLAN,
      result: [
        { completed: 2, failed: 0 },
        { completed: 1, failed: 0 },
        { completed: 2, failed: 0 },
      ],
    });
    expect(summary).toMatchObject({ completed: 5, failed: 0, pairsFailed: 0 });
    const verdict = states.AllUnitsCompleted as { Choices: { Condition: string }[] };
    expect(await run(verdict.Choices[0]?.Condition, { input: summary })).toBe(true);
  });
});
