import { Stack, Validations } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildVigilApp } from "../../infra/build-app";
import { cloudTrailPatternsWithin } from "../../infra/forwarded-events";
import { AwsSolutionsChecks } from "../../infra/nag";
import { isReadOnlyAction, remediationGrants, remediationGrantsInRegions } from "../../infra/permissions";
import { checks } from "../../shared/checks/catalog";
import { ConfigError } from "../../shared/config/load";
import { remediations } from "../../shared/remediations/catalog";
import { matchesEventPattern } from "../support/event-pattern";
import { loadEvent } from "../support/events";
import {
  ACCOUNT,
  from,
  removeMultiRegionOutputs,
  resolveFor,
  rulesOf,
  synthWith,
  vigilApp,
  type RuleOf,
  type SynthesizedVigil,
} from "./multi-region-synth";
import { assumedRole } from "./sample-events";

const HOME = "eu-west-1";
const OTHER = "eu-central-1";
const HOME_BUS_ARN = `arn:aws:events:${HOME}:${ACCOUNT}:event-bus/default`;
const HOME_REMEDIATION_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/vigil-remediation-${HOME}`;
const API_CALL = "AWS API Call via CloudTrail";
// Written out here, not imported, so a change to the list in infra/ shows up as a failing test.
const GLOBAL_SOURCES = new Set([
  "cloudfront.amazonaws.com",
  "iam.amazonaws.com",
  "organizations.amazonaws.com",
  "route53.amazonaws.com",
  "signin.amazonaws.com",
]);
const regionalTriggers = checks
  .flatMap((check) => check.triggers.cloudTrail)
  .filter((trigger) => !GLOBAL_SOURCES.has(trigger.eventSource));

afterAll(removeMultiRegionOutputs);

const targetsOf = (rule: RuleOf) => rule.properties.Targets as Record<string, unknown>[];
const byTarget = (rules: RuleOf[], fn: string) =>
  rules.filter((rule) => JSON.stringify(rule.properties.Targets).includes(fn));
const patternKey = (pattern: unknown) => JSON.stringify(pattern);

describe(`multi-region: home ${HOME}, forwarding ${OTHER} and us-east-1`, () => {
  let synth: SynthesizedVigil;
  let other: Template;
  let usEast1: Template;
  let homeRules: RuleOf[];

  beforeAll(() => {
    // Home listed too, and twice: ignored.
    synth = synthWith(
      { forwarding: { regions: [OTHER, "us-east-1", HOME, OTHER] } },
      { account: ACCOUNT, region: HOME },
    );
    other = synth.templates.get(`VigilEvents-${OTHER}`) as Template;
    usEast1 = synth.templates.get("VigilGlobalEvents") as Template;
    homeRules = rulesOf(synth.homeTemplate, ACCOUNT, HOME);
  }, 180_000);

  it("adds one stack per forwarded Region (us-east-1's keeping the global forwarder's name), none for home", () => {
    expect([...synth.stacks.keys()].sort()).toEqual([`VigilEvents-${OTHER}`, "VigilGlobalEvents"]);
    const stack = synth.stacks.get(`VigilEvents-${OTHER}`) as Stack;
    expect([stack.account, stack.region, stack.stackName]).toEqual([
      ACCOUNT,
      OTHER,
      `VigilEvents-${OTHER}-to-${HOME}`,
    ]);
    const east = synth.stacks.get("VigilGlobalEvents") as Stack;
    expect([east.account, east.region, east.stackName]).toEqual([
      ACCOUNT,
      "us-east-1",
      `VigilGlobalEvents-${HOME}`,
    ]);
  });

  it("deploys them before the home stack, with no cross-stack references", () => {
    for (const stack of synth.stacks.values()) expect(synth.home.dependencies).toContain(stack);
    for (const template of [...synth.templates.values(), synth.homeTemplate])
      expect(JSON.stringify(template.toJSON())).not.toContain("Fn::ImportValue");
  });

  it("forwards the regional services' CloudTrail calls with the home rule's loop guard, not the global ones", () => {
    const rules = rulesOf(other, ACCOUNT, OTHER).filter((r) =>
      (r.pattern["detail-type"] as string[]).includes(API_CALL),
    );
    // Split over rules that each fit EventBridge's default 2048-character pattern quota.
    expect(rules.length).toBeGreaterThan(1);
    const details = rules.map((rule) => rule.pattern.detail as Record<string, string[] | unknown>);
    const union = (key: string) => [...new Set(details.flatMap((detail) => detail[key] as string[]))].sort();
    expect(union("eventSource")).toEqual([...new Set(regionalTriggers.map((t) => t.eventSource))].sort());
    expect(union("eventName")).toEqual([...new Set(regionalTriggers.flatMap((t) => t.eventNames))].sort());
    expect(union("eventSource")).toContain("ec2.amazonaws.com");
    expect(union("eventSource")).not.toContain("iam.amazonaws.com");
    const [home] = byTarget(homeRules, "CloudTrailEvent");
    const homeDetail = (home as RuleOf).pattern.detail as Record<string, unknown>;
    for (const [index, rule] of rules.entries()) {
      expect(JSON.stringify(rule.pattern).length, rule.id).toBeLessThanOrEqual(2048);
      expect(details[index]?.$or).toEqual(homeDetail.$or);
      expect(details[index]?.errorCode).toEqual([{ exists: false }]);
    }
    expect(JSON.stringify(homeDetail.$or)).toContain(HOME_REMEDIATION_ROLE_ARN);
  });

  it("forwards exactly the home stack's Config and service-event patterns", () => {
    const forwarded = rulesOf(other, ACCOUNT, OTHER).filter(
      (r) => !(r.pattern["detail-type"] as string[]).includes(API_CALL),
    );
    const home = [...byTarget(homeRules, "ConfigChange"), ...byTarget(homeRules, "ServiceEvent")];
    expect(forwarded.length).toBeGreaterThan(3);
    expect(forwarded.map((r) => patternKey(r.pattern)).sort()).toEqual(
      home.map((r) => patternKey(r.pattern)).sort(),
    );
    const sources = forwarded.flatMap((r) => r.pattern.source as string[]);
    expect(sources).toEqual(
      expect.arrayContaining(["aws.config", "aws.guardduty", "aws.ecr", "aws.inspector2"]),
    );
  });

  it("sends every rule's events to the home default bus through the stack's one role, which may only put them there", () => {
    for (const template of [other, usEast1]) {
      const [roleId] = Object.keys(template.findResources("AWS::IAM::Role"));
      expect(Object.keys(template.findResources("AWS::IAM::Role"))).toHaveLength(1);
      for (const rule of rulesOf(template, ACCOUNT, OTHER)) {
        expect(targetsOf(rule)).toHaveLength(1);
        const [target] = targetsOf(rule) as [Record<string, unknown>];
        expect(resolveFor(target.Arn, ACCOUNT, OTHER)).toBe(HOME_BUS_ARN);
        expect(target.RoleArn).toEqual({ "Fn::GetAtt": [roleId, "Arn"] });
      }
      const policies = Object.values(template.findResources("AWS::IAM::Policy")) as {
        Properties: { PolicyDocument: unknown };
      }[];
      expect(policies.map((p) => resolveFor(p.Properties.PolicyDocument, ACCOUNT, OTHER))).toEqual([
        {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "events:PutEvents", Resource: HOME_BUS_ARN }],
        },
      ]);
      const [role] = Object.values(template.findResources("AWS::IAM::Role")) as {
        Properties: Record<string, unknown>;
      }[];
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
    }
  });

  it("us-east-1's stack forwards both the global services' calls and its own Region's events", () => {
    const rules = rulesOf(usEast1, ACCOUNT, "us-east-1");
    const cloudTrail = rules.filter((r) => (r.pattern["detail-type"] as string[]).includes(API_CALL));
    expect(cloudTrail.length).toBeGreaterThan(2);
    const sources = cloudTrail.map((r) => (r.pattern.detail as { eventSource: string[] }).eventSource);
    expect(
      sources.some((list) => list.includes("iam.amazonaws.com") && !list.includes("ec2.amazonaws.com")),
    ).toBe(true);
    expect(
      sources.some((list) => list.includes("ec2.amazonaws.com") && !list.includes("iam.amazonaws.com")),
    ).toBe(true);
    expect(rules.map((r) => patternKey(r.pattern))).toEqual(
      expect.arrayContaining(rulesOf(other, ACCOUNT, OTHER).map((r) => patternKey(r.pattern))),
    );
  });

  it("matches real-shape events of the forwarded Region, and the home rules take them as forwarded", () => {
    const rules = rulesOf(other, ACCOUNT, OTHER);
    const samples = [
      loadEvent("cloudtrail/StopLogging.json"),
      loadEvent("guardduty-findings/ec2-ssh-bruteforce.json"),
      loadEvent("image-scan/ecr-image-scan-basic-complete.json"),
      loadEvent("security-group/config-item-default-group-untouched.json"),
    ].map((event) => from(event, ACCOUNT, OTHER));
    for (const event of samples) {
      expect(
        rules.some((rule) => matchesEventPattern(rule.pattern, event)),
        String(event.id),
      ).toBe(true);
      expect(
        homeRules.some((rule) => matchesEventPattern(rule.pattern, event)),
        String(event.id),
      ).toBe(true);
    }
  });

  it("does not forward Vigil's own remediations or failed calls", () => {
    const rules = rulesOf(other, ACCOUNT, OTHER);
    const call = from(loadEvent("cloudtrail/StopLogging.json"), ACCOUNT, OTHER);
    const detail = call.detail as Record<string, unknown>;
    const byVigil = {
      ...call,
      detail: { ...detail, userIdentity: assumedRole(HOME_REMEDIATION_ROLE_ARN, "vigil") },
    };
    const failed = { ...call, detail: { ...detail, errorCode: "AccessDenied" } };
    for (const event of [byVigil, failed])
      expect(rules.some((rule) => matchesEventPattern(rule.pattern, event))).toBe(false);
  });

  it("lets the remediation role write in every covered Region, one ARN per Region, never a `*` Region", () => {
    const [roleId] = Object.keys(
      synth.homeTemplate.findResources("AWS::IAM::Role", {
        Properties: { RoleName: `vigil-remediation-${HOME}` },
      }),
    );
    const statements = Object.values(synth.homeTemplate.findResources("AWS::IAM::Policy"))
      .concat(Object.values(synth.homeTemplate.findResources("AWS::IAM::ManagedPolicy")))
      .filter((policy) =>
        JSON.stringify((policy as { Properties: { Roles: unknown } }).Properties.Roles).includes(
          `"${roleId}"`,
        ),
      )
      .flatMap(
        (policy) =>
          (
            resolveFor(
              (policy as { Properties: { PolicyDocument: unknown } }).Properties.PolicyDocument,
              ACCOUNT,
              HOME,
            ) as {
              Statement: { Action: string | string[]; Resource: string | string[] }[];
            }
          ).Statement,
      );
    const resourcesFor = (action: string) =>
      statements
        .filter((s) => [s.Action].flat().includes(action))
        .flatMap((s) => [s.Resource].flat())
        .sort();
    expect(resourcesFor("ec2:RevokeSecurityGroupIngress")).toEqual(
      [HOME, OTHER, "us-east-1"].map((region) => `arn:aws:ec2:${region}:${ACCOUNT}:security-group/*`).sort(),
    );
    // Global resources once.
    expect(resourcesFor("iam:UpdateAccessKey")).toEqual([`arn:aws:iam::${ACCOUNT}:user/*`]);
    const writes = [...new Set(remediations.flatMap((r) => r.iamActions))].filter(
      (a) => !isReadOnlyAction(a),
    );
    for (const action of writes) {
      const resources = resourcesFor(action);
      expect(resources.length, action).toBeGreaterThan(0);
      for (const arn of resources) expect(arn.split(":")[3], `${action} ${arn}`).not.toBe("*");
    }
  });

  it("passes cdk-nag on every stack, with nothing acknowledged in the forwarders", () => {
    const report = new AwsSolutionsChecks(synth.app).validateScope(synth.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    const acknowledged = [...synth.stacks.values()]
      .flatMap((stack) => stack.node.findAll())
      .flatMap((construct) => construct.node.metadata)
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(acknowledged).toEqual([]);
  });
});

describe("remediationGrantsInRegions", () => {
  const scope = { partition: "aws", account: ACCOUNT };

  it("scopes each write to each Region, one ARN per Region, global resources once, and merges equal scopes", () => {
    const grants = remediationGrantsInRegions(remediations, scope, [HOME, OTHER]);
    const resourcesOf = (action: string) =>
      grants.filter((g) => g.actions.includes(action)).flatMap((g) => g.resources);
    expect(resourcesOf("ec2:RevokeSecurityGroupIngress")).toEqual([
      `arn:aws:ec2:${HOME}:${ACCOUNT}:security-group/*`,
      `arn:aws:ec2:${OTHER}:${ACCOUNT}:security-group/*`,
    ]);
    expect(resourcesOf("iam:UpdateAccessKey")).toEqual([`arn:aws:iam::${ACCOUNT}:user/*`]);
    // Ingress and egress revokes act on the same groups: one statement.
    const revoke = grants.find((g) => g.actions.includes("ec2:RevokeSecurityGroupIngress"));
    expect(revoke?.actions).toContain("ec2:RevokeSecurityGroupEgress");
    // Every action once, exactly the catalog's.
    const actions = grants.flatMap((g) => g.actions);
    expect(actions.sort()).toEqual([...new Set(remediations.flatMap((r) => r.iamActions))].sort());
    // One Region: the same actions on the same resources as remediationGrants.
    const flat = (list: { actions: string[]; resources: string[] }[]) =>
      list.flatMap((g) => g.actions.map((a) => `${a} ${[...g.resources].sort().join(",")}`)).sort();
    expect(flat(remediationGrantsInRegions(remediations, scope, [HOME]))).toEqual(
      flat(remediationGrants(remediations, { ...scope, region: HOME })),
    );
    expect(() => remediationGrantsInRegions(remediations, scope, [])).toThrow(/at least one Region/);
  });
});

describe("cloudTrailPatternsWithin", () => {
  const ignored = [`arn:aws:iam::${ACCOUNT}:role/vigil-remediation-${HOME}`];
  const triggers = [
    {
      eventSource: "ec2.amazonaws.com",
      eventNames: ["AuthorizeSecurityGroupIngress", "ModifyInstanceAttribute"],
    },
    { eventSource: "s3.amazonaws.com", eventNames: ["PutBucketPolicy", "DeleteBucketPolicy"] },
    { eventSource: "ec2.amazonaws.com", eventNames: ["CreateNetworkAclEntry"] },
  ];
  /** The calls the patterns match, as source and name lists (a pattern matches any source with any name). */
  const calls = (patterns: { detail: Record<string, unknown> }[]) =>
    ["eventSource", "eventName"].map((key) =>
      [...new Set(patterns.flatMap((p) => p.detail[key] as string[]))].sort(),
    );

  it("keeps one pattern when it fits, and splits by source, then by event name, when it doesn't", () => {
    const one = cloudTrailPatternsWithin(triggers, ignored);
    expect(one).toHaveLength(1);
    const size = JSON.stringify(one[0]).length;
    const bySource = cloudTrailPatternsWithin(triggers, ignored, size - 1);
    expect(bySource.length).toBeGreaterThan(1);
    for (const pattern of bySource) expect(JSON.stringify(pattern).length).toBeLessThanOrEqual(size - 1);
    expect(bySource.every((p) => (p.detail.eventSource as string[]).length === 1)).toBe(true);
    // Room for the longest single call: every source with several names must be split by name.
    const single = Math.max(
      ...triggers.flatMap(({ eventSource, eventNames }) =>
        eventNames.map(
          (name) =>
            JSON.stringify(cloudTrailPatternsWithin([{ eventSource, eventNames: [name] }], ignored)[0])
              .length,
        ),
      ),
    );
    const tight = cloudTrailPatternsWithin(triggers, ignored, single);
    expect(tight.length).toBeGreaterThan(bySource.length);
    const all = [
      ["ec2.amazonaws.com", "s3.amazonaws.com"],
      [
        "AuthorizeSecurityGroupIngress",
        "CreateNetworkAclEntry",
        "DeleteBucketPolicy",
        "ModifyInstanceAttribute",
        "PutBucketPolicy",
      ],
    ];
    for (const patterns of [one, bySource, tight]) expect(calls(patterns)).toEqual(all);
    // Each keeps the loop guard.
    for (const pattern of tight) expect(JSON.stringify(pattern.detail.$or)).toContain(ignored[0]);
  });

  it("fails rather than dropping a call that can't fit", () => {
    expect(() => cloudTrailPatternsWithin(triggers, ignored, 100)).toThrow(/alone exceeds 100 characters/);
  });
});

