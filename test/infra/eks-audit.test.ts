import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { lambdaBuildOptions } from "../../infra/bundle";
import { LAMBDA_RUNTIME } from "../../infra/detection-function";
import {
  EKS_AUDIT_FILTER_NAME,
  EKS_AUDIT_TIMEOUT_SECONDS,
  MAX_FILTER_PATTERN_CHARS,
  eksAuditFilterPattern,
} from "../../infra/eks-audit";
import { AwsSolutionsChecks } from "../../infra/nag";
import { SUBSCRIBE_INTERVAL_MS, SUBSCRIBE_WAIT_MS } from "../../shared/eks-audit/subscribe-handler";
import { auditEvent } from "../eks-audit/support";
import {
  removeSynthOutputs,
  resolvePseudo,
  resourcesOfType,
  synthVigil,
  type Synthesized,
  type CfnResource,
} from "./synth";

const CLUSTERS = ["prod-eks", "staging_2"];

/** Splits `text` on `separator` where no parenthesis is open. */
function splitTop(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")") depth--;
    else if (depth === 0 && text.startsWith(separator, i)) {
      parts.push(text.slice(start, i));
      start = i + separator.length;
      i += separator.length - 1;
    }
  }
  return [...parts, text.slice(start)].map((part) => part.trim());
}

/** Drops parentheses around the whole of `term` (only when they pair with each other). */
function unwrap(term: string): string {
  if (!term.startsWith("(") || !term.endsWith(")")) return term;
  let depth = 0;
  for (let i = 0; i < term.length - 1; i++) {
    depth += term[i] === "(" ? 1 : term[i] === ")" ? -1 : 0;
    if (depth === 0) return term;
  }
  return unwrap(term.slice(1, -1).trim());
}

/**
 * Just enough of CloudWatch Logs' JSON filter syntax to run the pattern this stack writes against
 * sample events: `{ a && (b || c) }` with `$.x = "v"`, `$.x < n` and `$.x NOT EXISTS` terms.
 */
function matchesFilter(pattern: string, event: unknown): boolean {
  const body = /^\{ (.*) \}$/.exec(pattern)?.[1];
  if (!body) throw new Error(`not a JSON filter pattern: ${pattern}`);
  const valueAt = (path: string) =>
    path
      .slice(2)
      .split(".")
      .reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], event);
  const term = (text: string): boolean => {
    const exists = /^(\$\.[\w.]+) NOT EXISTS$/.exec(text);
    if (exists) return valueAt(exists[1] as string) === undefined;
    const equals = /^(\$\.[\w.]+) = "([^"]*)"$/.exec(text);
    if (equals) return valueAt(equals[1] as string) === equals[2];
    const below = /^(\$\.[\w.]+) < (\d+)$/.exec(text);
    if (below) return Number(valueAt(below[1] as string)) < Number(below[2]);
    throw new Error(`term not understood: ${text}`);
  };
  return splitTop(body, "&&").every((group) => splitTop(unwrap(group), "||").some((t) => term(unwrap(t))));
}
const logGroupArn = (cluster: string) =>
  `arn:aws:logs:us-east-1:111122223333:log-group:/aws/eks/${cluster}/cluster:*`;

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

let withClusters: Synthesized;
let withoutClusters: Synthesized;
let defaults: Synthesized;

beforeAll(() => {
  withClusters = synthVigil({ context: { vigilConfig: { eks: { clusters: CLUSTERS } } } });
  withoutClusters = synthVigil({ context: { vigilConfig: { eks: { subscribeNewClusters: false } } } });
  defaults = synthVigil();
}, 180_000);

afterAll(removeSynthOutputs);

const eksFunctionOf = ({ template }: Synthesized) =>
  resourcesOfType(template, "AWS::Lambda::Function").filter(([id]) => id.startsWith("EksAuditFunction"));

