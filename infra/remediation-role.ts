import { Stack } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import type { RemediationDefinition } from "../shared/remediations/define";
import { acknowledgeWildcardResources } from "./nag";
import { isReadOnlyAction, remediationGrantsInRegions } from "./permissions";

/** Matches the config default `remediationRoleNamePrefix`, so the role is recognisable by name too. */
export const REMEDIATION_ROLE_NAME_PREFIX = "vigil-remediation";

export interface RemediationRoleProps {
  remediations: readonly RemediationDefinition[];
  /** The only principals that may assume the role: the detection functions' roles. */
  trustedRoles: readonly iam.IRole[];
  /**
   * Regions where the role remediates (infra/regional-events.ts `remediationRegions`: home, forwarded
   * and swept Regions); default: the stack's. Each write is scoped to each of them, one ARN per Region.
   */
  regions?: readonly string[];
}

/**
 * The one role allowed to change resources. It has a fixed name per region so its ARN is known
 * before deploy: the EventBridge rule ignores calls made with it (loop guard) and the functions
 * assume it. Its policy is the union of the remediations' actions, writes scoped per action.
 */
export class RemediationRole extends Construct {
  readonly role: iam.Role;
  /** Built from the name, not the role's attribute, so it also works inside event patterns. */
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: RemediationRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const roleName = `${REMEDIATION_ROLE_NAME_PREFIX}-${stack.region}`;
    this.roleArn = stack.formatArn({ service: "iam", region: "", resource: "role", resourceName: roleName });

    const [firstTrusted, ...otherTrusted] = props.trustedRoles;
    if (!firstTrusted) throw new Error("the remediation role needs at least one trusted role");
    this.role = new iam.Role(this, "Role", {
      roleName,
      description:
        "Vigil remediation: the only principal allowed to change resources (assumed by the detection functions)",
      assumedBy: new iam.CompositePrincipal(firstTrusted, ...otherTrusted),
    });

    const grants = remediationGrantsInRegions(
      props.remediations,
      { partition: stack.partition, account: stack.account },
      props.regions?.length ? props.regions : [stack.region],
    );
    for (const grant of grants) {
      const { actions, resources, conditions } = grant;
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources, conditions }));
    }
    const onAnything = grants
      .filter((grant) => grant.resources.includes("*"))
      .flatMap((grant) => grant.actions);
    const reads = onAnything.filter(isReadOnlyAction);
    const writes = onAnything.filter((action) => !isReadOnlyAction(action));
    acknowledgeWildcardResources(
      this.role,
      grants.flatMap((grant) => grant.resources),
      `Read actions (${reads.join(", ") || "none"}) have no resource-level permissions and need "*"` +
        (writes.length
          ? `; so do these writes, which have no resource type (they create a resource not there yet, or change an account-level setting): ${writes.join(", ")}`
          : "") +
        ". Other write actions are limited to their resource type in this account and in each Region Vigil covers (e.g. security-group/*) " +
        "because the resources to fix are not known at deploy time.",
    );
  }
}
