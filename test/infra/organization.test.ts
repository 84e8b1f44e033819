import { Validations } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildVigilApp } from "../../infra/build-app";
import { AwsSolutionsChecks } from "../../infra/nag";
import {
  STACK_SET_TEMPLATE_BODY_LIMIT,
  type OrganizationMode,
} from "../../infra/organization/organization-mode";
import { synthesizeMemberTemplate } from "../../infra/organization/member-stack";
import { isReadOnlyAction } from "../../infra/permissions";
import { checks } from "../../shared/checks/catalog";
import { ConfigError, parseConfig } from "../../shared/config/load";
import { isVigilsOwnCall } from "../../shared/events/intake";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { remediations } from "../../shared/remediations/catalog";
import { collectors } from "../../shared/sweep/collectors";
import { matchesEventPattern } from "../support/event-pattern";
import { loadEvent } from "../support/events";
import {
  ACCOUNT,
  MEMBER_ACCOUNT,
  from,
  removeMultiRegionOutputs,
  resolveFor,
  rulesOf,
  synthWith,
  vigilApp,
  type SynthesizedVigil,
} from "./multi-region-synth";
import { assumedRole } from "./sample-events";

const HOME = "eu-west-1";
const OTHER = "eu-central-1";
const ORG_ID = "o-a1b2c3d4e5";
const OUS = ["ou-ab12-cdef3456", "r-ab12"];
const EXTERNAL_ID = "vigil-7f3a9c2e-member";
const MEMBER_ROLE = "vigil-remediation-member";
const CENTRAL_BUS_ARN = `arn:aws:events:${HOME}:${ACCOUNT}:event-bus/default`;
const GLOBAL_SOURCES = new Set([
  "aws.cloudfront",
  "aws.iam",
  "aws.organizations",
  "aws.route53",
  "aws.signin",
]);
const MEMBER_ROLE_ARN = `arn:aws:iam::${MEMBER_ACCOUNT}:role/${MEMBER_ROLE}`;
const organization = {
  enabled: true,
  organizationId: ORG_ID,
  organizationalUnits: OUS,
  externalId: EXTERNAL_ID,
};
/** Writes without a resource type, granted on `*` (as for the home remediation role). */
const WRITES_WITHOUT_RESOURCE_TYPE = new Set([
  "ec2:EnableEbsEncryptionByDefault",
  "guardduty:CreateDetector",
  "iam:GenerateCredentialReport",
  "iam:UpdateAccountPasswordPolicy",
  "s3:PutAccountPublicAccessBlock",
]);

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}
type Resources = Record<string, { Type: string; Properties: Record<string, unknown>; Condition?: string }>;
const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

afterAll(removeMultiRegionOutputs);

/** Every identity-policy statement attached to `roleId` (inline default policy and managed overflow). */
function statementsOf(resources: Resources, roleId: string, account: string, region: string): Statement[] {
  return Object.values(resources)
    .filter((r) => r.Type === "AWS::IAM::Policy" || r.Type === "AWS::IAM::ManagedPolicy")
    .filter((r) => JSON.stringify(r.Properties.Roles ?? []).includes(`"${roleId}"`))
    .flatMap(
      (r) =>
        (resolveFor(r.Properties.PolicyDocument, account, region) as { Statement: Statement[] }).Statement,
    );
}

