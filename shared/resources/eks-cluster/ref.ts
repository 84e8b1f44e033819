import type { ResourceRef } from "../../core/resource";
import { UnusableEventError } from "../adapter";

export const CLUSTER_TYPE = "AWS::EKS::Cluster";

/** EKS: 1-100 characters, letters, digits, hyphens and underscores, starting with a letter or digit. */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const CLUSTER_ARN = /^arn:aws[a-z-]*:eks:[a-z0-9-]+:\d{12}:cluster\/([0-9A-Za-z][A-Za-z0-9_-]{0,99})$/;

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

export function clusterArn(name: string, account: string, region: string): string {
  return `arn:${partitionOf(region)}:eks:${region}:${account}:cluster/${name}`;
}

/**
 * The cluster a call names. EKS calls name clusters by name (unique per account and Region, which
 * the finding id carries), so the name is the finding's resource id; an ARN is reduced to it.
 */
export function clusterRef(nameOrArn: string, account: string, region: string): ResourceRef {
  const name = CLUSTER_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;
  if (!CLUSTER_NAME.test(name)) throw new UnusableEventError(`"${nameOrArn}" is not an EKS cluster name`);
  return { type: CLUSTER_TYPE, id: name, arn: clusterArn(name, account, region), account, region, name };
}