function statementsOfRole(template: Synthesized["template"], roleId: string): Statement[] {
  const policies = resourcesOfType(template, "AWS::IAM::Policy").filter(([, policy]) =>
    (policy.Properties?.Roles as { Ref: string }[]).some((role) => role.Ref === roleId),
  );
  return policies.flatMap(
    ([, policy]) => (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

describe("EKS audit log subscription", () => {
  it("without clusters in the config, and new clusters not subscribed, there is no function and no subscription", () => {
    expect(eksFunctionOf(withoutClusters)).toEqual([]);
    expect(resourcesOfType(withoutClusters.template, "AWS::Logs::SubscriptionFilter")).toEqual([]);
  });

  it("one function for the audit log, with a longer timeout for batches", () => {
    const functions = eksFunctionOf(withClusters);
    expect(functions).toHaveLength(1);
    const [, fn] = functions[0] as [string, CfnResource];
    expect(fn.Properties).toMatchObject({
      Timeout: EKS_AUDIT_TIMEOUT_SECONDS,
      Description: "Vigil: evaluates EKS workloads and namespaces from the clusters' audit logs",
      DeadLetterConfig: { TargetArn: expect.anything() },
    });
  });

  it("a subscription filter per configured cluster's log group, sending the audit events of interest to the function", () => {
    const [fnId] = eksFunctionOf(withClusters)[0] as [string, CfnResource];
    const filters = resourcesOfType(withClusters.template, "AWS::Logs::SubscriptionFilter").map(
      ([, f]) => f.Properties,
    );
    expect(filters).toEqual(
      CLUSTERS.map((cluster) => ({
        LogGroupName: `/aws/eks/${cluster}/cluster`,
        FilterName: EKS_AUDIT_FILTER_NAME,
        FilterPattern: eksAuditFilterPattern(),
        DestinationArn: { "Fn::GetAtt": [fnId, "Arn"] },
      })),
    );
  });

  it("lets CloudWatch Logs invoke the function only from those log groups, in this account", () => {
    const [fnId] = eksFunctionOf(withClusters)[0] as [string, CfnResource];
    const permissions = resourcesOfType(withClusters.template, "AWS::Lambda::Permission")
      .map(([, p]) => resolvePseudo(p.Properties) as Record<string, unknown>)
      .filter((p) => p.Principal === "logs.amazonaws.com");
    expect(permissions).toEqual([
      // For clusters the subscriber adds later: any EKS log group of this account and Region.
      {
        Action: "lambda:InvokeFunction",
        FunctionName: { "Fn::GetAtt": [fnId, "Arn"] },
        Principal: "logs.amazonaws.com",
        SourceArn: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/eks/*",
        SourceAccount: "111122223333",
      },
      ...CLUSTERS.map((cluster) => ({
        Action: "lambda:InvokeFunction",
        FunctionName: { "Fn::GetAtt": [fnId, "Arn"] },
        Principal: "logs.amazonaws.com",
        // The log group ARN names the account: no other account's log group can invoke it.
        SourceArn: logGroupArn(cluster),
      })),
    ]);
    // The filter is created after the permission (else CloudWatch Logs' test invocation fails).
    const filters = resourcesOfType(withClusters.template, "AWS::Logs::SubscriptionFilter");
    for (const [, filter] of filters)
      expect(filter.DependsOn).toEqual([expect.stringMatching(/CanInvokeLambda/)]);
  });

  it("least privilege: the findings table, the alert topic (and its key), the Slack secret, its logs and dead-letter queue; no reads, no remediation role", () => {
    const [, fn] = eksFunctionOf(withClusters)[0] as [string, CfnResource];
    const roleId = (fn.Properties?.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    const statements = statementsOfRole(withClusters.template, roleId);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect(actions).toEqual(
      [
        "dynamodb:BatchGetItem",
        "dynamodb:GetItem",
        "dynamodb:PutItem",
        "dynamodb:Query",
        "dynamodb:Scan",
        // The alert topic's customer managed key, to publish.
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "logs:CreateLogStream",
        "logs:PutLogEvents",
        "secretsmanager:GetSecretValue",
        "sns:Publish",
        "sqs:SendMessage",
      ].sort(),
    );
    for (const statement of statements) expect(JSON.stringify(statement.Resource)).not.toBe('"*"');
    expect(resolvePseudo(fn.Properties?.Environment)).not.toMatchObject({
      Variables: { REMEDIATION_ROLE_ARN: expect.anything() },
    });
  });

  it("the filter pattern is within CloudWatch Logs' limit and names exactly what the function acts on", () => {
    const pattern = eksAuditFilterPattern();
    expect(pattern.length).toBeLessThanOrEqual(MAX_FILTER_PATTERN_CHARS);
    expect(pattern).toMatch(/^\{ .* \}$/);
    for (const term of [
      '$.stage = "ResponseComplete"',
      "$.responseStatus.code < 400",
      '$.verb = "create"',
      '$.verb = "update"',
      '$.verb = "patch"',
      '$.verb = "delete"',
      '$.objectRef.resource = "pods"',
      '$.objectRef.resource = "cronjobs"',
      '$.objectRef.resource = "replicationcontrollers"',
      '$.objectRef.resource = "networkpolicies"',
      '$.objectRef.resource = "namespaces"',
      "$.objectRef.subresource NOT EXISTS",
      '$.objectRef.subresource = "ephemeralcontainers"',
    ])
      expect(pattern).toContain(term);
  });

  it("passes cdk-nag with the subscriptions in place", () => {
    const report = new AwsSolutionsChecks(withClusters.app, { verbose: true }).validateScope(
      withClusters.app,
    );
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
  });

  it("the handler bundles as the stack bundles it; SDK clients stay out of the handler file (loaded on first use)", async () => {
    const out = await mkdtemp(join(tmpdir(), "vigil-eks-audit-"));
    try {
      const root = join(import.meta.dirname, "..", "..");
      const { metafile } = await build({
        ...lambdaBuildOptions(join(root, "functions/eks-audit.ts"), out, LAMBDA_RUNTIME),
        absWorkingDir: root,
        metafile: true,
        logLevel: "silent",
      });
      const entry = Object.entries(metafile.outputs).find(([file]) => file.endsWith("index.mjs"))?.[1];
      const atInit = Object.keys(entry?.inputs ?? {});
      expect(atInit).toContain("shared/eks-audit/batch.ts");
      expect(atInit.filter((input) => input.includes("@aws-sdk/client-"))).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);

  it.each([
    ["pod-create-seed", true],
    ["daemonset-create-privileged", true],
    ["deployment-patch-set-image", true],
    ["deployment-delete", true],
    ["pod-ephemeralcontainers-debug", true],
    ["namespace-create", true],
    ["networkpolicy-create", true],
    ["networkpolicy-delete", true],
    // Let through, then skipped by the function (the pattern can't see owner references).
    ["pod-create-by-replicaset-controller", true],
    ["pod-status-patch-by-kubelet", false],
  ])("the filter pattern lets %s through: %s", (name, expected) => {
    expect(matchesFilter(eksAuditFilterPattern(), auditEvent(name))).toBe(expected);
  });

  it("the filter pattern keeps back other stages, failed requests, reads and other resources", () => {
    const pattern = eksAuditFilterPattern();
    expect(
      matchesFilter(
        pattern,
        auditEvent("pod-create-seed", (e) => (e.stage = "RequestReceived")),
      ),
    ).toBe(false);
    expect(
      matchesFilter(
        pattern,
        auditEvent("pod-create-seed", (e) => (e.responseStatus.code = 403)),
      ),
    ).toBe(false);
    expect(
      matchesFilter(
        pattern,
        auditEvent("pod-create-seed", (e) => (e.verb = "get")),
      ),
    ).toBe(false);
    expect(
      matchesFilter(
        pattern,
        auditEvent("pod-create-seed", (e) => (e.objectRef.resource = "secrets")),
      ),
    ).toBe(false);
    expect(
      matchesFilter(
        pattern,
        auditEvent("pod-create-seed", (e) => (e.objectRef.subresource = "exec")),
      ),
    ).toBe(false);
  });
});

const subscriberOf = ({ template }: Synthesized) =>
  resourcesOfType(template, "AWS::Lambda::Function").filter(([id]) => id.startsWith("EksAuditSubscriber"));

describe("EKS audit subscriber (clusters that turn audit logging on later)", () => {
  it("is on by default: the audit function exists without listed clusters, with the subscriber and no static filter", () => {
    expect(eksFunctionOf(defaults)).toHaveLength(1);
    expect(subscriberOf(defaults)).toHaveLength(1);
    expect(resourcesOfType(defaults.template, "AWS::Logs::SubscriptionFilter")).toEqual([]);
    expect(subscriberOf(withoutClusters)).toEqual([]);
  });

  it("a rule on CreateCluster / UpdateClusterConfig enabling audit logging targets the subscriber, with retries and a dead-letter queue", () => {
    const [subscriberId] = subscriberOf(defaults)[0] as [string, CfnResource];
    const rules = resourcesOfType(defaults.template, "AWS::Events::Rule").filter(([, rule]) =>
      JSON.stringify(rule.Properties?.Targets).includes(subscriberId),
    );
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0] as [string, CfnResource];
    expect(rule.Properties?.EventPattern).toEqual({
      source: ["aws.eks"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: {
        eventSource: ["eks.amazonaws.com"],
        eventName: ["CreateCluster", "UpdateClusterConfig"],
        errorCode: [{ exists: false }],
        requestParameters: { logging: { clusterLogging: { types: ["audit"], enabled: [true] } } },
      },
    });
    expect(rule.Properties?.Targets).toEqual([
      expect.objectContaining({
        Arn: { "Fn::GetAtt": [subscriberId, "Arn"] },
        DeadLetterConfig: {
          Arn: { "Fn::GetAtt": [expect.stringMatching(/^EksAuditSubscriberDeadLetterQueue/), "Arn"] },
        },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 7200 },
      }),
    ]);
  });

  it("waits for the log group within a 10-minute invocation, retried twice within an hour, then dead-lettered", () => {
    const [subscriberId, fn] = subscriberOf(defaults)[0] as [string, CfnResource];
    expect(fn.Properties).toMatchObject({ Timeout: 600, DeadLetterConfig: { TargetArn: expect.anything() } });
    expect(SUBSCRIBE_WAIT_MS + SUBSCRIBE_INTERVAL_MS).toBeLessThan(600_000);
    const configs = resourcesOfType(defaults.template, "AWS::Lambda::EventInvokeConfig").filter(([, c]) =>
      JSON.stringify(c.Properties?.FunctionName).includes(subscriberId),
    );
    expect(configs.map(([, c]) => c.Properties)).toEqual([
      expect.objectContaining({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 }),
    ]);
    const [eksId] = eksFunctionOf(defaults)[0] as [string, CfnResource];
    expect(resolvePseudo(fn.Properties?.Environment)).toEqual({
      Variables: {
        EKS_AUDIT_FUNCTION_ARN: { "Fn::GetAtt": [eksId, "Arn"] },
        POWERTOOLS_SERVICE_NAME: "vigil",
        NODE_OPTIONS: "--enable-source-maps",
      },
    });
  });

  it("least privilege: logs:PutSubscriptionFilter on EKS control plane log groups only, its own logs and dead-letter queue", () => {
    const [, fn] = subscriberOf(defaults)[0] as [string, CfnResource];
    const roleId = (fn.Properties?.Role as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    const statements = statementsOfRole(defaults.template, roleId);
    const actions = statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])).sort();
    expect(actions).toEqual([
      "logs:CreateLogStream",
      "logs:PutLogEvents",
      "logs:PutSubscriptionFilter",
      "sqs:SendMessage",
    ]);
    const put = statements.find((s) => s.Action === "logs:PutSubscriptionFilter");
    expect(resolvePseudo(put?.Resource)).toEqual([
      "arn:aws:logs:us-east-1:111122223333:log-group:/aws/eks/*/cluster",
      "arn:aws:logs:us-east-1:111122223333:log-group:/aws/eks/*/cluster:*",
    ]);
  });

  it("lets CloudWatch Logs invoke the audit function from any EKS log group of this account (a subscription needs it)", () => {
    const [eksId] = eksFunctionOf(defaults)[0] as [string, CfnResource];
    const permissions = resourcesOfType(defaults.template, "AWS::Lambda::Permission")
      .map(([, p]) => resolvePseudo(p.Properties) as Record<string, unknown>)
      .filter((p) => p.Principal === "logs.amazonaws.com");
    expect(permissions).toEqual([
      {
        Action: "lambda:InvokeFunction",
        FunctionName: { "Fn::GetAtt": [eksId, "Arn"] },
        Principal: "logs.amazonaws.com",
        SourceArn: "arn:aws:logs:us-east-1:111122223333:log-group:/aws/eks/*",
        SourceAccount: "111122223333",
      },
    ]);
  });

  it("passes cdk-nag", () => {
    const report = new AwsSolutionsChecks(defaults.app, { verbose: true }).validateScope(defaults.app);
    expect(
      report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath)}`),
    ).toEqual([]);
  });
});