describe(`organisation mode: central ${ACCOUNT} in ${HOME}, forwarding ${OTHER}`, () => {
  let synth: SynthesizedVigil;
  let template: Template;
  let stackSet: Record<string, unknown>;
  let member: {
    Resources: Resources;
    Parameters: Record<string, unknown>;
    Conditions: Record<string, unknown>;
  };
  let memberRoleId: string;

  beforeAll(() => {
    synth = synthWith({ organization, forwarding: { regions: [OTHER] } }, { account: ACCOUNT, region: HOME });
    template = synth.homeTemplate;
    const sets = Object.values(template.findResources("AWS::CloudFormation::StackSet")) as {
      Properties: Record<string, unknown>;
    }[];
    expect(sets).toHaveLength(1);
    stackSet = (sets[0] as { Properties: Record<string, unknown> }).Properties;
    member = JSON.parse(stackSet.TemplateBody as string) as typeof member;
    memberRoleId = Object.entries(member.Resources).find(
      ([, r]) => r.Type === "AWS::IAM::Role" && r.Properties.RoleName === MEMBER_ROLE,
    )?.[0] as string;
  }, 180_000);

  it("lets only principals of the organisation put events on the home default bus", () => {
    const policies = Object.values(template.findResources("AWS::Events::EventBusPolicy")) as {
      Properties: Record<string, unknown>;
    }[];
    expect(policies).toHaveLength(1);
    expect(resolveFor(policies[0]?.Properties, ACCOUNT, HOME)).toEqual({
      EventBusName: "default",
      StatementId: "VigilOrganizationMembers",
      Statement: {
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: CENTRAL_BUS_ARN,
        Condition: { StringEquals: { "aws:PrincipalOrgID": ORG_ID } },
      },
    });
  });

  it("deploys the member template with a service-managed, auto-deploying StackSet to the OUs, as delegated admin", () => {
    const { TemplateBody, Parameters: _parameters, ...properties } = stackSet;
    expect(typeof TemplateBody).toBe("string");
    expect(properties).toMatchObject({
      PermissionModel: "SERVICE_MANAGED",
      CallAs: "DELEGATED_ADMIN",
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      Capabilities: ["CAPABILITY_NAMED_IAM"],
      OperationPreferences: {
        RegionConcurrencyType: "PARALLEL",
        MaxConcurrentPercentage: 25,
        FailureTolerancePercentage: 10,
      },
      StackInstancesGroup: [
        {
          DeploymentTargets: {
            OrganizationalUnitIds: OUS,
            // Never into the central account itself, should it sit in a targeted OU.
            AccountFilterType: "DIFFERENCE",
            Accounts: [ACCOUNT],
          },
          // Home, the forwarded Region, and us-east-1 for the global services' events.
          Regions: [HOME, OTHER, "us-east-1"],
        },
      ],
    });
    expect(Buffer.byteLength(TemplateBody as string)).toBeLessThanOrEqual(STACK_SET_TEMPLATE_BODY_LIMIT);
  });

  it("passes the central functions' role ARNs, which alone may assume the member role in the organisation", () => {
    const [parameter] = stackSet.Parameters as { ParameterKey: string; ParameterValue: unknown }[];
    expect(parameter?.ParameterKey).toBe("CentralRoleArns");
    const passed = (
      parameter?.ParameterValue as { "Fn::Join": [string, { "Fn::GetAtt": [string, string] }[]] }
    )["Fn::Join"][1].map((getAtt) => getAtt["Fn::GetAtt"][0]);
    expect(passed.some((id) => id.startsWith("CloudTrailEventRole"))).toBe(true);
    expect(passed.some((id) => id.startsWith("ConfigChangeRole"))).toBe(true);
    expect(passed.some((id) => id.startsWith("RemediationRole"))).toBe(false);

    const memberArns = `arn:aws:iam::*:role/${MEMBER_ROLE}`;
    const assumers = new Set<string>();
    for (const [, policy] of Object.entries(template.findResources("AWS::IAM::Policy"))) {
      const properties = (policy as { Properties: { Roles: { Ref: string }[]; PolicyDocument: unknown } })
        .Properties;
      const { Statement } = resolveFor(properties.PolicyDocument, ACCOUNT, HOME) as {
        Statement: Statement[];
      };
      for (const statement of Statement.filter((s) =>
        JSON.stringify(s.Resource).includes(`role/${MEMBER_ROLE}`),
      )) {
        expect(statement).toEqual({
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Resource: memberArns,
          Condition: { StringEquals: { "aws:ResourceOrgID": ORG_ID } },
        });
        for (const { Ref } of properties.Roles) assumers.add(Ref);
      }
    }
    expect([...assumers].sort()).toEqual([...passed].sort());
  });

  it("member template: the role exists only in the home Region's instance, with everything attached to it", () => {
    expect(member.Conditions.IsVigilHomeRegion).toEqual({ "Fn::Equals": [{ Ref: "AWS::Region" }, HOME] });
    expect(memberRoleId).toBeDefined();
    const attached = Object.entries(member.Resources).filter(
      ([id, r]) =>
        id === memberRoleId || JSON.stringify(r.Properties.Roles ?? []).includes(`"${memberRoleId}"`),
    );
    expect(attached.length).toBeGreaterThan(1);
    for (const [id, r] of attached) expect(r.Condition, id).toBe("IsVigilHomeRegion");
    const conditioned = Object.entries(member.Resources).filter(
      ([, r]) => r.Condition === "IsVigilHomeRegion",
    );
    expect(conditioned.map(([id]) => id).sort()).toEqual(attached.map(([id]) => id).sort());
    expect(member.Parameters.CentralRoleArns).toMatchObject({ Type: "CommaDelimitedList" });
  });

  it("member template: global services' rules only in us-east-1, which forwards only them (not a watched Region)", () => {
    expect(member.Conditions.IsGlobalEventsRegion).toEqual({
      "Fn::Equals": [{ Ref: "AWS::Region" }, "us-east-1"],
    });
    expect(member.Conditions.ForwardsRegionalEvents).toEqual({
      "Fn::Not": [{ Condition: "IsGlobalEventsRegion" }],
    });
    const rules = rulesOf(member as unknown as Record<string, unknown>, MEMBER_ACCOUNT, "us-east-1");
    const sources = (rule: { pattern: Record<string, unknown> }) => rule.pattern.source as string[];
    const global = rules.filter((rule) => sources(rule).includes("aws.iam"));
    expect(global.length).toBeGreaterThan(0);
    for (const rule of rules) {
      const condition = member.Resources[rule.id]?.Condition;
      if (global.includes(rule)) {
        expect(condition, rule.id).toBe("IsGlobalEventsRegion");
        expect(
          sources(rule).every((source) => GLOBAL_SOURCES.has(source)),
          rule.id,
        ).toBe(true);
      } else {
        expect(condition, rule.id).toBe("ForwardsRegionalEvents");
        expect(
          sources(rule).some((source) => GLOBAL_SOURCES.has(source)),
          rule.id,
        ).toBe(false);
      }
    }
  });

  it("member template: with us-east-1 watched (or home), it forwards both there and no rule is conditional but the global ones", () => {
    const { template: body } = synthesizeMemberTemplate({
      centralAccount: ACCOUNT,
      homeRegion: HOME,
      regions: [HOME, "us-east-1"],
      regionalEventRegions: [HOME, "us-east-1"],
      globalEventsRegion: "us-east-1",
      memberRoleName: MEMBER_ROLE,
      externalId: EXTERNAL_ID,
      checks,
      remediations,
      collectors,
    });
    const resources = body.Resources as Resources;
    expect(Object.keys(body.Conditions as object).sort()).toEqual([
      "IsGlobalEventsRegion",
      "IsVigilHomeRegion",
    ]);
    const conditions = Object.values(resources)
      .filter((r) => r.Type === "AWS::Events::Rule")
      .map((r) => r.Condition ?? "none");
    expect(new Set(conditions)).toEqual(new Set(["none", "IsGlobalEventsRegion"]));
  });

  it("member template: the role trusts the central account's function roles only, with the external id", () => {
    const role = member.Resources[memberRoleId] as { Properties: Record<string, unknown> };
    expect(resolveFor(role.Properties.AssumeRolePolicyDocument, MEMBER_ACCOUNT, HOME)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Condition: {
            ArnEquals: { "aws:PrincipalArn": { Ref: "CentralRoleArns" } },
            StringEquals: { "sts:ExternalId": EXTERNAL_ID },
          },
        },
      ],
    });
    expect(role.Properties.ManagedPolicyArns ?? []).toEqual(
      expect.not.arrayContaining([expect.stringContaining("arn:aws:iam::aws:policy")]),
    );
  });

  it("member template: the role reads what the checks and the sweep read, and writes only on scoped resources of this account and the covered Regions", () => {
    const statements = statementsOf(member.Resources, memberRoleId, MEMBER_ACCOUNT, HOME);
    const actions = new Set(statements.flatMap((s) => list(s.Action)));
    const reads = [
      ...checks.flatMap((c) => c.iamActions),
      ...collectors.flatMap((c) => c.iamActions),
      "config:GetResourceConfigHistory",
    ];
    for (const action of reads) expect(actions.has(action), action).toBe(true);
    const writes = [...new Set(remediations.flatMap((r) => r.iamActions))].filter(
      (a) => !isReadOnlyAction(a),
    );
    expect(writes.length).toBeGreaterThan(10);
    for (const action of writes) expect(actions.has(action), action).toBe(true);
    for (const statement of statements) {
      expect(statement.Effect).toBe("Allow");
      for (const action of list(statement.Action)) {
        expect(action).not.toContain("*");
        if (isReadOnlyAction(action) || WRITES_WITHOUT_RESOURCE_TYPE.has(action)) continue;
        // A write: never on `*`, always in the member account, in a covered Region (or global).
        for (const arn of list(statement.Resource) as string[]) {
          expect(arn, action).not.toBe("*");
          const [, , service, region, account] = arn.split(":");
          if (service !== "s3") expect(account, `${action} ${arn}`).toBe(MEMBER_ACCOUNT);
          expect([HOME, OTHER, "us-east-1", ""], `${action} ${arn}`).toContain(region);
        }
      }
    }
    expect(
      statements
        .filter((s) => list(s.Action).includes("ec2:RevokeSecurityGroupIngress"))
        .flatMap((s) => list(s.Resource))
        .sort(),
    ).toEqual(
      [HOME, OTHER, "us-east-1"]
        .map((region) => `arn:aws:ec2:${region}:${MEMBER_ACCOUNT}:security-group/*`)
        .sort(),
    );
  });

  it("member template: forwarding rules send to the central bus through a role that may only put events there", () => {
    const rules = rulesOf(member as unknown as Record<string, unknown>, MEMBER_ACCOUNT, OTHER);
    expect(rules.length).toBeGreaterThan(3);
    const forwardRoles = Object.entries(member.Resources).filter(
      ([id, r]) => r.Type === "AWS::IAM::Role" && id !== memberRoleId,
    );
    expect(forwardRoles).toHaveLength(1);
    const [[forwardRoleId, forwardRole]] = forwardRoles as [[string, Resources[string]]];
    for (const rule of rules) {
      expect(JSON.stringify(rule.pattern).length, rule.id).toBeLessThanOrEqual(2048);
      const [target, ...others] = rule.properties.Targets as Record<string, unknown>[];
      expect(others).toEqual([]);
      expect(resolveFor(target?.Arn, MEMBER_ACCOUNT, OTHER)).toBe(CENTRAL_BUS_ARN);
      expect(target?.RoleArn).toEqual({ "Fn::GetAtt": [forwardRoleId, "Arn"] });
    }
    expect(resolveFor(forwardRole.Properties.AssumeRolePolicyDocument, MEMBER_ACCOUNT, OTHER)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "sts:AssumeRole",
          Principal: { Service: "events.amazonaws.com" },
          Condition: { StringEquals: { "aws:SourceAccount": MEMBER_ACCOUNT } },
        },
      ],
    });
    expect(statementsOf(member.Resources, forwardRoleId, MEMBER_ACCOUNT, OTHER)).toEqual([
      { Effect: "Allow", Action: "events:PutEvents", Resource: CENTRAL_BUS_ARN },
    ]);
  });

  it("member template: forwards a member account's real-shape events, except the member role's own calls", () => {
    const rules = rulesOf(member as unknown as Record<string, unknown>, MEMBER_ACCOUNT, OTHER);
    const homeRules = rulesOf(template, ACCOUNT, HOME);
    const samples = [
      loadEvent("cloudtrail/StopLogging.json"),
      loadEvent("guardduty-findings/ec2-ssh-bruteforce.json"),
      loadEvent("security-group/config-item-default-group-untouched.json"),
    ].map((event) => from(event, MEMBER_ACCOUNT, OTHER));
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
    const call = samples[0] as ReturnType<typeof loadEvent>;
    const byMemberRole = {
      ...call,
      detail: { ...call.detail, userIdentity: assumedRole(MEMBER_ROLE_ARN, "vigil") },
    };
    expect(rules.some((rule) => matchesEventPattern(rule.pattern, byMemberRole))).toBe(false);
    // And should one arrive anyway, the intake ignores it: the member role's name has the loop guard's prefix.
    const detail = cloudTrailDetailSchema.parse(byMemberRole.detail);
    expect(isVigilsOwnCall(detail, parseConfig({ organization }))).toBe(true);
  });

  it("passes cdk-nag on the central stack and on the member template's own app", () => {
    const report = new AwsSolutionsChecks(synth.app).validateScope(synth.app);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    const mode = synth.home.node.findChild("Organization") as OrganizationMode;
    const memberReport = new AwsSolutionsChecks(mode.member.app).validateScope(mode.member.app);
    expect(memberReport.violations.map((violation) => violation.ruleName)).toEqual([]);
    // Acknowledged there: only the member role's wildcard resources (reads on `*`, writes on `<type>/*`).
    const acknowledged = mode.member.app.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) =>
            Object.keys(entry.data as Record<string, string>).map((id) => `${construct.node.path} ${id}`),
          ),
      );
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const entry of acknowledged)
      expect(entry).toMatch(/^VigilMember\/HomeRegionOnly\/MemberRole .*IAM5\[Resource::/);
  });
});

