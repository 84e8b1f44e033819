import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import ecr1 from "../../shared/checks/ecr/ecr-1-image-scanning";
import ecr2 from "../../shared/checks/ecr/ecr-2-tag-immutability";
import ecr3 from "../../shared/checks/ecr/ecr-3-lifecycle-policy";
import ecr5 from "../../shared/checks/ecr/ecr-5-cmk-encryption";
import publicPolicy from "../../shared/checks/ecr/public-policy";
import registryScanning from "../../shared/checks/ecr/registry-scanning";
import { parseRepositoryPolicy } from "../../shared/resources/ecr-repository/policy";
import { keyManagerOf } from "../../shared/resources/ecr-repository/kms-key";
import type { EcrRepositoryState, RepositoryEncryption } from "../../shared/resources/ecr-repository/state";
import { AWS_ECR_KEY, CMK, context, repo } from "./support";

const policy = (statement: unknown) =>
  parseRepositoryPolicy(JSON.stringify({ Version: "2012-10-17", Statement: statement }));
const PULL = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"];

describe("ECR check catalog entries", () => {
  it.each([
    ["ECR.1", "HIGH", ["FSBP ECR.1"], "AWS::ECR::Repository"],
    ["ECR.2", "MEDIUM", ["FSBP ECR.2"], "AWS::ECR::Repository"],
    ["ECR.3", "MEDIUM", ["FSBP ECR.3"], "AWS::ECR::Repository"],
    ["ECR.5", "MEDIUM", ["SecurityHub ECR.5"], "AWS::ECR::Repository"],
    ["VIGIL.ECR.PUBLIC_POLICY", "CRITICAL", [], "AWS::ECR::Repository"],
    ["VIGIL.ECR.REGISTRY_SCANNING", "HIGH", [], "AWS::ECR::Registry"],
  ])("%s: %s, controls %j, on %s, registered", (id, severity, controls, type) => {
    const check = checkById(id) as CheckDefinition;
    expect(check).toMatchObject({ severity, controls, resourceType: type });
    // ECR.5 also asks KMS who manages a named key.
    const reads =
      id === "ECR.5" ? /^(ecr|kms):(Describe|Get|List)[A-Za-z]+$/ : /^ecr:(Describe|Get|List)[A-Za-z]+$/;
    expect(check.iamActions.every((a) => reads.test(a))).toBe(true);
  });

  it("only ECR.1 remediates (auto); the others detect only", () => {
    expect(ecr1.remediation).toEqual({ id: "enable-ecr-scan-on-push", defaultMode: "auto" });
    for (const check of [ecr2, ecr3, ecr5, publicPolicy, registryScanning])
      expect((check as CheckDefinition).remediation).toBeUndefined();
  });

  it("repository checks read tags, registry scanning and the live repository; ECR.3 is not triggered by CreateRepository", () => {
    expect(ecr1.iamActions).toEqual([
      "ecr:ListTagsForResource",
      "ecr:GetRegistryScanningConfiguration",
      "ecr:DescribeRepositories",
      "ecr:GetLifecyclePolicy",
      "ecr:GetRepositoryPolicy",
    ]);
    expect(ecr1.triggers.cloudTrail[0]?.eventNames).toEqual([
      "CreateRepository",
      "PutImageScanningConfiguration",
      "DeleteRepository",
    ]);
    expect(ecr3.triggers.cloudTrail[0]?.eventNames).not.toContain("CreateRepository");
    expect(ecr3.triggers.config).toEqual(["AWS::ECR::Repository"]);
    expect(registryScanning.triggers).toEqual({
      cloudTrail: [{ eventSource: "ecr.amazonaws.com", eventNames: ["PutRegistryScanningConfiguration"] }],
      config: [],
    });
  });

  it("a fully compliant repository violates nothing", () => {
    for (const check of [ecr1, ecr2, ecr3, ecr5, publicPolicy])
      expect(check.evaluate(repo(), context)).toEqual([]);
  });

  it("a state that says nothing (a partial CloudTrail view) violates nothing", () => {
    const bare: EcrRepositoryState = {
      repositoryName: "a",
      registryId: "111122223333",
      repositoryArn: "arn:x",
    };
    for (const check of [ecr1, ecr2, ecr3, ecr5, publicPolicy])
      expect(check.evaluate(bare, context)).toEqual([]);
  });
});

