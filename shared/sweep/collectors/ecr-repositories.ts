import { loadEcr } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import {
  ecrRepositoryKeyReadActions,
  ecrRepositoryReadActions,
} from "../../resources/ecr-repository/adapter";
import { withKeyManager } from "../../resources/ecr-repository/kms-key";
import { readWholeRepository } from "../../resources/ecr-repository/live";
import { ECR_REPOSITORY_TYPE, repositoryArn, repositoryRef } from "../../resources/ecr-repository/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** DescribeRepositories takes up to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

/**
 * Every private repository of the Region, each read whole as the event path's refresh reads it
 * (`readWholeRepository`: settings, lifecycle and repository policies, tags, the registry's
 * scanning rules; then the KMS key's manager when only KMS can tell it). `complete` is what that
 * read says (false for an unreadable repository policy). A repository deleted meanwhile is skipped.
 */
export function ecrRepositoriesCollector(pageSize = PAGE_SIZE): Collector<"AWS::ECR::Repository"> {
  return defineCollector({
    resourceType: ECR_REPOSITORY_TYPE,
    scope: "regional",
    iamActions: [...ecrRepositoryReadActions, ...ecrRepositoryKeyReadActions],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::ECR::Repository">> {
      const [ecr, { paginateDescribeRepositories }] = await Promise.all([ctx.clients.ecr(), loadEcr()]);
      const observedAt = ctx.now.toISOString();
      const pages = paginateDescribeRepositories({ client: ecr }, { maxResults: pageSize });
      for await (const page of pages) {
        for (const repository of page.repositories ?? []) {
          const repositoryName = repository.repositoryName;
          const registryId = repository.registryId ?? ctx.account;
          if (!repositoryName) continue;
          const arn = repository.repositoryArn ?? repositoryArn(ctx.region, registryId, repositoryName);
          const live = await readWholeRepository(
            ecr,
            { registryId, repositoryName, repositoryArn: arn },
            ctx.now,
          );
          if (!live.state) continue;
          const state = live.state.encryption
            ? {
                ...live.state,
                encryption: await withKeyManager(() => ctx.clients.kms(), live.state.encryption),
              }
            : live.state;
          yield {
            resource: repositoryRef(repositoryName, registryId, ctx.region, state.repositoryArn),
            state,
            complete: live.complete,
            observedAt,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default ecrRepositoriesCollector();
