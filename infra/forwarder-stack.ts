import { Stack, type StackProps } from "aws-cdk-lib";
import * as events from "aws-cdk-lib/aws-events";
import * as targets from "aws-cdk-lib/aws-events-targets";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import type { CloudTrailTrigger } from "../shared/checks/define";
import { cloudTrailTriggersPattern } from "./event-patterns";
import { REMEDIATION_ROLE_NAME_PREFIX } from "./remediation-role";

export interface ForwarderStackProps extends StackProps {
  /** The region of Vigil's stack, whose default bus receives the events. */
  homeRegion: string;
  /** The checks' CloudTrail triggers on global services. */
  triggers: readonly CloudTrailTrigger[];
}

/**
 * One rule on us-east-1's default bus that sends the global services' CloudTrail events the checks
 * watch to the home region's default bus, unchanged (same source and detail-type), where Vigil's
 * CloudTrail rule picks them up. Nothing is imported from the home stack (no cross-region
 * references): the bus and the remediation role have names known before deploy.
 */
export class ForwarderStack extends Stack {
  readonly rule: events.Rule;
  /** `arn:<partition>:events:<home region>:<account>:event-bus/default` */
  readonly homeEventBusArn: string;

  constructor(scope: Construct, id: string, props: ForwarderStackProps) {
    super(scope, id, props);
    const { homeRegion } = props;

    // The same loop guard as the home rule: Vigil's remediation role is named after the home region.
    const remediationRoleArn = this.formatArn({
      service: "iam",
      region: "",
      resource: "role",
      resourceName: `${REMEDIATION_ROLE_NAME_PREFIX}-${homeRegion}`,
    });
    const pattern = cloudTrailTriggersPattern(props.triggers, [remediationRoleArn]);
    if (!pattern) throw new Error("the global events forwarder needs at least one CloudTrail trigger");
    const { source, "detail-type": detailType, detail } = pattern;

    this.homeEventBusArn = this.formatArn({
      service: "events",
      region: homeRegion,
      resource: "event-bus",
      resourceName: "default",
    });
    const homeBus = events.EventBus.fromEventBusArn(this, "HomeEventBus", this.homeEventBusArn);

    // EventBridge assumes this role to put the events on the home bus: that bus only, for this
    // account's rules only (confused deputy).
    const role = new iam.Role(this, "ForwardRole", {
      description: `Vigil: lets EventBridge put global services' events on the default bus in ${homeRegion}`,
      assumedBy: new iam.ServicePrincipal("events.amazonaws.com", {
        conditions: { StringEquals: { "aws:SourceAccount": this.account } },
      }),
    });

    this.rule = new events.Rule(this, "GlobalCloudTrailRule", {
      description: `Vigil: global services' write calls the checks watch, except Vigil's own remediations, to ${homeRegion}`,
      eventPattern: { source, detailType, detail },
    });
    // The target adds exactly events:PutEvents on the home bus to the role. EventBridge retries a
    // bus target for 24 hours.
    this.rule.addTarget(new targets.EventBus(homeBus, { role }));
  }
}