describe("ECR.1 image scanning", () => {
  it("flags scan-on-push off in a BASIC registry with no rules, with the registry's configuration as evidence", () => {
    const [v, ...rest] = ecr1.evaluate(repo({ scanOnPush: false }), context);
    expect(rest).toEqual([]);
    expect(v?.summary).toBe(
      "repository orders/api has scan-on-push off and the registry's BASIC scanning (no rules) does not scan it",
    );
    expect(v?.evidence).toEqual({
      repositoryName: "orders/api",
      registryId: "111122223333",
      scanOnPush: false,
      registryScanType: "BASIC",
      registryRules: [],
    });
  });

  it("does not flag scan-on-push off until the registry's rules are known (no confirmation, no finding)", () => {
    expect(ecr1.evaluate(repo({ scanOnPush: false, registryScanning: undefined }), context)).toEqual([]);
    expect(ecr1.evaluate(repo({ scanOnPush: undefined }), context)).toEqual([]);
  });

  it.each([
    ["ENHANCED continuous on every repository", "ENHANCED", "CONTINUOUS_SCAN", ["*"]],
    ["ENHANCED scan-on-push on orders*", "ENHANCED", "SCAN_ON_PUSH", ["orders*"]],
    ["BASIC scan-on-push on a contained word (no wildcard = substring)", "BASIC", "SCAN_ON_PUSH", ["ders/a"]],
    ["BASIC scan-on-push on */api", "BASIC", "SCAN_ON_PUSH", ["*/api"]],
    ["BASIC scan-on-push, filter case aside", "BASIC", "SCAN_ON_PUSH", ["ORDERS/*"]],
  ])("is compliant when a registry rule scans it: %s", (_name, scanType, scanFrequency, filters) => {
    const state = repo({
      scanOnPush: false,
      registryScanning: { scanType, rules: [{ scanFrequency, filters }] },
    });
    expect(ecr1.evaluate(state, context)).toEqual([]);
  });

  it.each([
    ["a MANUAL rule", "BASIC", "MANUAL", ["*"]],
    ["a wildcard anchored elsewhere (orders*x)", "BASIC", "SCAN_ON_PUSH", ["orders*x"]],
    ["*api/ doesn't match the end", "ENHANCED", "SCAN_ON_PUSH", ["*api/"]],
    ["another team's prefix", "ENHANCED", "CONTINUOUS_SCAN", ["payments-*"]],
    ["a word it doesn't contain", "BASIC", "SCAN_ON_PUSH", ["prod"]],
  ])("flags when the registry rules don't scan it: %s", (_name, scanType, scanFrequency, filters) => {
    const state = repo({
      scanOnPush: false,
      registryScanning: { scanType, rules: [{ scanFrequency, filters }] },
    });
    expect(ecr1.evaluate(state, context)).toHaveLength(1);
  });

  it("does not judge an unknown scan type", () => {
    const state = repo({ scanOnPush: false, registryScanning: { scanType: "QUANTUM", rules: [] } });
    expect(ecr1.evaluate(state, context)).toEqual([]);
  });

  it("under ENHANCED scanning the repository's own flag scans nothing: only the rules count", () => {
    const rules = [{ scanFrequency: "SCAN_ON_PUSH", filters: ["payments-*"] }];
    const enhanced = repo({ scanOnPush: true, registryScanning: { scanType: "ENHANCED", rules } });
    const [v, ...rest] = ecr1.evaluate(enhanced, context);
    expect(rest).toEqual([]);
    expect(v?.summary).toBe(
      "repository orders/api has scan-on-push on, which ENHANCED scanning ignores, and the registry's ENHANCED scanning (SCAN_ON_PUSH [payments-*]) does not scan it",
    );
    expect(v?.evidence).toMatchObject({ scanOnPush: true, registryScanType: "ENHANCED" });
    // Under BASIC the flag still counts as scanning.
    const basic = repo({ scanOnPush: true, registryScanning: { scanType: "BASIC", rules } });
    expect(ecr1.evaluate(basic, context)).toEqual([]);
  });
});