describe("multi-region: environments", () => {
  it("without forwarding regions, a home in us-east-1 is one stack", () => {
    const app = vigilApp({});
    const home = buildVigilApp(app, { account: ACCOUNT, region: "us-east-1" });
    expect(app.node.children.filter((child) => Stack.isStack(child))).toEqual([home]);
    expect(home.dependencies).toEqual([]);
  });

  it("fails the synth clearly when forwarding needs the account and it is unknown", () => {
    const build = () =>
      buildVigilApp(vigilApp({ forwarding: { regions: [OTHER] } }), { region: "us-east-1" });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(new RegExp(`${OTHER}.*-c account=<12-digit account id>`));
  });

  it("warns and forwards nothing when the home Region is unknown", () => {
    const app = vigilApp({ forwarding: { regions: [OTHER] } });
    const home = buildVigilApp(app);
    expect(app.node.children.filter((child) => Stack.isStack(child))).toEqual([home]);
    const warnings = home.node.metadata
      .filter((entry) => entry.type === "aws:cdk:warning")
      .map((e) => String(e.data));
    expect(warnings).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`no events are forwarded from ${OTHER}`))]),
    );
  });

  it("refuses a forwarded Region of another partition", () => {
    const build = () =>
      buildVigilApp(vigilApp({ forwarding: { regions: ["cn-north-1"] } }), {
        account: ACCOUNT,
        region: HOME,
      });
    expect(build).toThrow(/cn-north-1.*across partitions/);
  });

  it("in us-east-1 with a forwarded Region, adds no global forwarder", () => {
    const multi = vigilApp({ forwarding: { regions: [OTHER] } });
    buildVigilApp(multi, { account: ACCOUNT, region: "us-east-1" });
    const ids = multi.node.children.filter((child) => Stack.isStack(child)).map((stack) => stack.node.id);
    expect(ids.sort()).toEqual(["VigilStack", `VigilEvents-${OTHER}`].sort());
  });
});
