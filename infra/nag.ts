import { Stack, Validations } from "aws-cdk-lib";
import cdkNag from "cdk-nag";
import type { IConstruct } from "constructs";

// cdk-nag is CommonJS with exports Node's ESM loader cannot see by name; take them off the default export.
export const { AwsSolutionsChecks } = cdkNag;

/**
 * cdk-nag v3 runs as a CDK validation plugin: any finding that is not acknowledged fails synth.
 * Acknowledgements apply to the construct and everything under it.
 */
export function acknowledge(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id: `AwsSolutions-${id}`, reason });
}

/**
 * Acknowledges AwsSolutions-IAM5 for each wildcard resource in `resources`. cdk-nag v3 needs one
 * acknowledgement per finding, named by the resource as cdk-nag flattens it, so derive the name
 * here instead of hard-coding strings that change with the stack's environment.
 */
export function acknowledgeWildcardResources(
  construct: IConstruct,
  resources: readonly string[],
  reason: string,
) {
  const stack = Stack.of(construct);
  for (const resource of new Set(resources.map((resource) => flatten(stack.resolve(resource))))) {
    if (resource.includes("*")) acknowledge(construct, `IAM5[Resource::${resource}]`, reason);
  }
}

/** cdk-nag's rendering of a resolved CloudFormation value: `Ref` -> `<Name>`, `GetAtt` -> `<Name.Attr>`. */
function flatten(value: unknown): string {
  if (typeof value === "string") return value;
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const join = record["Fn::Join"];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join as [string, unknown[]];
      return parts.map(flatten).join(delimiter);
    }
    if (typeof record.Ref === "string") return `<${record.Ref}>`;
    const getAtt = record["Fn::GetAtt"];
    if (Array.isArray(getAtt)) return `<${getAtt.map(flatten).join(".")}>`;
  }
  return JSON.stringify(value);
}
