import { ECR_REPOSITORY_TYPE } from "../../resources/ecr-repository/ref";
import type { CheckTriggers } from "../define";

export const ECR_EVENT_SOURCE = "ecr.amazonaws.com";

/**
 * A repository check's triggers: the calls that change what it looks at, `DeleteRepository` (which
 * resolves its findings) and Config items of repositories.
 */
export function repositoryTriggers(eventNames: string[]): CheckTriggers {
  return {
    cloudTrail: [{ eventSource: ECR_EVENT_SOURCE, eventNames: [...eventNames, "DeleteRepository"] }],
    config: [ECR_REPOSITORY_TYPE],
  };
}
