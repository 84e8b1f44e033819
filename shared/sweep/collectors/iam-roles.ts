import { loadIam } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { partitionOfArn } from "../../resources/iam-identity/ref";
import { IAM_ROLE_TYPE, iamRoleRef } from "../../resources/iam-role/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";
import { DefaultVersions, grantsReadActions, identityTags, readGrants } from "./iam-grants";

/** ListRoles takes up to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/**
 * Every IAM role of the account, as the Config item path states it: path (Identity Center and
 * service-linked roles are recognised by it), trust policy (ListRoles gives it URL-encoded, as
 * Config does), every inline and attached policy (customer managed ones with their default
 * version) and tags (ListRoles leaves them out: ListRoleTags). A role deleted while being read is
 * skipped.
 */
export function iamRolesCollector(pageSize = PAGE_SIZE): Collector<"AWS::IAM::Role"> {
  return defineCollector({
    resourceType: IAM_ROLE_TYPE,
    scope: "global",
    iamActions: ["iam:ListRoles", ...grantsReadActions("role"), "iam:ListRoleTags"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::IAM::Role">> {
      const [iam, { paginateListRoles }] = await Promise.all([ctx.clients.iam(), loadIam()]);
      const versions = new DefaultVersions(iam);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateListRoles({ client: iam }, { MaxItems: pageSize })) {
        for (const role of page.Roles ?? []) {
          const roleName = role.RoleName;
          if (!roleName) continue;
          const grants = await readGrants("role", iam, roleName, versions, ctx.config);
          const tags = grants && (await identityTags("role", iam, roleName));
          if (!grants || !tags) continue;
          const resource = iamRoleRef(roleName, ctx.account, partitionOfArn(role.Arn), role.Arn);
          yield {
            resource,
            state: {
              roleName,
              roleArn: resource.arn,
              ...(role.Path ? { path: role.Path } : {}),
              grants,
              ...(role.AssumeRolePolicyDocument
                ? { trust: { document: role.AssumeRolePolicyDocument, source: "ListRoles" } }
                : {}),
              tags,
            },
            complete: true,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default iamRolesCollector();
