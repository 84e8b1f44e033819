import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  App,
  AspectPriority,
  Aspects,
  Aws,
  CfnCondition,
  CfnParameter,
  CfnResource,
  DefaultStackSynthesizer,
  Fn,
  Stack,
  Validations,
} from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import type { CheckDefinition } from "../../shared/checks/define";
import type { RemediationDefinition } from "../../shared/remediations/define";
import {
  addForwardingRules,
  cloudTrailPatternsWithin,
  forwardedPatterns,
  forwardRole,
} from "../forwarded-events";
import { globalCloudTrailTriggers, regionalCloudTrailTriggers } from "../global-events";
import { AwsSolutionsChecks, acknowledgeWildcardResources } from "../nag";
import {
  CONFIG_CHANGE_READ_ACTIONS,
  checkReadActions,
  collectorReadActions,
  isReadOnlyAction,
  remediationGrantsInRegions,
} from "../permissions";

/** The member template's parameter: the central functions' role ARNs (comma-separated) the role trusts. */
export const CENTRAL_ROLE_ARNS_PARAMETER = "CentralRoleArns";
/** The CloudFormation Condition that creates the member role only in the home Region's stack instance. */
export const HOME_REGION_CONDITION = "IsVigilHomeRegion";
/** Condition of the global services' rules: the Region is where their events arrive (us-east-1). */
export const GLOBAL_EVENTS_CONDITION = "IsGlobalEventsRegion";
/** Condition of the regional rules when us-east-1 is in the StackSet only for global services' events. */
export const REGIONAL_EVENTS_CONDITION = "ForwardsRegionalEvents";
/** Construct id of the member role (the `HomeRegionOnly` scope holds it). */
const MEMBER_ROLE_ID = "MemberRole";

export interface MemberStackProps {
  /** The central security account, where Vigil runs (the StackSet's delegated administrator). */
  centralAccount: string;
  /** Vigil's Region in the central account: its default bus receives the events; the role lives here. */
  homeRegion: string;
  /** Every Region the StackSet deploys to: the member role remediates in each. */
  regions: readonly string[];
  /** The Regions whose own events Vigil watches (home and `forwarding.regions`). */
  regionalEventRegions: readonly string[];
  /** Where global services' CloudTrail events reach the bus (us-east-1), when the checks watch some. */
  globalEventsRegion?: string;
  memberRoleName: string;
  externalId: string;
  checks: readonly CheckDefinition[];
  remediations: readonly RemediationDefinition[];
  /** The sweep's collectors: the sweep reads member accounts through the role too. */
  collectors: readonly { resourceType: string; iamActions: readonly string[] }[];
}

/**
 * What every member account gets, in every Region the StackSet covers (environment-agnostic: the
 * account and Region are the instance's):
 * - rules on the default bus forwarding the events Vigil's home rules match (CloudTrail calls,
 *   Config items, service events; in us-east-1 global services' calls, and only those when Vigil
 *   doesn't watch that Region), except those made by the member role itself (loop guard), to the
 *   central account's home bus, through a role only EventBridge may assume that may only put events
 *   on that bus;
 * - in the home Region's instance only (IAM is global: one role per account), the role Vigil's
 *   central functions assume, with the external id, to read and remediate.
 */
export class MemberStack extends Stack {
  readonly memberRole: iam.Role;
  readonly centralEventBusArn: string;
  readonly homeRegionCondition: CfnCondition;

