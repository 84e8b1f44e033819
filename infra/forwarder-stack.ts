import { Stack, type StackProps } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import type * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import type { CheckDefinition, CloudTrailTrigger } from "../shared/checks/define";
import { cloudTrailTriggersPattern } from "./event-patterns";
import { addForwardingRules, forwardedPatterns, forwardRole } from "./forwarded-events";
import { REMEDIATION_ROLE_NAME_PREFIX } from "./remediation-role";

export interface ForwarderStackProps extends StackProps {
  /** The region of Vigil's stack, whose default bus receives the events. */
  homeRegion: string;
  /** The checks' CloudTrail triggers on global services (the us-east-1 forwarder only). */
  triggers?: readonly CloudTrailTrigger[];
  /**
   * Multi-region: forward this Region's events the home rules match (the regional services' CloudTrail
   * calls of `cloudTrailTriggers`, the checks' Config items and service events), with the home
   * remediation role ignored (it remediates in this Region too).
   */
  regional?: { checks: readonly CheckDefinition[]; cloudTrailTriggers: readonly CloudTrailTrigger[] };
}

/** The home remediation role's ARN (named after the home Region), from `stack`'s account and partition. */
export function homeRemediationRoleArn(stack: Stack, homeRegion: string): string {
  return stack.formatArn({
    service: "iam",
    region: "",
    resource: "role",
    resourceName: `${REMEDIATION_ROLE_NAME_PREFIX}-${homeRegion}`,
  });
}

/**
 * Rules on this Region's default bus that send the events Vigil's home rules would match here to the
 * home Region's default bus, unchanged (same source and detail-type), where Vigil's rules pick them
 * up: in us-east-1 the global services' CloudTrail events, and in every forwarded Region (us-east-1
 * too when listed) the regional ones. Nothing is imported from the home stack (no cross-region
 * references): the bus and the remediation role have names known before deploy.
 */
export class ForwarderStack extends Stack {
  /** The global services' rule (us-east-1), when there are global triggers. */
  readonly rule?: events.Rule;
  /** Every rule of the stack. */
  readonly rules: events.Rule[] = [];
  readonly role: iam.Role;
  /** `arn:<partition>:events:<home region>:<account>:event-bus/default` */
  readonly homeEventBusArn: string;

  constructor(scope: Construct, id: string, props: ForwarderStackProps) {
    super(scope, id, props);
    const { homeRegion } = props;
    const triggers = props.triggers ?? [];
    const regional = props.regional
      ? forwardedPatterns(props.regional.checks, props.regional.cloudTrailTriggers, [
          homeRemediationRoleArn(this, homeRegion),
        ])
      : [];
    if (!triggers.length && !regional.length) throw new Error("an event forwarder needs at least one rule");

    this.homeEventBusArn = this.formatArn({
      service: "events",
      region: homeRegion,
      resource: "event-bus",
      resourceName: "default",
    });
    const homeBus = events.EventBus.fromEventBusArn(this, "HomeEventBus", this.homeEventBusArn);

    // EventBridge assumes this role to put the events on the home bus: that bus only, for this
    // account's rules only (confused deputy).
    this.role = forwardRole(
      this,
      "ForwardRole",
      triggers.length && !regional.length
        ? `Vigil: lets EventBridge put global services' events on the default bus in ${homeRegion}`
        : `Vigil: lets EventBridge put this Region's watched events on the default bus in ${homeRegion}`,
      this.account,
    );

    if (triggers.length) {
      // The same loop guard as the home rule: Vigil's remediation role is named after the home region.
      const pattern = cloudTrailTriggersPattern(triggers, [homeRemediationRoleArn(this, homeRegion)]);
      if (!pattern) throw new Error("the global events forwarder needs at least one CloudTrail trigger");
      const { source, "detail-type": detailType, detail } = pattern;
      this.rule = new events.Rule(this, "GlobalCloudTrailRule", {
        description: `Vigil: global services' write calls the checks watch, except Vigil's own remediations, to ${homeRegion}`,
        eventPattern: { source, detailType, detail },
      });
      // The target adds exactly events:PutEvents on the home bus to the role. EventBridge retries a
      // bus target for 24 hours.
      this.rule.addTarget(new targets.EventBus(homeBus, { role: this.role }));
      this.rules.push(this.rule);
    }
    this.rules.push(...addForwardingRules(this, regional, homeBus, this.role, `to ${homeRegion}`));
  }
}
