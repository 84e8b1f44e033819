import { Fn, Lazy, Stack, Token } from "aws-cdk-lib";
import { CfnStackSet } from "aws-cdk-lib/aws-cloudformation";
import * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import { RegionInfo } from "aws-cdk-lib/region-info";
import { Construct } from "constructs";
import type { CheckDefinition } from "../../shared/checks/define";
import { ConfigError } from "../../shared/config/load";
import type { OrganizationSettings } from "../../shared/config/organization";
import type { RemediationDefinition } from "../../shared/remediations/define";
import { GLOBAL_EVENTS_REGION, globalCloudTrailTriggers } from "../global-events";
import { acknowledgeWildcardResources } from "../nag";
import { coveredRegions } from "../regional-events";
import { CENTRAL_ROLE_ARNS_PARAMETER, synthesizeMemberTemplate, type MemberTemplate } from "./member-stack";

/** CloudFormation's limit on a StackSet's inline TemplateBody, in bytes. */
export const STACK_SET_TEMPLATE_BODY_LIMIT = 51_200;
/** The bus policy statement's id on the home default bus. */
export const ORGANIZATION_BUS_STATEMENT_ID = "VigilOrganizationMembers";

export interface OrganizationModeProps {
  organization: OrganizationSettings;
  /** `forwarding.regions`: the member StackSet covers them as well as the home Region. */
  forwardingRegions: readonly string[];
  checks: readonly CheckDefinition[];
  remediations: readonly RemediationDefinition[];
  collectors: readonly { resourceType: string; iamActions: readonly string[] }[];
  /**
   * The central functions that read and remediate in member accounts (detection functions, sweep
   * worker): they may assume the member role, and the member role trusts them and nobody else.
   */
  centralRoles: readonly iam.IRole[];
}

/**
 * The Regions the member StackSet deploys to: home, the forwarded Regions, and us-east-1 (in the
 * `aws` partition) when a check watches global services, whose events reach only that Region's bus.
 */
export function memberRegions(
  home: string,
  forwarded: readonly string[],
  checks: readonly CheckDefinition[],
): string[] {
  const partition = RegionInfo.get(home).partition;
  const global =
    globalCloudTrailTriggers(checks).length > 0 && (partition === undefined || partition === "aws")
      ? [GLOBAL_EVENTS_REGION]
      : [];
  return coveredRegions(home, [...forwarded, ...global]);
}

/**
 * Organisation mode in the central security account (the Organizations delegated administrator for
 * StackSets), where Vigil runs:
 * - a statement on the home default bus letting principals of the organisation, and only them, put
 *   events (the member accounts' forwarding rules);
 * - a service-managed StackSet deploying the member template (infra/organization/member-stack.ts) to
 *   every account of the configured OUs, new ones automatically, in every covered Region;
 * - sts:AssumeRole on the member role, in accounts of the organisation only, for the central roles.
 */
export class OrganizationMode extends Construct {
  readonly busPolicy: events.CfnEventBusPolicy;
  readonly stackSet: CfnStackSet;
  readonly member: MemberTemplate;
  /** The Regions the StackSet deploys to. */
  readonly regions: string[];
  private readonly trusted: iam.IRole[] = [];
  private readonly organization: OrganizationSettings & { organizationId: string; externalId: string };

