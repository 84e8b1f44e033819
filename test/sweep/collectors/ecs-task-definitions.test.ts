import {
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionFamiliesCommand,
  type ListTaskDefinitionFamiliesCommandInput,
  type ListTaskDefinitionFamiliesCommandOutput,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import type { CloudTrailDetail } from "../../../shared/events/cloudtrail";
import adapter from "../../../shared/resources/ecs-task-definition/adapter";
import defaultCollector, {
  ecsTaskDefinitionsCollector,
} from "../../../shared/sweep/collectors/ecs-task-definitions";
import { loadEvent } from "../../support/events";
import { collectAll, collectContext, credentials, pagedAnswers, verdicts, violated } from "./data-context";

const ecs = new ECSClient({ region: "us-east-1", credentials });
const mock = mockClient(ecs);
afterEach(() => mock.reset());

/** A RegisterTaskDefinition event: its response is the revision exactly as DescribeTaskDefinition shows it. */
function registered(path: string): { detail: CloudTrailDetail; definition: TaskDefinition } {
  const detail = loadEvent(path).detail as unknown as CloudTrailDetail;
  const response = detail.responseElements as { taskDefinition: TaskDefinition };
  return { detail, definition: response.taskDefinition };
}

describe("ECS task definitions collector", () => {
  const privileged = registered("ecs/register-root-privileged-env-secrets.json");
  const compliant = registered("ecs/register-compliant-revision-8.json");

  function answer(definitions: Record<string, TaskDefinition | undefined>) {
    for (const [family, definition] of Object.entries(definitions)) {
      const call = mock.on(DescribeTaskDefinitionCommand, { taskDefinition: family, include: ["TAGS"] });
      if (definition) call.resolves({ taskDefinition: definition, tags: [{ key: "team", value: "orders" }] });
      else
        call.rejects(
          Object.assign(new Error("Unable to describe task definition."), { name: "ClientException" }),
        );
    }
  }

  it("pages ACTIVE families and reads each family's latest ACTIVE revision once", async () => {
    const pages = pagedAnswers<
      ListTaskDefinitionFamiliesCommandInput,
      ListTaskDefinitionFamiliesCommandOutput
    >("nextToken", {
      "": { families: ["reporting-worker", "gone-meanwhile"], nextToken: "t2" },
      t2: { families: [compliant.definition.family ?? ""] },
    });
    mock.on(ListTaskDefinitionFamiliesCommand).callsFake(pages.answer);
    answer({
      "reporting-worker": privileged.definition,
      "gone-meanwhile": undefined,
      [compliant.definition.family ?? ""]: compliant.definition,
    });
    const found = await collectAll(ecsTaskDefinitionsCollector(2), collectContext({ ecs }));

    expect(pages.seen).toEqual([
      { status: "ACTIVE", maxResults: 2 },
      { status: "ACTIVE", maxResults: 2, nextToken: "t2" },
    ]);
    expect(mock.commandCalls(DescribeTaskDefinitionCommand).map((c) => c.args[0].input)).toEqual([
      { taskDefinition: "reporting-worker", include: ["TAGS"] },
      { taskDefinition: "gone-meanwhile", include: ["TAGS"] },
      { taskDefinition: compliant.definition.family, include: ["TAGS"] },
    ]);
    // A family whose last ACTIVE revision went away meanwhile is skipped, not an error.
    expect(found.map((o) => o.resource.id)).toEqual(["reporting-worker", compliant.definition.family]);
    for (const o of found) {
      expect([o.complete, o.tagsKnown]).toEqual([true, true]);
      expect(o.state?.tags).toEqual({ team: "orders" });
    }
    // Never a value: the environment's values are judged and dropped.
    expect(JSON.stringify(found)).not.toContain("Tr0ub4dor");
  });

  it("parity: the privileged root revision violates as its RegisterTaskDefinition event does (ECS.4 among them)", async () => {
    mock.on(ListTaskDefinitionFamiliesCommand).resolves({ families: ["reporting-worker"] });
    answer({ "reporting-worker": privileged.definition });
    const [swept] = await collectAll(defaultCollector, collectContext({ ecs }));
    const [event] = adapter.fromCloudTrail(privileged.detail, "111122223333");
    const expected = violated(event!);
    expect(expected).toContain("ECS.4");
    expect(violated(swept!)).toEqual(expected);
  });

  it("parity: the compliant revision passes on both paths", async () => {
    const family = compliant.definition.family ?? "";
    mock.on(ListTaskDefinitionFamiliesCommand).resolves({ families: [family] });
    answer({ [family]: compliant.definition });
    const [swept] = await collectAll(defaultCollector, collectContext({ ecs }));
    const [event] = adapter.fromCloudTrail(compliant.detail, "111122223333");
    expect(violated(swept!)).toEqual(violated(event!));
    expect(verdicts(swept!).every((v) => !v.violations.length)).toBe(true);
    expect(defaultCollector.iamActions).toEqual([
      "ecs:ListTaskDefinitionFamilies",
      "ecs:DescribeTaskDefinition",
    ]);
  });
});