describe("ECR.2 tag immutability", () => {
  it.each([
    ["MUTABLE", [], "repository orders/api is MUTABLE: tags can be overwritten"],
    [
      "MUTABLE_WITH_EXCLUSION",
      ["release-*"],
      "repository orders/api is MUTABLE_WITH_EXCLUSION: tags can be overwritten except those matching release-*",
    ],
    [
      "IMMUTABLE_WITH_EXCLUSION",
      ["dev-*", "*"],
      "repository orders/api is IMMUTABLE_WITH_EXCLUSION: the exclusion * makes every tag mutable",
    ],
  ])("flags %s %j", (setting, exclusionFilters, summary) => {
    const [v] = ecr2.evaluate(repo({ tagMutability: { setting, exclusionFilters } }), context);
    expect(v?.summary).toBe(summary);
    expect(v?.evidence.imageTagMutability).toBe(setting);
  });

  it.each([
    ["IMMUTABLE", []],
    ["IMMUTABLE_WITH_EXCLUSION", ["dev-*", "latest"]],
    ["SOMETHING_NEW", []],
  ])("passes %s %j", (setting, exclusionFilters) => {
    expect(ecr2.evaluate(repo({ tagMutability: { setting, exclusionFilters } }), context)).toEqual([]);
  });
});

describe("ECR.3 lifecycle policy", () => {
  it("flags a repository known to have none, passes one that has one, and says nothing when not known", () => {
    expect(ecr3.evaluate(repo({ hasLifecyclePolicy: false }), context)).toEqual([
      {
        summary: "repository orders/api has no lifecycle policy",
        evidence: { repositoryName: "orders/api", lifecyclePolicy: null },
      },
    ]);
    expect(ecr3.evaluate(repo({ hasLifecyclePolicy: true }), context)).toEqual([]);
    expect(ecr3.evaluate(repo({ hasLifecyclePolicy: undefined }), context)).toEqual([]);
  });
});

describe("ECR.5 customer managed key", () => {
  const ALIAS_ARN = "arn:aws:kms:us-east-1:111122223333:alias/aws/ecr";
  it.each([
    [{ type: "AES256" }, "Amazon S3-managed keys (AES256)"],
    [{ type: "KMS" }, "the AWS managed key aws/ecr"],
    [{ type: "KMS", kmsKey: "alias/aws/ecr" }, "the AWS managed key aws/ecr"],
    [{ type: "KMS", kmsKey: ALIAS_ARN }, "the AWS managed key aws/ecr"],
    [{ type: "KMS_DSSE" }, "the AWS managed key aws/ecr"],
    [{ type: "KMS", kmsKey: AWS_ECR_KEY, keyManager: "AWS" }, `the AWS managed KMS key ${AWS_ECR_KEY}`],
    [
      { type: "KMS_DSSE", kmsKey: "alias/orders-images", keyManager: "AWS" },
      "the AWS managed KMS key alias/orders-images",
    ],
  ] as const)("flags %j", (encryption, why) => {
    const [v] = ecr5.evaluate(repo({ encryption }), context);
    expect(v?.summary).toBe(`repository orders/api is encrypted with ${why}, not a customer managed KMS key`);
  });

  it("says in the evidence how the key's manager is known", () => {
    const evidence = (encryption: RepositoryEncryption) =>
      ecr5.evaluate(repo({ encryption }), context)[0]?.evidence;
    expect(evidence({ type: "KMS", kmsKey: AWS_ECR_KEY, keyManager: "AWS" })).toEqual({
      repositoryName: "orders/api",
      encryptionType: "KMS",
      kmsKey: AWS_ECR_KEY,
      keyManager: "AWS",
      keyManagerFrom: "kms:DescribeKey",
    });
    expect(evidence({ type: "KMS", kmsKey: ALIAS_ARN })).toMatchObject({ keyManagerFrom: "alias/aws/ecr" });
    expect(evidence({ type: "KMS_DSSE" })).toMatchObject({
      kmsKey: null,
      keyManagerFrom: "no key named (aws/ecr)",
    });
    expect(evidence({ type: "AES256" })).toEqual({
      repositoryName: "orders/api",
      encryptionType: "AES256",
      kmsKey: null,
    });
  });

  it.each([
    [{ type: "KMS", kmsKey: CMK, keyManager: "CUSTOMER" }],
    [{ type: "KMS", kmsKey: "alias/orders-images", keyManager: "CUSTOMER" }],
    [{ type: "KMS_DSSE", kmsKey: "0e9d8c7b-6a5f-4e3d-9c2b-1a0f9e8d7c6b", keyManager: "CUSTOMER" }],
    [{ type: "SOMETHING_NEW" }],
  ] as const)("passes %j", (encryption) => {
    expect(ecr5.evaluate(repo({ encryption }), context)).toEqual([]);
  });

  it.each([
    ["not read yet", { type: "KMS", kmsKey: AWS_ECR_KEY }],
    ["a customer-looking alias, not read", { type: "KMS", kmsKey: "alias/orders-images" }],
    ["KMS denied DescribeKey", { type: "KMS", kmsKey: CMK, keyManagerUnknown: "AccessDeniedException" }],
    [
      "KMS found no such key",
      { type: "KMS_DSSE", kmsKey: "alias/gone", keyManagerUnknown: "NotFoundException" },
    ],
  ] as const)("doesn't judge a named key whose manager is unknown (%s)", (_why, encryption) => {
    expect(ecr5.evaluate(repo({ encryption }), context)).toEqual([]);
  });

  it("the key's manager decides, not how the key is spelled", () => {
    expect(keyManagerOf({ type: "KMS", kmsKey: AWS_ECR_KEY })).toBeUndefined();
    expect(keyManagerOf({ type: "KMS", kmsKey: "alias/aws/ecr-archive" })).toBeUndefined();
    expect(keyManagerOf({ type: "KMS", kmsKey: "alias/aws/ecr" })).toBe("AWS");
    expect(keyManagerOf({ type: "AES256" })).toBeUndefined();
  });
});