describe("organisation mode: off and failures", () => {
  it("off (default): no bus policy, no StackSet, no grant on a member role", () => {
    const app = vigilApp({ forwarding: { regions: [OTHER] } });
    const home = buildVigilApp(app, { account: ACCOUNT, region: HOME });
    const { Resources } = app.synth().getStackByName(home.stackName).template as { Resources: Resources };
    const types = new Set(Object.values(Resources).map((r) => r.Type));
    expect(types.has("AWS::Events::Rule")).toBe(true);
    expect(types.has("AWS::CloudFormation::StackSet")).toBe(false);
    expect(types.has("AWS::Events::EventBusPolicy")).toBe(false);
    // (The functions' VIGIL_CONFIG names the member role's default name: no IAM grant does.)
    const iam = JSON.stringify(Object.values(Resources).filter((r) => r.Type.startsWith("AWS::IAM::")));
    expect(iam).toContain("sts:AssumeRole");
    expect(iam).not.toContain(`role/${MEMBER_ROLE}`);
    expect(iam).not.toContain("aws:ResourceOrgID");
  }, 120_000);

  it("needs the central account at synth", () => {
    const build = () => buildVigilApp(vigilApp({ organization }), { region: "us-east-1" });
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/organisation mode needs the central account/);
  });

  it("fails the synth clearly when the member template outgrows a StackSet's TemplateBody", () => {
    const regions = [
      "us-east-2",
      "us-west-1",
      "us-west-2",
      "ca-central-1",
      "eu-central-1",
      "eu-west-2",
      "eu-west-3",
      "eu-north-1",
      "eu-south-1",
      "ap-south-1",
      "ap-northeast-1",
      "ap-northeast-2",
      "ap-northeast-3",
      "ap-southeast-1",
      "ap-southeast-2",
      "sa-east-1",
      "me-south-1",
      "af-south-1",
      "ap-east-1",
      "eu-central-2",
      "eu-south-2",
      "ap-south-2",
      "ap-southeast-3",
      "ap-southeast-4",
      "me-central-1",
      "il-central-1",
      "ca-west-1",
      "mx-central-1",
      "ap-southeast-5",
      "ap-southeast-7",
    ];
    let error: unknown;
    try {
      buildVigilApp(vigilApp({ organization, forwarding: { regions } }), { account: ACCOUNT, region: HOME });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(String(error)).toMatch(
      /member template is \d+ bytes, more than the 51200 .*list fewer forwarding.regions/,
    );
  }, 120_000);
});
