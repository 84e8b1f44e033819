import { loadIam } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { IAM_GROUP_TYPE, iamGroupRef } from "../../resources/iam-group/ref";
import { partitionOfArn } from "../../resources/iam-identity/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";
import { DefaultVersions, grantsReadActions, readGrants } from "./iam-grants";

/** ListGroups takes up to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/**
 * Every IAM group of the account with all of its inline and attached policies (customer managed
 * ones with their default version), as the Config item path states it. Groups carry no tags. A
 * group deleted while being read is skipped.
 */
export function iamGroupsCollector(pageSize = PAGE_SIZE): Collector<"AWS::IAM::Group"> {
  return defineCollector({
    resourceType: IAM_GROUP_TYPE,
    scope: "global",
    iamActions: ["iam:ListGroups", ...grantsReadActions("group")],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::IAM::Group">> {
      const [iam, { paginateListGroups }] = await Promise.all([ctx.clients.iam(), loadIam()]);
      const versions = new DefaultVersions(iam);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateListGroups({ client: iam }, { MaxItems: pageSize })) {
        for (const group of page.Groups ?? []) {
          const groupName = group.GroupName;
          if (!groupName) continue;
          const grants = await readGrants("group", iam, groupName, versions, ctx.config);
          if (!grants) continue;
          const resource = iamGroupRef(groupName, ctx.account, partitionOfArn(group.Arn), group.Arn);
          yield {
            resource,
            state: { groupName, groupArn: resource.arn, grants },
            complete: true,
            observedAt,
            // Groups carry no tags: nothing to read.
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default iamGroupsCollector();