  constructor(scope: Construct, id: string, props: MemberStackProps) {
    super(scope, id, {
      description: `Vigil member account: forwards watched events to Vigil (${props.centralAccount}, ${props.homeRegion}) and lets it assume ${props.memberRoleName}`,
      // No bootstrap in member accounts: StackSets deploy the template body itself.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: false,
    });
    const { centralAccount, homeRegion, memberRoleName } = props;

    const centralRoleArns = new CfnParameter(this, CENTRAL_ROLE_ARNS_PARAMETER, {
      type: "CommaDelimitedList",
      description: "ARNs of the Vigil functions' roles in the central account, the only principals trusted",
    });

    this.centralEventBusArn = `arn:${Aws.PARTITION}:events:${homeRegion}:${centralAccount}:event-bus/default`;
    const centralBus = events.EventBus.fromEventBusArn(this, "CentralEventBus", this.centralEventBusArn);
    const memberRoleArn = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/${memberRoleName}`;
    const forwarder = forwardRole(
      this,
      "ForwardRole",
      `Vigil: lets EventBridge put this Region's watched events on Vigil's bus (${centralAccount}, ${homeRegion})`,
      Aws.ACCOUNT_ID,
    );
    const suffix = `to Vigil in ${centralAccount} ${homeRegion}`;
    // The home rules' patterns, with the member role's own calls (Vigil remediating) left out.
    const regionalRules = addForwardingRules(
      this,
      forwardedPatterns(props.checks, regionalCloudTrailTriggers(props.checks), [memberRoleArn]),
      centralBus,
      forwarder,
      suffix,
    );
    const globalTriggers = globalCloudTrailTriggers(props.checks);
    const { globalEventsRegion } = props;
    if (globalEventsRegion && globalTriggers.length) {
      // Global services' calls reach only that Region's bus: their rules exist only there, and there
      // only them when Vigil doesn't watch that Region's own events.
      const inGlobalRegion = new CfnCondition(this, GLOBAL_EVENTS_CONDITION, {
        expression: Fn.conditionEquals(Aws.REGION, globalEventsRegion),
      });
      const globalRules = addForwardingRules(
        this,
        cloudTrailPatternsWithin(globalTriggers, [memberRoleArn]).map((pattern, index) => ({
          id: index ? `GlobalCloudTrailRule${index + 1}` : "GlobalCloudTrailRule",
          description:
            "Vigil: global services' write calls the checks watch, except Vigil's own remediations",
          pattern,
        })),
        centralBus,
        forwarder,
        suffix,
      );
      for (const rule of globalRules)
        (rule.node.defaultChild as CfnResource).cfnOptions.condition = inGlobalRegion;
      if (!props.regionalEventRegions.includes(globalEventsRegion)) {
        const regionalHere = new CfnCondition(this, REGIONAL_EVENTS_CONDITION, {
          expression: Fn.conditionNot(inGlobalRegion),
        });
        for (const rule of regionalRules)
          (rule.node.defaultChild as CfnResource).cfnOptions.condition = regionalHere;
      }
    }

    const isHome = new CfnCondition(this, HOME_REGION_CONDITION, {
      expression: Fn.conditionEquals(Aws.REGION, homeRegion),
    });
    const homeOnly = new Construct(this, "HomeRegionOnly");
    this.memberRole = new iam.Role(homeOnly, MEMBER_ROLE_ID, {
      roleName: memberRoleName,
      description: `Vigil: assumed by Vigil's functions in ${centralAccount} (with the external id) to read and remediate`,
      // The central account, and in it only the functions' roles (aws:PrincipalArn matches a role
      // session's role, and keeps matching if a role is re-created under the same name).
      assumedBy: new iam.AccountPrincipal(centralAccount).withConditions({
        ArnEquals: { "aws:PrincipalArn": centralRoleArns.valueAsList },
      }),
      externalIds: [props.externalId],
    });

    const reads = [
      ...new Set([
        ...checkReadActions(props.checks),
        ...collectorReadActions(props.collectors),
        ...CONFIG_CHANGE_READ_ACTIONS,
      ]),
    ].sort();
    this.memberRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: reads, resources: ["*"] }));
    const grants = remediationGrantsInRegions(
      props.remediations,
      { partition: Aws.PARTITION, account: Aws.ACCOUNT_ID },
      props.regions,
    );
    for (const { actions, resources, conditions } of grants)
      this.memberRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
    const writesOnAnything = grants
      .filter((grant) => grant.resources.includes("*"))
      .flatMap((grant) => grant.actions)
      .filter((action) => !isReadOnlyAction(action));
    acknowledgeWildcardResources(
      this.memberRole,
      ["*", ...grants.flatMap((grant) => grant.resources)],
      `Read-only actions the checks and the sweep need have no resource-level permissions and need "*"` +
        (writesOnAnything.length
          ? `; so do these writes, which have no resource type (they create a resource not there yet, or change an account-level setting): ${writesOnAnything.join(", ")}`
          : "") +
        ". Other write actions are limited to their resource type in this account and in each Region Vigil covers " +
        "(e.g. security-group/*) because the resources to fix are not known at deploy time.",
    );

    // Everything under HomeRegionOnly (the role, its policy and any overflow managed policy CDK splits
    // off at synth) exists only in the home Region's instance. Read-only priority: after the role's own
    // aspect has split its policy. `synthesizeMemberTemplate` checks the result.
    this.homeRegionCondition = isHome;
    Aspects.of(homeOnly).add(
      {
        visit: (node) => {
          if (CfnResource.isCfnResource(node)) node.cfnOptions.condition = isHome;
        },
      },
      { priority: AspectPriority.READONLY },
    );
  }

  /** The member role's logical id in the template. */
  get memberRoleLogicalId(): string {
    return this.getLogicalId(this.memberRole.node.defaultChild as CfnResource);
  }
}

