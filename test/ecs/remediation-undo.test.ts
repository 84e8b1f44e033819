import {
  DeregisterTaskDefinitionCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
} from "@aws-sdk/client-ecs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { arnOf, FAMILY, hardenRemediation as remediation } from "./support";

let t: TestRuntime;
beforeEach(async () => {
  t = await testRuntime();
  t.ecs.on(TagResourceCommand).resolves({});
  t.ecs.on(DeregisterTaskDefinitionCommand).resolves({});
});
afterEach(() => t.close());

const payload = {
  remediationId: remediation.id,
  params: {
    revisionArn: arnOf(FAMILY, 8),
    sourceRevisionArn: arnOf(FAMILY, 7),
    exemptChecks: ["ECS.5", "ECS.20"],
    exemptionTagKey: "vigil:exempt",
  },
};

const undo = () => remediation.undo(payload, t.runtime.remediationClients!);
const tagged = () => t.ecs.commandCalls(TagResourceCommand).map((c) => c.args[0].input.tags);

describe("register-hardened-task-definition undo", () => {
  it("adds to an exemption already on the source revision, keeping its ids, reason and expiry", async () => {
    t.ecs.on(ListTagsForResourceCommand).resolves({
      tags: [
        { key: "vigil:exempt", value: "ECS.8 ECS.5" },
        { key: "vigil:exempt-reason", value: "legacy job, see SEC-412" },
        { key: "vigil:exempt-until", value: "2025-12-31" },
      ],
    });
    const message = await undo();
    expect(tagged()).toEqual([[{ key: "vigil:exempt", value: "ECS.8 ECS.5 ECS.20" }]]);
    expect(message).toContain(
      "reporting-worker:7 tagged vigil:exempt=ECS.8 ECS.5 ECS.20 (until 2025-12-31, as its vigil:exempt-until tag says)",
    );
    expect(t.ecs.commandCalls(DeregisterTaskDefinitionCommand)).toHaveLength(1);
  });

  it("a source revision that is gone gets no tag; the hardened one is still deregistered", async () => {
    t.ecs.on(ListTagsForResourceCommand).rejects(
      Object.assign(new Error("The specified task definition does not exist."), {
        name: "ClientException",
      }),
    );
    const message = await undo();
    expect(tagged()).toEqual([]);
    expect(message).toContain("reporting-worker:7 no longer exists, so nothing was tagged exempt");
    expect(t.ecs.commandCalls(DeregisterTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      taskDefinition: arnOf(FAMILY, 8),
    });
  });

  it("any other error stops undo before it deregisters anything", async () => {
    t.ecs
      .on(ListTagsForResourceCommand)
      .rejects(Object.assign(new Error("not allowed"), { name: "AccessDeniedException" }));
    await expect(undo()).rejects.toThrow("not allowed");
    expect(t.ecs.commandCalls(DeregisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it("rejects a payload without the revision ARNs", async () => {
    await expect(
      remediation.undo(
        { remediationId: remediation.id, params: { revisionArn: "reporting-worker:8" } },
        t.runtime.remediationClients!,
      ),
    ).rejects.toThrow();
    expect(t.ecs.calls()).toHaveLength(0);
  });
});
