import type { ResourceRef } from "../../core/resource";

export const SNS_TOPIC_TYPE = "AWS::SNS::Topic";

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;

/** The topic an ARN names, keyed on the ARN (Config's resource id for topics), or undefined when it isn't one. */
export function topicRef(topicArn: string): ResourceRef | undefined {
  const match = TOPIC_ARN.exec(topicArn);
  const [, region = "", account = "", name = ""] = match ?? [];
  if (!match) return undefined;
  return { type: SNS_TOPIC_TYPE, id: topicArn, arn: topicArn, account, region, name };
}
