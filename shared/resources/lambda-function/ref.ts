import type { ResourceRef } from "../../core/resource";

export const LAMBDA_FUNCTION_TYPE = "AWS::Lambda::Function";

/** The ARN partition of a region (`cn-north-1` -> `aws-cn`). */
export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export interface FunctionTarget {
  functionName: string;
  account: string;
  region: string;
  /** The unqualified function ARN: findings are about the function, not one of its versions. */
  functionArn: string;
  /** The version or alias the name ended with (`orders-api:7`), if any. */
  qualifier?: string;
}

/**
 * Lambda accepts a function as a name (`orders-api`), an ARN (optionally qualified with a version
 * or alias) or a partial ARN (`111122223333:function:orders-api`). Undefined when it is none of them.
 */
export function functionTarget(
  nameOrArn: string,
  account: string,
  region: string,
): FunctionTarget | undefined {
  const match =
    /^(?:arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:|(\d{12}):function:)?([A-Za-z0-9_-]{1,140})(?::(\$LATEST|[A-Za-z0-9_-]+))?$/.exec(
      nameOrArn,
    );
  const functionName = match?.[5];
  if (!match || !functionName) return undefined;
  const targetRegion = match[2] ?? region;
  const targetAccount = match[3] ?? match[4] ?? account;
  const partition = match[1] ?? partitionOf(targetRegion);
  const qualifier = match[6];
  return {
    functionName,
    account: targetAccount,
    region: targetRegion,
    functionArn: `arn:${partition}:lambda:${targetRegion}:${targetAccount}:function:${functionName}`,
    ...(qualifier ? { qualifier } : {}),
  };
}

/** Findings key on the function name (Config's resource id), unique in its account and region. */
export function functionRef(target: FunctionTarget): ResourceRef {
  return {
    type: LAMBDA_FUNCTION_TYPE,
    id: target.functionName,
    arn: target.functionArn,
    account: target.account,
    region: target.region,
    name: target.functionName,
  };
}
