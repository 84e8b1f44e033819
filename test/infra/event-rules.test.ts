import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serviceEventPatterns } from "../../infra/event-patterns";
import { checks } from "../../shared/checks/catalog";
import { auditLoggingCall } from "../../shared/eks-audit/subscribe";
import { matchesEventPattern } from "../support/event-pattern";
import {
  SSO_ADMIN_ROLE_ARN,
  authorizeByIamUser,
  authorizeByRole,
  cloudTrailEvent,
  configComplianceChange,
  configItemChange,
  describeSecurityGroups,
  failedAuthorize,
  modifySecurityGroupRules,
  otherServiceSameName,
  oversizedConfigItemChange,
  revokeByRole,
  rebootInstances,
} from "./sample-events";
import {
  REMEDIATION_ROLE_ARN,
  resolvePseudo,
  resourcesOfType,
  synthVigil,
  type CfnResource,
  removeSynthOutputs,
} from "./synth";

interface Rule {
  pattern: Record<string, unknown>;
  resource: CfnResource;
}

/** The CloudTrail rules: the checks' triggers split to fit EventBridge's pattern size quota. */
let cloudTrailRules: Rule[];
const matchesCloudTrail = (event: unknown) =>
  cloudTrailRules.some((rule) => matchesEventPattern(rule.pattern, event));
let config: Rule;
let allRules: Rule[];
let functionIds: { cloudTrail: string; config: string };

beforeAll(() => {
  const { template } = synthVigil();
  const rules = resourcesOfType(template, "AWS::Events::Rule").map(([, resource]) => ({
    resource,
    pattern: resolvePseudo(resource.Properties?.EventPattern) as Record<string, unknown>,
  }));
  cloudTrailRules = rules.filter(
    (rule) =>
      (rule.pattern["detail-type"] as string[]).includes("AWS API Call via CloudTrail") &&
      !JSON.stringify(rule.resource.Properties?.Targets).includes("EksAuditSubscriber"),
  );
  expect(cloudTrailRules.length).toBeGreaterThan(1);
  // The detection rules, plus the EKS audit subscriber's (infra/eks-audit.ts, on by default).
  expect(rules).toHaveLength(cloudTrailRules.length + 1 + serviceEventPatterns(checks).length + 1);
  allRules = rules;
  const byDetailType = (detailType: string) => {
    const rule = rules.find(
      (candidate) =>
        (candidate.pattern["detail-type"] as string[]).includes(detailType) &&
        !JSON.stringify(candidate.resource.Properties?.Targets).includes("EksAuditSubscriber"),
    );
    if (!rule) throw new Error(`no rule for ${detailType}`);
    return rule;
  };
  config = byDetailType("Config Configuration Item Change");
  const functionId = (prefix: string) => {
    const [id] = Object.keys(template.findResources("AWS::Lambda::Function")).filter((key) =>
      key.startsWith(prefix),
    );
    if (!id) throw new Error(`no function ${prefix}`);
    return id;
  };
  functionIds = { cloudTrail: functionId("CloudTrailEvent"), config: functionId("ConfigChange") };
});

afterAll(removeSynthOutputs);

describe("CloudTrail rule", () => {
  it.each([
    ["AuthorizeSecurityGroupIngress by an IAM user (no sessionContext)", authorizeByIamUser()],
    ["AuthorizeSecurityGroupIngress by an SSO role", authorizeByRole(SSO_ADMIN_ROLE_ARN)],
    ["ModifySecurityGroupRules from the console", modifySecurityGroupRules()],
  ])("matches %s", (_name, event) => {
    expect(matchesCloudTrail(event)).toBe(true);
  });

  it.each([
    ["a failed call (errorCode set)", failedAuthorize()],
    ["AuthorizeSecurityGroupIngress by the remediation role", authorizeByRole(REMEDIATION_ROLE_ARN)],
    ["ModifySecurityGroupRules by the remediation role", modifySecurityGroupRules(REMEDIATION_ROLE_ARN)],
    ["Vigil's own revoke", revokeByRole(REMEDIATION_ROLE_ARN)],
    ["a read-only DescribeSecurityGroups", describeSecurityGroups()],
    ["an unrelated RebootInstances", rebootInstances()],
    ["a watched name from another service", otherServiceSameName()],
    ["a Config item change", configItemChange()],
  ])("does not match %s", (_name, event) => {
    expect(matchesCloudTrail(event)).toBe(false);
  });

  it("matches every call any check lists as a trigger", () => {
    for (const trigger of checks.flatMap((check) => check.triggers.cloudTrail)) {
      for (const eventName of trigger.eventNames) {
        const event = cloudTrailEvent({ eventName, eventSource: trigger.eventSource });
        const matching = cloudTrailRules.filter((rule) => matchesEventPattern(rule.pattern, event));
        expect(matching, `${trigger.eventSource} ${eventName}`).toHaveLength(1);
      }
    }
  });

  it("excludes exactly the stack's remediation role, in each rule", () => {
    for (const rule of cloudTrailRules)
      expect(JSON.stringify(rule.pattern)).toContain(`{"anything-but":["${REMEDIATION_ROLE_ARN}"]}`);
  });

  it.each([0, 1])("targets the CloudTrail function with retries and a dead-letter queue (rule %i)", (i) => {
    expect(cloudTrailRules[i]?.resource.Properties?.Targets).toEqual([
      expect.objectContaining({
        Arn: { "Fn::GetAtt": [functionIds.cloudTrail, "Arn"] },
        DeadLetterConfig: {
          Arn: { "Fn::GetAtt": [expect.stringMatching(/^CloudTrailEventDeadLetterQueue/), "Arn"] },
        },
        RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 2 }),
      }),
    ]);
  });
});

