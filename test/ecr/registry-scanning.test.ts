import { DescribeRepositoriesCommand, GetRegistryScanningConfigurationCommand } from "@aws-sdk/client-ecr";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ACCOUNT, ecrEvent, idFor, stubRegistry } from "./support";

const REGISTRY_FINDING = idFor("VIGIL.ECR.REGISTRY_SCANNING", ACCOUNT);

function stubRepositories(t: TestRuntime, pages: [string, boolean][][]): void {
  const answers = pages.map((page, i) => ({
    repositories: page.map(([repositoryName, scanOnPush]) => ({
      repositoryName,
      imageScanningConfiguration: { scanOnPush },
    })),
    ...(i < pages.length - 1 ? { nextToken: `page-${i + 1}` } : {}),
  }));
  const stub = t.ecr.on(DescribeRepositoriesCommand);
  for (const answer of answers) stub.resolvesOnce(answer);
}

describe("VIGIL.ECR.REGISTRY_SCANNING through the pipeline", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("a registry change that stops scanning some repositories names them, reading every page of repositories", async () => {
    t = await testRuntime();
    stubRegistry(t, "BASIC", [{ scanFrequency: "SCAN_ON_PUSH", filters: ["prod-*"] }]);
    stubRepositories(t, [
      [
        ["prod-api", false],
        ["orders/api", false],
      ],
      [
        ["legacy", true],
        ["staging-web", false],
      ],
    ]);
    const report = await processEvent(ecrEvent("put-registry-scanning-basic-prod-only"), t.runtime);
    expect(report.resources[0]?.resource).toMatchObject({ type: "AWS::ECR::Registry", id: ACCOUNT });
    // The SDK paginator reuses one input object, so both recorded calls show the last token.
    const calls = t.ecr.commandCalls(DescribeRepositoriesCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({ registryId: ACCOUNT, maxResults: 1000, nextToken: "page-1" });
    const finding = await t.runtime.store.get(REGISTRY_FINDING);
    expect(finding).toMatchObject({ status: "OPEN", severity: "HIGH" });
    expect(finding?.summary).toBe(
      "registry 111122223333 BASIC scanning leaves 2 repositories unscanned: orders/api, staging-web",
    );
    expect(finding?.actor?.userName).toBe("alice.ops");
  });

  it("rules that scan every repository need no read and resolve the open finding", async () => {
    t = await testRuntime();
    stubRegistry(t, "BASIC", [{ scanFrequency: "SCAN_ON_PUSH", filters: ["prod-*"] }]);
    stubRepositories(t, [[["orders/api", false]]]);
    await processEvent(ecrEvent("put-registry-scanning-basic-prod-only"), t.runtime);
    t.ecr.resetHistory();
    await processEvent(ecrEvent("put-registry-scanning-enhanced-all"), t.runtime);
    expect(t.ecr.calls()).toHaveLength(0);
    expect((await t.runtime.store.get(REGISTRY_FINDING))?.status).toBe("RESOLVED");
  });

  it("judges the rules as they are now, not as the event said (a later change already scans everything)", async () => {
    t = await testRuntime();
    stubRegistry(t, "ENHANCED", [{ scanFrequency: "CONTINUOUS_SCAN", filters: ["*"] }]);
    await processEvent(ecrEvent("put-registry-scanning-basic-prod-only"), t.runtime);
    expect(t.ecr.commandCalls(GetRegistryScanningConfigurationCommand)).toHaveLength(1);
    expect(t.ecr.commandCalls(DescribeRepositoriesCommand)).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("no finding when every repository is still scanned one way or another", async () => {
    t = await testRuntime();
    stubRegistry(t, "BASIC", [{ scanFrequency: "SCAN_ON_PUSH", filters: ["prod-*"] }]);
    stubRepositories(t, [
      [
        ["prod-api", false],
        ["orders/api", true],
      ],
    ]);
    await processEvent(ecrEvent("put-registry-scanning-basic-prod-only"), t.runtime);
    expect(await t.runtime.store.list()).toEqual([]);
  });
});