export interface MemberTemplate {
  /** The template as CloudFormation takes it (JSON object). */
  template: Record<string, unknown>;
  /** The app it was synthesized in (cdk-nag ran on it). */
  app: App;
  stack: MemberStack;
}

/**
 * Synthesizes the member stack in an app of its own (it is deployed by the StackSet, not by `cdk
 * deploy`), with cdk-nag's AWS Solutions pack as for Vigil's stacks (a finding fails the synth), and
 * returns its template.
 */
export function synthesizeMemberTemplate(props: MemberStackProps): MemberTemplate {
  const outdir = mkdtempSync(path.join(tmpdir(), "vigil-member-"));
  try {
    // Its own outdir and no auto-synth: under `cdk synth` (CDK_OUTDIR set) a default App would write
    // into Vigil's cloud assembly.
    const app = new App({
      outdir,
      autoSynth: false,
      analyticsReporting: false,
      treeMetadata: false,
      // Over what `cdk synth` passes in CDK_CONTEXT_JSON: no construct paths in the template (bytes).
      postCliContext: { "aws:cdk:enable-path-metadata": false },
    });
    const stack = new MemberStack(app, "VigilMember", props);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    const assembly = app.synth();
    const template = structuredClone(assembly.getStackArtifact(stack.artifactId).template) as Record<
      string,
      unknown
    >;
    checkHomeRegionCondition(
      template,
      stack.memberRoleLogicalId,
      stack.resolve(stack.homeRegionCondition.logicalId) as string,
    );
    return { template, app, stack };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/**
 * Checks that the member role and every resource attached to it (its policies) are under `condition`:
 * a resource outside it would fail every other Region's instance (a Ref to a role not created there).
 */
function checkHomeRegionCondition(
  template: Record<string, unknown>,
  roleId: string,
  condition: string,
): void {
  const resources = template.Resources as Record<
    string,
    { Properties?: { Roles?: unknown[] }; Condition?: string }
  >;
  const ref = JSON.stringify({ Ref: roleId });
  const homeOnly = Object.entries(resources).filter(
    ([id, resource]) =>
      id === roleId || resource.Properties?.Roles?.some((entry) => JSON.stringify(entry) === ref),
  );
  if (!homeOnly.some(([id]) => id === roleId))
    throw new Error(`the member template has no resource ${roleId}`);
  const outside = homeOnly.filter(([, resource]) => resource.Condition !== condition).map(([id]) => id);
  if (outside.length)
    throw new Error(`the member template creates ${outside.join(", ")} outside the ${condition} Condition`);
}
