import type { ResourceRef } from "../../core/resource";

export const SECRET_TYPE = "AWS::SecretsManager::Secret";

export interface SecretTarget {
  arn: string;
  name: string;
  account: string;
  region: string;
}

/**
 * `arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/prod/db-AbCdEf` -> its parts. The
 * name is the ARN's last part without the 6-character suffix Secrets Manager appends, unless a
 * better source names it.
 */
export function secretTarget(arn: string | null | undefined, name?: string): SecretTarget | undefined {
  const match = /^arn:aws[a-z-]*:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)$/.exec(arn ?? "");
  if (!arn || !match?.[1] || !match[2] || !match[3]) return undefined;
  return {
    arn,
    name: name ?? match[3].replace(/-[A-Za-z0-9]{6}$/, ""),
    account: match[2],
    region: match[1],
  };
}

/** Findings key on the secret's ARN: a name can be reused by a new secret after deletion, an ARN can't. */
export function secretRef(target: SecretTarget): ResourceRef {
  return {
    type: SECRET_TYPE,
    id: target.arn,
    arn: target.arn,
    account: target.account,
    region: target.region,
    name: target.name,
  };
}
