import { describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import type { ConfigItem } from "../../shared/events/config-item";
import adapter from "../../shared/resources/ecr-repository/adapter";
import { filterMatches } from "../../shared/resources/ecr-repository/scan-coverage";
import { ACCOUNT, CMK, REPO, REPO_ARN, ecrEvent } from "./support";

const fromEvent = (name: string) => {
  const event = ecrEvent(name);
  return adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
};
const configItem = (name: string) =>
  (ecrEvent(name).detail as { configurationItem: ConfigItem }).configurationItem;

describe("ECR repository adapter", () => {
  it("reads CreateRepository: every setting but the lifecycle policy, the request's tags, a registry check pending", () => {
    expect(fromEvent("create-repository-mutable-no-scan")).toEqual([
      {
        resource: {
          type: "AWS::ECR::Repository",
          id: REPO,
          arn: REPO_ARN,
          account: ACCOUNT,
          region: "us-east-1",
          name: REPO,
        },
        state: {
          repositoryName: REPO,
          registryId: ACCOUNT,
          repositoryArn: REPO_ARN,
          tags: { team: "orders" },
          scanOnPush: false,
          tagMutability: { setting: "MUTABLE", exclusionFilters: [] },
          encryption: { type: "AES256" },
          policy: { kind: "none" },
          pendingRead: "registry-scanning",
        },
        complete: false,
        observedAt: "2025-03-18T09:01:14Z",
        tagsKnown: true,
        needsRefresh: true,
      },
    ]);
  });

  it("keeps the key the creator named, not the AWS managed key's ARN from the response", () => {
    expect(fromEvent("create-repository-kms-aws-managed-key")[0]?.state?.encryption).toEqual({ type: "KMS" });
    expect(fromEvent("create-repository-immutable-scanned-cmk")[0]?.state?.encryption).toEqual({
      type: "KMS",
      kmsKey: CMK,
    });
  });

  it("takes the registry from the request when the response doesn't name it (cross-account registry)", () => {
    const event = ecrEvent("put-image-tag-mutability-mutable");
    const detail = event.detail as { requestParameters: Record<string, unknown>; responseElements: unknown };
    detail.requestParameters.registryId = "444455556666";
    detail.responseElements = null;
    const [obs] = adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);
    expect(obs?.resource).toMatchObject({
      account: "444455556666",
      arn: "arn:aws:ecr:us-east-1:444455556666:repository/orders/api",
    });
  });

  it("asks for a live read after calls that can fix something, not after calls that break something", () => {
    const pending = (name: string) => fromEvent(name)[0]?.state?.pendingRead;
    expect(pending("put-image-scanning-enable")).toBe("whole-repository");
    expect(pending("put-image-scanning-disable")).toBe("registry-scanning");
    expect(pending("put-image-tag-mutability-immutable-except-latest")).toBe("whole-repository");
    expect(pending("put-image-tag-mutability-mutable")).toBeUndefined();
    expect(pending("set-repository-policy-org-only")).toBe("whole-repository");
    expect(pending("set-repository-policy-public")).toBeUndefined();
    expect(pending("delete-repository-policy")).toBe("whole-repository");
    expect(pending("put-lifecycle-policy")).toBe("whole-repository");
    expect(pending("delete-lifecycle-policy")).toBeUndefined();
    expect(fromEvent("delete-repository")[0]).toMatchObject({ state: undefined, complete: true });
  });

  it("reads a Config item: PascalCase settings, the policy object, the lifecycle policy and tags", () => {
    const obs = adapter.fromConfigItem(configItem("config-item-compliant"));
    expect(obs).toMatchObject({ complete: true, tagsKnown: true, observedAt: "2025-03-18T17:10:40.913Z" });
    // The key is named by ARN: who manages it is read before judging (ECR.5).
    expect(obs.needsRefresh).toBe(true);
    expect(obs.state?.pendingRead).toBeUndefined();
    expect(obs.state).toMatchObject({
      tags: { team: "orders" },
      scanOnPush: true,
      tagMutability: { setting: "IMMUTABLE", exclusionFilters: [] },
      encryption: { type: "KMS", kmsKey: CMK },
      hasLifecyclePolicy: true,
      policy: { kind: "document" },
    });
    const reference = adapter.fromConfigItem(configItem("config-item-noncompliant"));
    expect(reference.state).toMatchObject({
      hasLifecyclePolicy: false,
      policy: { kind: "none" },
      pendingRead: "registry-scanning",
    });
  });

  it("reads a history-API item whose configuration is a JSON string, and a policy given as text", () => {
    const item = configItem("config-item-public-policy");
    const configuration = item.configuration as Record<string, unknown>;
    configuration.RepositoryPolicyText = JSON.stringify(configuration.RepositoryPolicyText);
    const obs = adapter.fromConfigItem({ ...item, configuration: JSON.stringify(configuration) });
    expect(obs.state?.policy).toMatchObject({
      kind: "document",
      statements: [{}, { sid: "AllowPullFromAnywhere", anyPrincipal: true }],
    });
  });

  it("an unreadable policy in a Config item is read live rather than taken as none", () => {
    const item = configItem("config-item-compliant");
    (item.configuration as Record<string, unknown>).RepositoryPolicyText = "{not json";
    expect(adapter.fromConfigItem(item)).toMatchObject({
      needsRefresh: true,
      state: { pendingRead: "whole-repository" },
    });
  });
});

describe("registry filter matching (ECR User Guide table)", () => {
  // Rows: filters; columns: prod, repo-prod, prod-repo, repo-prod-repo, prodrepo.
  it.each([
    ["prod", [true, true, true, true, true]],
    ["*prod", [true, true, false, false, false]],
    ["prod*", [true, false, true, false, true]],
    ["*prod*", [true, true, true, true, true]],
    ["prod*repo", [false, false, true, false, true]],
  ])("%s", (filter, expected) => {
    const names = ["prod", "repo-prod", "prod-repo", "repo-prod-repo", "prodrepo"];
    expect(names.map((name) => filterMatches(filter, name))).toEqual(expected);
  });

  it("treats regex characters in a filter literally", () => {
    expect(filterMatches("team.a/*", "team.a/api")).toBe(true);
    expect(filterMatches("team.a/*", "teamxa/api")).toBe(false);
  });
});
