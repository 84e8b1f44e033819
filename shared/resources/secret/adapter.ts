import { defineResourceAdapter } from "../adapter";
import { fromSecretEvent } from "./from-cloudtrail";
import { fromConfigItem } from "./from-config";
import { describeSecret, readSecret, tagsFromApi } from "./live";
import { SECRET_TYPE } from "./ref";

/**
 * The reads this adapter makes: DescribeSecret (metadata and tags, never the value) and, when a
 * rotation is pending, ListSecretVersionIds (version dates). Never GetSecretValue.
 */
export const secretReadActions = ["secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"];

export default defineResourceAdapter({
  resourceType: SECRET_TYPE,
  fromCloudTrail: (detail) => fromSecretEvent(detail),
  fromConfigItem,
  async readTags(observation, clients) {
    const out = await describeSecret(await clients.secretsManager(), observation.resource.arn);
    return tagsFromApi(out?.Tags);
  },
  /** The live secret is the truth: no event or Config item carries its dates and staged versions. */
  async refresh(observation, clients) {
    if (!observation.state) return { ...observation, needsRefresh: false };
    const live = await readSecret(await clients.secretsManager(), observation.state, new Date());
    return { ...observation, ...live, tagsKnown: true, needsRefresh: false };
  },
});
