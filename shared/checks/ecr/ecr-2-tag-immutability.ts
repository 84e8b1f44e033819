import { ecrRepositoryReadActions } from "../../resources/ecr-repository/adapter";
import { isMutable } from "../../resources/ecr-repository/scan-coverage";
import { defineCheck } from "../define";
import { repositoryTriggers } from "./triggers";

/**
 * `MUTABLE_WITH_EXCLUSION` fails (only the excluded tags are fixed); `IMMUTABLE_WITH_EXCLUSION`
 * passes, as its exclusions are a deliberate, named choice, unless one matches every tag (`*`).
 */
export default defineCheck({
  id: "ECR.2",
  title: "ECR private repositories should have tag immutability configured",
  severity: "MEDIUM",
  resourceType: "AWS::ECR::Repository",
  controls: ["FSBP ECR.2"],
  description:
    "Image tags in this repository can be overwritten, so a tag such as `v1.2` or `prod` may silently point at a different image. Set image tag mutability to IMMUTABLE (IMMUTABLE_WITH_EXCLUSION for named exceptions).",
  triggers: repositoryTriggers(["CreateRepository", "PutImageTagMutability"]),
  iamActions: ecrRepositoryReadActions,
  evaluate(state) {
    const mutability = state.tagMutability;
    if (!mutability || isMutable(mutability) !== true) return [];
    const filters = mutability.exclusionFilters;
    const why =
      mutability.setting === "MUTABLE"
        ? "tags can be overwritten"
        : mutability.setting === "MUTABLE_WITH_EXCLUSION"
          ? `tags can be overwritten except those matching ${filters.join(", ") || "no filter"}`
          : `the exclusion ${filters.find((f) => /^\*+$/.test(f)) ?? "*"} makes every tag mutable`;
    return [
      {
        summary: `repository ${state.repositoryName} is ${mutability.setting}: ${why}`,
        evidence: {
          repositoryName: state.repositoryName,
          imageTagMutability: mutability.setting,
          ...(filters.length ? { exclusionFilters: filters } : {}),
        },
      },
    ];
  },
});
