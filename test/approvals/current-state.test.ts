import { describe, expect, it } from "vitest";
import { readCurrentState } from "../../shared/approvals/current-state";
import { parseConfig } from "../../shared/config/load";
import type { ResourceRef } from "../../shared/core/resource";
import type { Observation, ReadClients } from "../../shared/resources/adapter";
import { defineCollector, type CollectContext } from "../../shared/sweep/collector";
import { recordingLogger } from "../support/runtime";

const NOW = new Date("2026-11-27T08:00:00.000Z");
const KEY: ResourceRef = {
  type: "AWS::KMS::Key",
  id: "1234abcd-12ab-34cd-56ef-1234567890ab",
  arn: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
  account: "111122223333",
  region: "eu-west-1",
};

/** A collector listing two keys, recording where it was asked to list. */
function keysCollector(contexts: CollectContext[]) {
  return defineCollector({
    resourceType: "AWS::KMS::Key",
    scope: "regional",
    iamActions: ["kms:ListKeys"],
    async *collect(ctx) {
      contexts.push(ctx);
      for (const id of ["0000aaaa-0000-0000-0000-000000000000", KEY.id]) {
        yield {
          resource: { ...KEY, id, arn: `arn:aws:kms:${ctx.region}:${ctx.account}:key/${id}` },
          state: { keyId: id, rotationEnabled: false },
          complete: true,
          observedAt: ctx.now.toISOString(),
          tagsKnown: true,
        } as unknown as Observation<"AWS::KMS::Key">;
      }
    },
  });
}

describe("readCurrentState for types other than security groups", () => {
  const context = (collectors: ReturnType<typeof keysCollector>[]) => ({
    clients: {} as ReadClients,
    config: parseConfig({}),
    collectors,
    now: NOW,
    logger: recordingLogger(),
  });

  it("takes the resource from its collector's listing in the finding's account and Region", async () => {
    const contexts: CollectContext[] = [];
    const observation = await readCurrentState(KEY, context([keysCollector(contexts)]));
    expect(observation).toMatchObject({
      resource: KEY,
      state: { keyId: KEY.id },
      complete: true,
      tagsKnown: true,
      observedAt: NOW.toISOString(),
    });
    expect(contexts.map((c) => [c.account, c.region, c.partition])).toEqual([
      ["111122223333", "eu-west-1", "aws"],
    ]);
  });

  it("a resource the complete listing no longer has is gone (its findings resolve)", async () => {
    const gone = { ...KEY, id: "ffffffff-0000-0000-0000-000000000000" };
    expect(await readCurrentState(gone, context([keysCollector([])]))).toEqual({
      resource: gone,
      state: undefined,
      complete: true,
      observedAt: NOW.toISOString(),
      tagsKnown: true,
    });
  });

  it("a type no collector lists can't be re-read: undefined (the approval is refused)", async () => {
    expect(
      await readCurrentState({ ...KEY, type: "AWS::EKS::Workload" }, context([keysCollector([])])),
    ).toBeUndefined();
  });
});
