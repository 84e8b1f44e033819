import type { ConfigServiceClient } from "@aws-sdk/client-config-service";
import { errorName } from "../../aws/errors";
import { loadConfigService } from "../../aws/sdk";
import { defineResourceAdapter, UnusableEventError } from "../adapter";
import { fromRecorderCall } from "./from-cloudtrail";
import { RECORDER_TYPE } from "./ref";

/**
 * A recorder's tags live on its full ARN (`…:configuration-recorder/<name>/<id>`), which only
 * DescribeConfigurationRecorders knows. A recorder that is gone has none.
 */
async function recorderTags(
  config: ConfigServiceClient,
  recorderName: string,
): Promise<Record<string, string>> {
  const { DescribeConfigurationRecordersCommand, ListTagsForResourceCommand } = await loadConfigService();
  let arn: string | undefined;
  try {
    const out = await config.send(
      new DescribeConfigurationRecordersCommand({ ConfigurationRecorderNames: [recorderName] }),
    );
    arn = out.ConfigurationRecorders?.[0]?.arn;
  } catch (error) {
    if (errorName(error) === "NoSuchConfigurationRecorderException") return {};
    throw error;
  }
  if (!arn) return {};
  const tags: Record<string, string> = {};
  let NextToken: string | undefined;
  do {
    const page = await config.send(new ListTagsForResourceCommand({ ResourceArn: arn, NextToken }));
    for (const tag of page.Tags ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? "";
    NextToken = page.NextToken;
  } while (NextToken);
  return tags;
}

export default defineResourceAdapter({
  resourceType: RECORDER_TYPE,
  fromCloudTrail: fromRecorderCall,
  fromConfigItem() {
    // No check subscribes to them: a stopped recorder records nothing, so CloudTrail is the only timely source.
    throw new UnusableEventError("AWS::Config::ConfigurationRecorder is not read from Config items");
  },
  async readTags(observation, clients) {
    if (!observation.state || observation.state.deleted) return {};
    return recorderTags(await clients.configService(), observation.state.recorderName);
  },
});
