import { defineResourceAdapter } from "../adapter";
import { fromFunctionCall } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { readFunction, readFunctionTags } from "./live";
import { LAMBDA_FUNCTION_TYPE } from "./ref";

/** The reads this adapter makes (live configuration, tags): every Lambda check lists them as its iamActions. */
export const lambdaFunctionReadActions = ["lambda:GetFunctionConfiguration", "lambda:ListTags"];

export default defineResourceAdapter({
  resourceType: LAMBDA_FUNCTION_TYPE,
  fromCloudTrail: fromFunctionCall,
  fromConfigItem,
  async readTags(observation, clients) {
    return readFunctionTags(await clients.lambda(), observation.resource.arn);
  },
  /** The live configuration is the truth: CloudTrail and Config never carry the variables. */
  async refresh(observation, clients) {
    const known = observation.state;
    if (!known) return { ...observation, needsRefresh: false };
    const live = await readFunction(await clients.lambda(), known);
    // Tags a Config item carried stay known; the live configuration has none.
    const state =
      live.state && observation.tagsKnown && known.tags ? { ...live.state, tags: known.tags } : live.state;
    return {
      ...observation,
      state,
      complete: live.complete,
      tagsKnown: observation.tagsKnown || state === undefined,
      needsRefresh: false,
    };
  },
});
