import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { App, Stack, Validations } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deploymentEnvironment } from "../../infra/deploy-env";
import {
  CLOUDTRAIL_CONSOLE_SIGN_IN_DETAIL_TYPE,
  cloudTrailTriggersPattern,
} from "../../infra/event-patterns";
import {
  GLOBAL_EVENTS_STACK_ID,
  GLOBAL_EVENT_SOURCES,
  globalCloudTrailTriggers,
} from "../../infra/global-events";
import { AwsSolutionsChecks } from "../../infra/nag";
import { buildVigilApp } from "../../infra/build-app";
import { checks } from "../../shared/checks/catalog";
import { ConfigError } from "../../shared/config/load";
import { matchesEventPattern } from "../support/event-pattern";
import { loadEvent } from "../support/events";
import { assumedRole } from "./sample-events";
import {
  ACCOUNT,
  NO_BUNDLING,
  removeGlobalSynthOutputs,
  resolvePartition,
  synthHome,
  type SynthesizedApp,
} from "./global-synth";

const HOME = "eu-west-1";
const HOME_BUS_ARN = `arn:aws:events:${HOME}:${ACCOUNT}:event-bus/default`;
const HOME_REMEDIATION_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/vigil-remediation-${HOME}`;
const API_CALL = "AWS API Call via CloudTrail";
const SERVICE_EVENT = "AWS Service Event via CloudTrail";

// Written out here, not imported, so a change to the list in infra/ shows up as a failing test.
const GLOBAL_SET = new Set([
  "cloudfront.amazonaws.com",
  "iam.amazonaws.com",
  "organizations.amazonaws.com",
  "route53.amazonaws.com",
  "signin.amazonaws.com",
]);

/** What the catalog watches on global services, computed here from the checks' triggers. */
const catalogGlobal = checks
  .flatMap((check) => check.triggers.cloudTrail)
  .filter((trigger) => GLOBAL_SET.has(trigger.eventSource));
const expectedEventSources = [...new Set(catalogGlobal.map((trigger) => trigger.eventSource))].sort();
const expectedEventNames = [...new Set(catalogGlobal.flatMap((trigger) => trigger.eventNames))].sort();
const watchesSignIn = expectedEventSources.includes("signin.amazonaws.com");

const SAMPLES_DIR = fileURLToPath(new URL("../../events/cloudfront", import.meta.url));
const cloudFrontCalls = readdirSync(SAMPLES_DIR)
  .filter((file) => file.endsWith(".json"))
  .map((file) => loadEvent(path.join("cloudfront", file)))
  .filter((event) => event["detail-type"] === API_CALL);

interface Rule {
  pattern: Record<string, unknown>;
  properties: Record<string, unknown>;
}

function rules(template: Template): Rule[] {
  return Object.values(template.findResources("AWS::Events::Rule")).map((resource) => {
    const properties = (resource as { Properties: Record<string, unknown> }).Properties;
    return { properties, pattern: resolvePartition(properties.EventPattern) as Record<string, unknown> };
  });
}

/**
 * The rules feeding the CloudTrail function (the EKS audit subscriber has a CloudTrail rule of its
 * own): several, as the checks' triggers are split to fit EventBridge's pattern size quota.
 */
const cloudTrailRules = (template: Template): Rule[] => {
  const found = rules(template).filter(
    (rule) =>
      (rule.pattern["detail-type"] as string[]).includes(API_CALL) &&
      JSON.stringify(rule.properties.Targets).includes("CloudTrailEvent"),
  );
  expect(found.length).toBeGreaterThan(0);
  return found;
};

/** Whether the home stack's CloudTrail rules take `event`: exactly one of them must. */
const homeTakes = (template: Template, event: unknown): boolean => {
  const matching = cloudTrailRules(template).filter((rule) => matchesEventPattern(rule.pattern, event));
  expect(matching.length).toBeLessThanOrEqual(1);
  return matching.length === 1;
};

const issuer = (matcher: unknown) => ({
  userIdentity: { sessionContext: { sessionIssuer: { arn: [matcher] } } },
});

const withDetail = (event: ReturnType<typeof loadEvent>, detail: Record<string, unknown>) => ({
  ...event,
  detail: { ...event.detail, ...detail },
});

/** A console sign-in as CloudTrail delivers it to EventBridge (IAM user, success). */
const consoleLogin = {
  version: "0",
  id: "6f2c1e0a-3b4d-4c5e-9f60-7a8b9c0d1e2f",
  "detail-type": "AWS Console Sign In via CloudTrail",
  source: "aws.signin",
  account: ACCOUNT,
  time: "2025-03-19T08:02:11Z",
  region: "us-east-1",
  resources: [],
  detail: {
    eventVersion: "1.09",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAXMPLQ7RZ4T2HN3KJW",
      arn: `arn:aws:iam::${ACCOUNT}:user/alice.ops`,
      accountId: ACCOUNT,
      userName: "alice.ops",
    },
    eventTime: "2025-03-19T08:02:11Z",
    eventSource: "signin.amazonaws.com",
    eventName: "ConsoleLogin",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.24",
    userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:136.0) Gecko/20100101 Firefox/136.0",
    requestParameters: null,
    responseElements: { ConsoleLogin: "Success" },
    additionalEventData: {
      LoginTo: "https://console.aws.amazon.com/console/home",
      MobileVersion: "No",
      MFAUsed: "No",
    },
    eventID: "0d3c5a7e-1f2b-4c6d-8e9f-a0b1c2d3e4f5",
    readOnly: false,
    eventType: "AwsConsoleSignIn",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
  },
};

afterAll(removeGlobalSynthOutputs);

describe("global event sources", () => {
  it("are the global services Vigil may watch, and not regional STS or other services", () => {
    expect(new Set(GLOBAL_EVENT_SOURCES)).toEqual(GLOBAL_SET);
    expect(GLOBAL_EVENT_SOURCES).not.toContain("sts.amazonaws.com");
    expect(GLOBAL_EVENT_SOURCES).not.toContain("ec2.amazonaws.com");
  });

  it("include a service the catalog watches (CloudFront.3), so the forwarder is not hypothetical", () => {
    expect(catalogGlobal.length).toBeGreaterThan(0);
    expect(expectedEventSources).toContain("cloudfront.amazonaws.com");
    expect(globalCloudTrailTriggers(checks)).toEqual(catalogGlobal);
  });
});

describe(`home in ${HOME}`, () => {
  let synth: SynthesizedApp;
  let forwarder: Template;
  let rule: Rule;

  beforeAll(() => {
    // The full synth `cdk synth` runs: cdk-nag plus CloudFormation schema checks.
    synth = synthHome({ account: ACCOUNT, region: HOME }, { cfnValidation: true });
    if (!synth.forwarderTemplate) throw new Error("no forwarder stack");
    forwarder = synth.forwarderTemplate;
    rule = rules(forwarder)[0] as Rule;
  }, 120_000);

  it("adds a forwarder stack in us-east-1, same account, named after the home region", () => {
    const stack = synth.forwarder;
    expect(stack?.region).toBe("us-east-1");
    expect(stack?.account).toBe(ACCOUNT);
    expect(stack?.stackName).toBe(`VigilGlobalEvents-${HOME}`);
    expect(synth.home.region).toBe(HOME);
    expect(synth.app.node.children.filter((child) => Stack.isStack(child))).toHaveLength(2);
  });

  it("is deployed with the home stack (dependency), without cross-stack references", () => {
    expect(synth.home.dependencies).toContain(synth.forwarder);
    for (const template of [forwarder, synth.homeTemplate]) {
      const json = JSON.stringify(template.toJSON());
      expect(json).not.toContain("Fn::ImportValue");
    }
    expect(JSON.stringify(synth.homeTemplate.toJSON().Outputs)).not.toContain("Export");
  });

  it("holds one rule, its role and the role's policy, nothing else", () => {
    const types = Object.values(forwarder.toJSON().Resources as Record<string, { Type: string }>)
      .map((resource) => resource.Type)
      .sort();
    expect(types).toEqual(["AWS::Events::Rule", "AWS::IAM::Policy", "AWS::IAM::Role"]);
    expect(rule.properties.State ?? "ENABLED").toBe("ENABLED");
    expect(rule.properties.EventBusName).toBeUndefined(); // the default bus
  });

  it("matches exactly the catalog's CloudTrail calls on global services", () => {
    expect(rule.pattern.source).toEqual(expectedEventSources.map((source) => `aws.${source.split(".")[0]}`));
    expect(rule.pattern.source).toContain("aws.cloudfront");
    expect(rule.pattern.source).not.toContain("aws.ec2");
    const detail = rule.pattern.detail as Record<string, unknown>;
    expect(detail.eventSource).toEqual(expectedEventSources);
    expect(detail.eventSource).toContain("cloudfront.amazonaws.com");
    expect(detail.eventName).toEqual(expectedEventNames);
    expect(detail.eventName).toContain("UpdateDistribution");
    expect(rule.pattern["detail-type"]).toEqual([
      API_CALL,
      SERVICE_EVENT,
      ...(watchesSignIn ? [CLOUDTRAIL_CONSOLE_SIGN_IN_DETAIL_TYPE] : []),
    ]);
  });

  it("forwards the IAM checks' calls and console sign-ins (VIGIL.IAM.ROOT_ACTIVITY)", () => {
    const detail = rule.pattern.detail as Record<string, unknown>;
    expect(detail.eventSource).toEqual(expect.arrayContaining(["iam.amazonaws.com", "signin.amazonaws.com"]));
    expect(detail.eventName).toEqual(expect.arrayContaining(["CreateAccessKey", "ConsoleLogin"]));
    expect(rule.pattern.source).toEqual(expect.arrayContaining(["aws.iam", "aws.signin"]));
    expect(rule.pattern["detail-type"]).toContain("AWS Console Sign In via CloudTrail");
    expect(matchesEventPattern(rule.pattern, consoleLogin)).toBe(true);
    // The home rule takes the forwarded sign-in too (the intake must accept its detail-type).
    expect(homeTakes(synth.homeTemplate, consoleLogin)).toBe(true);
  });

  it("has the home rule's loop guard: no failed calls, nothing by the home remediation role", () => {
    const detail = rule.pattern.detail as Record<string, unknown>;
    expect(detail.errorCode).toEqual([{ exists: false }]);
    expect(detail.$or).toEqual([
      issuer({ exists: false }),
      issuer({ "anything-but": [HOME_REMEDIATION_ROLE_ARN] }),
    ]);
    for (const home of cloudTrailRules(synth.homeTemplate)) {
      const homeDetail = home.pattern.detail as Record<string, unknown>;
      expect(detail.$or).toEqual(homeDetail.$or);
      expect(detail.errorCode).toEqual(homeDetail.errorCode);
    }
  });

  it("targets the home region's default bus through its own role", () => {
    const targets = rule.properties.Targets as Record<string, unknown>[];
    expect(targets).toHaveLength(1);
    const [target] = targets as [Record<string, unknown>];
    expect(resolvePartition(target.Arn)).toBe(HOME_BUS_ARN);
    const [roleId] = Object.keys(forwarder.findResources("AWS::IAM::Role"));
    expect(target.RoleArn).toEqual({ "Fn::GetAtt": [roleId, "Arn"] });
    expect(target.RetryPolicy).toBeUndefined(); // not supported for bus targets: EventBridge retries 24 h
  });

  it("lets only EventBridge, for this account, assume the role, which may only put events on that bus", () => {
    const [role] = Object.values(forwarder.findResources("AWS::IAM::Role")) as {
      Properties: Record<string, unknown>;
    }[];
    expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role?.Properties.Policies).toBeUndefined();
    expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "events.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ],
    });
    const policies = Object.values(forwarder.findResources("AWS::IAM::Policy")) as {
      Properties: { PolicyDocument: unknown; Roles: unknown };
    }[];
    expect(policies).toHaveLength(1);
    expect(resolvePartition(policies[0]?.Properties.PolicyDocument)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: HOME_BUS_ARN }],
    });
  });

  it("forwards the CloudFront sample calls, and the home CloudTrail rule takes them as forwarded", () => {
    expect(cloudFrontCalls.length).toBeGreaterThan(2);
    for (const event of cloudFrontCalls) {
      expect(matchesEventPattern(rule.pattern, event), String(event.id)).toBe(true);
      // Cross-region delivery keeps source, detail-type and detail (region stays us-east-1).
      expect(homeTakes(synth.homeTemplate, event), String(event.id)).toBe(true);
    }
  });

  it("does not forward failed calls, Vigil's own calls, Config items or regional services", () => {
    const [call] = cloudFrontCalls as [ReturnType<typeof loadEvent>];
    expect(matchesEventPattern(rule.pattern, call)).toBe(true);
    const failed = withDetail(call, { errorCode: "AccessDenied", errorMessage: "User is not authorized" });
    expect(matchesEventPattern(rule.pattern, failed)).toBe(false);
    const byVigil = withDetail(call, { userIdentity: assumedRole(HOME_REMEDIATION_ROLE_ARN, "vigil") });
    expect(matchesEventPattern(rule.pattern, byVigil)).toBe(false);
    const byOtherRole = withDetail(call, {
      userIdentity: assumedRole(`arn:aws:iam::${ACCOUNT}:role/WebAdmin`),
    });
    expect(matchesEventPattern(rule.pattern, byOtherRole)).toBe(true);
    const configItem = loadEvent("cloudfront/config-item-distribution-allow-all.json");
    expect(matchesEventPattern(rule.pattern, configItem)).toBe(false);
    const regional = loadEvent("cloudtrail/StopLogging.json");
    expect(homeTakes(synth.homeTemplate, regional)).toBe(true);
    expect(matchesEventPattern(rule.pattern, regional)).toBe(false);
  });

  it("left nothing in the synth's validation report (cdk-nag or CloudFormation schema)", () => {
    const report = JSON.parse(
      readFileSync(path.join(synth.app.outdir, "validation-report.json"), "utf8"),
    ) as {
      pluginReports: unknown[];
    };
    expect(report.pluginReports).toEqual([]);
  });

  it("passes cdk-nag on both stacks with nothing acknowledged in the forwarder", () => {
    const report = new AwsSolutionsChecks(synth.app).validateScope(synth.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    const acknowledged = synth.forwarder?.node
      .findAll()
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(acknowledged).toEqual([]);
  });
});

describe("home in us-east-1", () => {
  let synth: SynthesizedApp;

  beforeAll(() => {
    synth = synthHome({ account: ACCOUNT, region: "us-east-1" });
  }, 120_000);

  it("has no forwarder: the home rule sees global services' events itself", () => {
    expect(synth.forwarder).toBeUndefined();
    expect(synth.app.node.tryFindChild(GLOBAL_EVENTS_STACK_ID)).toBeUndefined();
    expect(synth.app.node.children.filter((child) => Stack.isStack(child))).toHaveLength(1);
    for (const event of cloudFrontCalls) expect(homeTakes(synth.homeTemplate, event)).toBe(true);
  });
});

describe("environment", () => {
  const newApp = () => new App({ context: NO_BUNDLING });

  it("fails the synth with a clear message when a forwarder is needed but the account is unknown", () => {
    expect(() => buildVigilApp(newApp(), { region: HOME })).toThrow(ConfigError);
    expect(() => buildVigilApp(newApp(), { region: HOME })).toThrow(/-c account=<12-digit account id>/);
  });

  it("needs no account in us-east-1, and warns (no forwarder) when the region is unknown", () => {
    expect(() => buildVigilApp(newApp(), { region: "us-east-1" })).not.toThrow();
    const app = newApp();
    const home = buildVigilApp(app);
    expect(app.node.tryFindChild(GLOBAL_EVENTS_STACK_ID)).toBeUndefined();
    const warnings = home.node.metadata.filter((entry) => entry.type === "aws:cdk:warning");
    expect(warnings.map((entry) => String(entry.data))).toEqual([
      expect.stringMatching(/region is unknown.*cloudfront\.amazonaws\.com/),
    ]);
  });

  it("takes the account from -c account=, over CDK_DEFAULT_ACCOUNT, and rejects anything but 12 digits", () => {
    const defaults = { CDK_DEFAULT_ACCOUNT: "999988887777", CDK_DEFAULT_REGION: HOME };
    const node = (context: Record<string, unknown>) => new App({ context }).node;
    expect(deploymentEnvironment(node({}), defaults)).toEqual({ account: "999988887777", region: HOME });
    expect(deploymentEnvironment(node({ account: ACCOUNT }), defaults)).toEqual({
      account: ACCOUNT,
      region: HOME,
    });
    expect(deploymentEnvironment(node({}), {})).toEqual({ account: undefined, region: undefined });
    expect(() => deploymentEnvironment(node({ account: "12345" }), defaults)).toThrow(ConfigError);
    expect(() => deploymentEnvironment(node({ account: 111122223333 }), defaults)).toThrow(/12-digit/);
  });
});

describe("console sign-in", () => {
  const signIn = { eventSource: "signin.amazonaws.com", eventNames: ["ConsoleLogin"] };
  const cloudFront = { eventSource: "cloudfront.amazonaws.com", eventNames: ["UpdateDistribution"] };

  it("adds its detail-type only when a trigger names signin.amazonaws.com", () => {
    expect(cloudTrailTriggersPattern([cloudFront], [HOME_REMEDIATION_ROLE_ARN])?.["detail-type"]).toEqual([
      API_CALL,
      SERVICE_EVENT,
    ]);
    const pattern = cloudTrailTriggersPattern([cloudFront, signIn], [HOME_REMEDIATION_ROLE_ARN]);
    expect(pattern?.["detail-type"]).toEqual([API_CALL, SERVICE_EVENT, "AWS Console Sign In via CloudTrail"]);
    expect(pattern?.source).toEqual(["aws.cloudfront", "aws.signin"]);
  });

  it("matches a real-shape ConsoleLogin event only when a check watches sign-ins", () => {
    const without = cloudTrailTriggersPattern([cloudFront], [HOME_REMEDIATION_ROLE_ARN]);
    const withSignIn = cloudTrailTriggersPattern([cloudFront, signIn], [HOME_REMEDIATION_ROLE_ARN]);
    expect(matchesEventPattern(without, consoleLogin)).toBe(false);
    expect(matchesEventPattern(withSignIn, consoleLogin)).toBe(true);
  });
});
