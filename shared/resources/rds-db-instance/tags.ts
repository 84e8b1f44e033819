import type { RDSClient } from "@aws-sdk/client-rds";
import { errorName } from "../../aws/errors";
import { loadRds } from "../../aws/sdk";

/** An instance or cluster that is gone has no tags (and nothing left to judge). */
const GONE = new Set(["DBInstanceNotFoundFault", "DBClusterNotFoundFault"]);

/** The tags of an RDS instance or cluster (by ARN), for exemptions. Shared by both adapters. */
export async function readRdsTags(rds: RDSClient, arn: string): Promise<Record<string, string>> {
  const { ListTagsForResourceCommand } = await loadRds();
  try {
    const out = await rds.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    const tags = (out.TagList ?? []).filter((t) => t.Key !== undefined);
    return Object.fromEntries(tags.map((t) => [t.Key, t.Value ?? ""]));
  } catch (error) {
    if (GONE.has(errorName(error))) return {};
    throw error;
  }
}
