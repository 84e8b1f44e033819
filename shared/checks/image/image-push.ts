import type { PlatformImage } from "../../registry/types";
import type { EcrImageState } from "../../resources/ecr-image/state";
import type { CheckTriggers, Violation } from "../define";

/**
 * Every image check runs on a push: ECR's own push event and CloudTrail's `PutImage` (whichever
 * arrives; both only name the image, which is then read from the registry). ECR's deletion event
 * resolves the findings of an image that is gone.
 */
export const imagePushTriggers: CheckTriggers = {
  cloudTrail: [{ eventSource: "ecr.amazonaws.com", eventNames: ["PutImage"] }],
  config: [],
  events: [
    {
      source: "aws.ecr",
      detailType: "ECR Image Action",
      detail: { "action-type": ["PUSH", "DELETE"], result: ["SUCCESS"] },
    },
  ],
};

/** The registry reads behind every image check: tags (now), manifests, config blobs, repository tags. */
export const imageReadActions = [
  "ecr:DescribeImages",
  "ecr:BatchGetImage",
  "ecr:GetDownloadUrlForLayer",
  "ecr:ListTagsForResource",
];

/** The runnable images to judge: none for artifacts (Helm charts, signatures) and untagged platform manifests. */
export function imagesOf(state: EcrImageState): PlatformImage[] {
  return state.notApplicable ? [] : state.platforms;
}

/** One problem with one platform's image, before it is told apart from the other platforms'. */
export interface PlatformProblem {
  summary: string;
  evidence: Record<string, unknown>;
}

/**
 * Judges each runnable platform image. Every problem becomes a violation whose summary starts with
 * the platform (`linux/arm64: …`) when the image has several, and whose evidence names the platform
 * and its manifest, so a multi-platform finding says which image to rebuild.
 */
export function platformViolations(
  state: EcrImageState,
  judge: (image: PlatformImage) => PlatformProblem[],
): Violation[] {
  const prefix = (image: PlatformImage) => (state.platforms.length > 1 ? `${image.platform}: ` : "");
  return imagesOf(state).flatMap((image) =>
    judge(image).map((problem) => ({
      summary: `${prefix(image)}${problem.summary}`,
      evidence: { platform: image.platform, manifestDigest: image.manifestDigest, ...problem.evidence },
    })),
  );
}
