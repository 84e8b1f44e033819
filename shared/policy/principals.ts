import type { Principal } from "./types";

/** True when the principal is everyone: `"*"` or `{"AWS": "*"}` (AWS treats both as anonymous-inclusive). */
export function isEveryone(principal: Principal): boolean {
  return principal.everyone || principal.AWS.includes("*");
}

/**
 * The account an `AWS` principal belongs to: a bare account id, or the account segment of an IAM/STS ARN
 * (`arn:aws:iam::111122223333:root`, `…:role/x`, `arn:aws:sts::111122223333:assumed-role/r/s`). Undefined for
 * `*`, unique ids (`AROA…`, left behind when a trusted role is deleted) and anything else.
 */
export function accountOfPrincipal(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  const arn = /^arn:[a-z-]+:(iam|sts)::(\d{12}):/.exec(principal);
  return arn?.[2];
}