  constructor(scope: Construct, id: string, props: OrganizationModeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { organization } = props;
    const { organizationId, externalId } = organization;
    if (!organization.enabled || !organizationId || !externalId) {
      throw new ConfigError(
        "Invalid Vigil config: organization mode needs organization.enabled, organizationId and externalId",
      );
    }
    this.organization = { ...organization, organizationId, externalId };
    if (Token.isUnresolved(stack.region) || Token.isUnresolved(stack.account)) {
      throw new ConfigError(
        "Vigil's organisation mode needs the central account and Region at synth (the member accounts' rules and role " +
          "name them): run with AWS credentials and a Region (CDK_DEFAULT_ACCOUNT, AWS_REGION) or pass -c account=<12-digit account id>.",
      );
    }
    const home = stack.region;
    const centralAccount = stack.account;
    this.regions = memberRegions(home, props.forwardingRegions, props.checks);

    // Member accounts' forwarding roles put events here; nobody outside the organisation can.
    this.busPolicy = new events.CfnEventBusPolicy(this, "BusPolicy", {
      eventBusName: "default",
      statementId: ORGANIZATION_BUS_STATEMENT_ID,
      statement: {
        Effect: "Allow",
        Principal: "*",
        Action: "events:PutEvents",
        Resource: stack.formatArn({ service: "events", resource: "event-bus", resourceName: "default" }),
        Condition: { StringEquals: { "aws:PrincipalOrgID": organizationId } },
      },
    });

    this.member = synthesizeMemberTemplate({
      centralAccount,
      homeRegion: home,
      regions: this.regions,
      regionalEventRegions: coveredRegions(home, props.forwardingRegions),
      ...(this.regions.includes(GLOBAL_EVENTS_REGION) && globalCloudTrailTriggers(props.checks).length
        ? { globalEventsRegion: GLOBAL_EVENTS_REGION }
        : {}),
      memberRoleName: organization.memberRoleName,
      externalId,
      checks: props.checks,
      remediations: props.remediations,
      collectors: props.collectors,
    });
    const templateBody = JSON.stringify(this.member.template);
    const bytes = Buffer.byteLength(templateBody);
    if (bytes > STACK_SET_TEMPLATE_BODY_LIMIT) {
      throw new ConfigError(
        `Vigil's member template is ${bytes} bytes, more than the ${STACK_SET_TEMPLATE_BODY_LIMIT} a StackSet's TemplateBody ` +
          `takes (${this.regions.length} Regions: ${this.regions.join(", ")}): list fewer forwarding.regions.`,
      );
    }

    this.stackSet = new CfnStackSet(this, "MemberStackSet", {
      stackSetName: `${stack.stackName}-members`,
      description: `Vigil member accounts: forward watched events to ${centralAccount} ${home} and let Vigil assume ${organization.memberRoleName}`,
      // Organizations creates the execution roles; the central account acts as delegated administrator.
      permissionModel: "SERVICE_MANAGED",
      callAs: "DELEGATED_ADMIN",
      autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
      capabilities: ["CAPABILITY_NAMED_IAM"],
      // Queues an operation started while another runs (e.g. two deploys) instead of failing it.
      managedExecution: { Active: true },
      operationPreferences: {
        regionConcurrencyType: "PARALLEL",
        maxConcurrentPercentage: 25,
        failureTolerancePercentage: 10,
      },
      stackInstancesGroup: [
        {
          deploymentTargets: {
            organizationalUnitIds: [...organization.organizationalUnits],
            // Not into the central account itself, should it sit in a targeted OU: Vigil already
            // sees its events, and its bus must not forward to itself.
            accountFilterType: "DIFFERENCE",
            accounts: [centralAccount],
          },
          regions: this.regions,
        },
      ],
      templateBody,
      parameters: [
        {
          parameterKey: CENTRAL_ROLE_ARNS_PARAMETER,
          // Lazy: roles trusted after construction (`trust`) are included.
          parameterValue: Lazy.string({
            produce: () =>
              Fn.join(
                ",",
                this.trusted.map((role) => role.roleArn),
              ),
          }),
        },
      ],
    });

    for (const role of props.centralRoles) this.trust(role);
  }

  /**
   * Lets `role` assume the member role in the organisation's accounts (and only there: the role's
   * account must belong to the organisation), and adds it to the roles the member role trusts.
   */
  trust(role: iam.IRole): void {
    if (this.trusted.includes(role)) return;
    this.trusted.push(role);
    const stack = Stack.of(this);
    const memberRoleArns = `arn:${stack.partition}:iam::*:role/${this.organization.memberRoleName}`;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ["sts:AssumeRole"],
        resources: [memberRoleArns],
        conditions: { StringEquals: { "aws:ResourceOrgID": this.organization.organizationId } },
      }),
    );
    acknowledgeWildcardResources(
      role,
      [memberRoleArns],
      `sts:AssumeRole on Vigil's member role (${this.organization.memberRoleName}) in any account: member accounts join ` +
        "the organisation after deploy (the StackSet auto-deploys to them), so they can't be listed; the condition " +
        `aws:ResourceOrgID = ${this.organization.organizationId} limits it to the organisation's accounts.`,
    );
  }
}