describe("Config rule", () => {
  it.each([
    ["a security-group item change", configItemChange()],
    ["an oversized security-group item change (configurationItemSummary)", oversizedConfigItemChange()],
  ])("matches %s", (_name, event) => {
    expect(matchesEventPattern(config.pattern, event)).toBe(true);
  });

  it.each([
    ["an item change for a VPN gateway", configItemChange("AWS::EC2::VPNGateway", "vgw-0a1b2c3d4e5f60718")],
    [
      "an oversized item change for a VPN gateway",
      oversizedConfigItemChange("AWS::EC2::VPNGateway", "vgw-0a1b2c3d4e5f60718"),
    ],
    ["a Config rules compliance change", configComplianceChange()],
    ["a CloudTrail call", authorizeByIamUser()],
  ])("does not match %s", (_name, event) => {
    expect(matchesEventPattern(config.pattern, event)).toBe(false);
  });

  it("targets the config-change function with retries and a dead-letter queue", () => {
    expect(config.resource.Properties?.Targets).toEqual([
      expect.objectContaining({
        Arn: { "Fn::GetAtt": [functionIds.config, "Arn"] },
        DeadLetterConfig: {
          Arn: { "Fn::GetAtt": [expect.stringMatching(/^ConfigChangeDeadLetterQueue/), "Arn"] },
        },
        RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 2 }),
      }),
    ]);
  });
});

/**
 * Every sample event under `events/` (but `invalid/`) reaches exactly one detection rule, and that rule's target
 * is the function for its kind of event: CloudTrail calls and service events via CloudTrail to the
 * CloudTrail function, Config item changes to the config-change function, other service events
 * (ECR, Inspector) to the service-event function. `*-ignored.json` samples must reach no function.
 * Besides, a sample reaches the EKS audit subscriber's rule exactly when the subscriber itself would
 * act on it (`auditLoggingCall`: CreateCluster or UpdateClusterConfig enabling the audit log type):
 * the rule may let more through than the function acts on, but never on a sample, and misses none.
 * `eks-audit/` holds CloudWatch Logs subscription payloads and Kubernetes audit events, which reach
 * Vigil through a subscription filter, not EventBridge (test/infra/eks-audit.test.ts); `approvals/`
 * holds Slack's requests to the approval function's URL (test/approvals).
 */
const EVENTS = fileURLToPath(new URL("../../events", import.meta.url));
const samples = existsSync(EVENTS)
  ? readdirSync(EVENTS, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".json"))
      .filter(
        (file) => !["invalid", "eks-audit", "approvals"].some((dir) => file.startsWith(`${dir}${path.sep}`)),
      )
      .sort()
  : [];

/** Samples that are not `-ignored` yet must reach no rule, each with the reason. */
const UNROUTED: Record<string, string> = {
  "image-scan/inspector2-finding-ec2-instance.json":
    "an Inspector finding for an EC2 instance, not an ECR image",
  "image-scan/ecr-image-scan-basic-failed.json":
    "only COMPLETE scans are routed; a failed scan has no results",
  "lambda/config-item-function.json":
    "Config does not record Lambda environment variables: the calls are the trigger",
};

function expectedFunction(event: Record<string, unknown>): string {
  const detailType = String(event["detail-type"]);
  if (
    detailType === "AWS API Call via CloudTrail" ||
    detailType === "AWS Service Event via CloudTrail" ||
    detailType === "AWS Console Sign In via CloudTrail"
  )
    return "CloudTrailEvent";
  if (detailType === "Config Configuration Item Change") return "ConfigChange";
  return "ServiceEvent";
}

const targetsSubscriber = (rule: Rule) =>
  JSON.stringify(rule.resource.Properties?.Targets).includes("EksAuditSubscriber");

function targetFunction(rule: Rule): string {
  const targets = rule.resource.Properties?.Targets as { Arn: { "Fn::GetAtt": [string, string] } }[];
  expect(targets).toHaveLength(1);
  return targets[0]?.Arn["Fn::GetAtt"][0] ?? "";
}

describe.skipIf(samples.length === 0)("sample events", () => {
  it("the samples enabling EKS audit logging are among them (the subscriber's routing is not vacuous)", () => {
    const subscribed = samples.filter((file) => {
      const event = JSON.parse(readFileSync(path.join(EVENTS, file), "utf8")) as Record<string, unknown>;
      return allRules.some((rule) => targetsSubscriber(rule) && matchesEventPattern(rule.pattern, event));
    });
    expect(subscribed).toEqual(
      [
        "eks/CreateCluster-private-encrypted-audited.json",
        "eks/UpdateClusterConfig-enable-audit-logging.json",
        "eks/UpdateClusterConfig-enable-audit-only.json",
      ].map((file) => file.split("/").join(path.sep)),
    );
  });

  it.each(samples)("%s reaches exactly the right function, or none when ignored", (file) => {
    const event = JSON.parse(readFileSync(path.join(EVENTS, file), "utf8")) as Record<string, unknown>;
    const all = allRules.filter((rule) => matchesEventPattern(rule.pattern, event));
    const subscriberRules = all.filter(targetsSubscriber);
    expect(subscriberRules).toHaveLength(auditLoggingCall(event).kind === "enables-audit" ? 1 : 0);
    const matched = all.filter((rule) => !targetsSubscriber(rule));
    if (file.endsWith("-ignored.json") || UNROUTED[file]) {
      expect(matched).toEqual([]);
      return;
    }
    expect(matched).toHaveLength(1);
    expect(targetFunction(matched[0] as Rule)).toMatch(
      new RegExp(`^${expectedFunction(event)}Function[A-F0-9]{8}$`),
    );
  });
});