describe("VIGIL.ECR.PUBLIC_POLICY", () => {
  it.each([
    ['Principal "*"', { Sid: "Anyone", Effect: "Allow", Principal: "*", Action: PULL }],
    ['Principal {"AWS": "*"}', { Effect: "Allow", Principal: { AWS: "*" }, Action: "ecr:*" }],
    [
      "* in a list of principals",
      { Effect: "Allow", Principal: { AWS: ["arn:aws:iam::444455556666:root", "*"] }, Action: PULL },
    ],
    [
      "Allow with NotPrincipal",
      { Effect: "Allow", NotPrincipal: { AWS: "arn:aws:iam::444455556666:root" }, Action: PULL },
    ],
    [
      "a negated condition",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc" } },
      },
    ],
    [
      "an IfExists condition",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } },
      },
    ],
    [
      "a wildcard org id",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { StringLike: { "aws:PrincipalOrgID": "*" } },
      },
    ],
    [
      "an ARN with any account",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/ci" } },
      },
    ],
    [
      "the whole internet",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } },
      },
    ],
    [
      "a condition unrelated to who calls",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { Bool: { "aws:SecureTransport": "true" } },
      },
    ],
    [
      "presence only (Null)",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { Null: { "aws:PrincipalOrgID": "false" } },
      },
    ],
    ["a single statement object", { Effect: "Allow", Principal: "*", Action: PULL }],
  ])("flags %s", (_name, statement) => {
    expect(publicPolicy.evaluate(repo({ policy: policy(statement) }), context)).toHaveLength(1);
  });

  it.each([
    [
      "a named account",
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::444455556666:root" }, Action: PULL },
    ],
    [
      "a service principal",
      { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: PULL },
    ],
    ["a Deny for everyone", { Effect: "Deny", Principal: "*", Action: "ecr:DeleteRepository" }],
    [
      "aws:PrincipalOrgID",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" } },
      },
    ],
    [
      "aws:PrincipalAccount (list)",
      {
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: PULL,
        Condition: { StringEquals: { "aws:PrincipalAccount": ["444455556666", "777788889999"] } },
      },
    ],
    [
      "aws:SourceAccount",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
      },
    ],
    [
      "aws:PrincipalArn in one account",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::444455556666:role/*" } },
      },
    ],
    [
      "aws:SourceVpce",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { StringEquals: { "aws:SourceVpce": "vpce-0a1b2c3d" } },
      },
    ],
    [
      "ForAnyValue on an org path",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: {
          "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": "o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*" },
        },
      },
    ],
    [
      "key names in any case",
      {
        Effect: "Allow",
        Principal: "*",
        Action: PULL,
        Condition: { stringequals: { "AWS:PRINCIPALORGID": "o-a1b2c3d4e5" } },
      },
    ],
  ])("passes %s", (_name, statement) => {
    expect(publicPolicy.evaluate(repo({ policy: policy([statement]) }), context)).toEqual([]);
  });

  it("names each public statement, its actions and the conditions that don't restrict, never the whole policy", () => {
    const state = repo({
      policy: policy([
        {
          Sid: "Org",
          Effect: "Allow",
          Principal: "*",
          Action: PULL,
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } },
        },
        {
          Sid: "Anyone",
          Effect: "Allow",
          Principal: "*",
          Action: PULL,
          Condition: { Bool: { "aws:SecureTransport": "true" } },
        },
        { Effect: "Allow", Principal: { AWS: "*" }, NotAction: "ecr:DeleteRepository" },
      ]),
    });
    expect(publicPolicy.evaluate(state, context)).toEqual([
      {
        summary:
          "repository orders/api policy statement Anyone allows any AWS principal (*): ecr:BatchGetImage, ecr:GetDownloadUrlForLayer",
        evidence: {
          repositoryName: "orders/api",
          sid: "Anyone",
          principal: "*",
          actions: PULL,
          nonRestrictingConditions: ["Bool aws:SecureTransport"],
        },
      },
      {
        summary:
          "repository orders/api policy statement 2 allows any AWS principal (*): every action except ecr:DeleteRepository",
        evidence: {
          repositoryName: "orders/api",
          principal: "*",
          notActions: ["ecr:DeleteRepository"],
          nonRestrictingConditions: [],
        },
      },
    ]);
  });

  it("no policy, and an unreadable one, violate nothing", () => {
    expect(publicPolicy.evaluate(repo({ policy: { kind: "none" } }), context)).toEqual([]);
    expect(parseRepositoryPolicy("HIDDEN_DUE_TO_SECURITY_REASONS")).toBeUndefined();
    expect(parseRepositoryPolicy('{"Statement": "nope"}')).toBeUndefined();
    expect(parseRepositoryPolicy("")).toEqual({ kind: "none" });
  });
});

describe("VIGIL.ECR.REGISTRY_SCANNING", () => {
  const registry = (
    scanType: string,
    rules: { scanFrequency: string; filters: string[] }[],
    names: [string, boolean][],
  ) => ({
    registryId: "111122223333",
    scanning: { scanType, rules },
    repositories: names.map(([name, scanOnPush]) => ({ name, scanOnPush })),
  });

  it("names the repositories the rules leave unscanned (and not those with their own scan-on-push)", () => {
    const state = registry(
      "BASIC",
      [{ scanFrequency: "SCAN_ON_PUSH", filters: ["prod-*"] }],
      [
        ["prod-api", false],
        ["staging-api", false],
        ["legacy", true],
        ["dev/tools", false],
      ],
    );
    expect(registryScanning.evaluate(state, context)).toEqual([
      {
        summary:
          "registry 111122223333 BASIC scanning leaves 2 repositories unscanned: dev/tools, staging-api",
        evidence: {
          registryId: "111122223333",
          scanType: "BASIC",
          rules: [{ scanFrequency: "SCAN_ON_PUSH", filters: ["prod-*"] }],
          unscannedCount: 2,
          unscanned: ["dev/tools", "staging-api"],
        },
      },
    ]);
  });

  it("under ENHANCED scanning a repository's own scan-on-push doesn't keep it scanned", () => {
    const rules = [{ scanFrequency: "CONTINUOUS_SCAN", filters: ["prod-*"] }];
    const state = registry("ENHANCED", rules, [
      ["prod-api", false],
      ["legacy", true],
    ]);
    expect(registryScanning.evaluate(state, context)[0]?.evidence).toMatchObject({
      unscannedCount: 1,
      unscanned: ["legacy"],
    });
  });

  it("caps the names at 20 and counts the rest", () => {
    const names: [string, boolean][] = Array.from({ length: 25 }, (_, i) => [
      `svc-${String(i).padStart(2, "0")}`,
      false,
    ]);
    const [v] = registryScanning.evaluate(registry("BASIC", [], names), context);
    expect(v?.evidence.unscannedCount).toBe(25);
    expect(v?.evidence.unscanned).toHaveLength(20);
    expect(v?.summary).toMatch(/svc-19 and 5 more$/);
  });

  it("passes rules that scan everything, every repository covered, no repositories, or none listed", () => {
    const all = [{ scanFrequency: "CONTINUOUS_SCAN", filters: ["*"] }];
    expect(registryScanning.evaluate(registry("ENHANCED", all, [["x", false]]), context)).toEqual([]);
    expect(registryScanning.evaluate(registry("BASIC", [], [["x", true]]), context)).toEqual([]);
    expect(registryScanning.evaluate(registry("BASIC", [], []), context)).toEqual([]);
    expect(
      registryScanning.evaluate({ registryId: "1", scanning: { scanType: "BASIC", rules: [] } }, context),
    ).toEqual([]);
  });
});
