import { ecrRepositoryReadActions } from "../../resources/ecr-repository/adapter";
import { defineCheck } from "../define";
import { repositoryTriggers } from "./triggers";

/**
 * Not triggered by `CreateRepository`: IaC puts the lifecycle policy seconds after creating the
 * repository, so the creation event alone would raise a false positive. Config items and
 * `DeleteLifecyclePolicy` say whether one exists; `PutLifecyclePolicy` re-reads the repository.
 */
export default defineCheck({
  id: "ECR.3",
  title: "ECR repositories should have at least one lifecycle policy configured",
  severity: "MEDIUM",
  resourceType: "AWS::ECR::Repository",
  controls: ["FSBP ECR.3"],
  description:
    "Without a lifecycle policy old and untagged images pile up: storage cost grows and vulnerable images stay pullable. Add a lifecycle policy that expires untagged and superseded images.",
  triggers: repositoryTriggers(["DeleteLifecyclePolicy", "PutLifecyclePolicy"]),
  iamActions: ecrRepositoryReadActions,
  // A young repository's missing policy may just not be there yet (the live read's grace period).
  undecided: (state) =>
    state.hasLifecyclePolicy === undefined ? "whether a lifecycle policy exists is not known yet" : undefined,
  evaluate(state) {
    if (state.hasLifecyclePolicy !== false) return [];
    return [
      {
        summary: `repository ${state.repositoryName} has no lifecycle policy`,
        evidence: { repositoryName: state.repositoryName, lifecyclePolicy: null },
      },
    ];
  },
});
