import { secretReadActions } from "../../resources/secret/adapter";
import { DELETE_SECRET, SECRETS_MANAGER_EVENT_SOURCE } from "../../resources/secret/from-cloudtrail";
import { SECRET_TYPE } from "../../resources/secret/ref";
import type { CheckTriggers } from "../define";

export { secretReadActions };

/**
 * A secret check's triggers: the calls (and Secrets Manager's rotation events) that change what it
 * looks at, `DeleteSecret` (which resolves its findings), `RestoreSecret` (which brings the secret
 * back) and Config items of secrets. Every one of them leads to a live DescribeSecret.
 */
export function secretTriggers(eventNames: string[]): CheckTriggers {
  return {
    cloudTrail: [
      {
        eventSource: SECRETS_MANAGER_EVENT_SOURCE,
        eventNames: [...eventNames, DELETE_SECRET, "RestoreSecret"],
      },
    ],
    config: [SECRET_TYPE],
  };
}
