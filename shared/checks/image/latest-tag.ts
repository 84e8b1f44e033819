import { defineCheck } from "../define";
import { imagePushTriggers, imageReadActions, imagesOf } from "./image-push";

export default defineCheck({
  id: "VIGIL.IMAGE.LATEST_TAG",
  title: "Container images should not be tagged latest",
  severity: "LOW",
  resourceType: "AWS::ECR::Image",
  controls: ["Dockle DKL-DI-0006"],
  description:
    "`latest` moves with every push, so what runs can't be traced to a build or rolled back. Tag images with an immutable version (release or commit) and deploy by that tag or digest.",
  triggers: imagePushTriggers,
  iamActions: imageReadActions,
  evaluate(state) {
    if (!imagesOf(state).length) return [];
    // The tags the image carries now; the push's tag only until they are read.
    const tags = state.imageTags ?? (state.pushedTag ? [state.pushedTag] : []);
    if (!tags.includes("latest")) return [];
    return [
      {
        summary: `${state.repositoryName}@${state.imageDigest} is tagged latest`,
        evidence: { repositoryName: state.repositoryName, imageDigest: state.imageDigest, tags },
      },
    ];
  },
});
