import { defineCheck } from "../define";
import { imageConfigLeaks } from "./image-secrets";
import { imagePushTriggers, imageReadActions, platformViolations } from "./image-push";

/** Evidence stays small: the first leaks in full (never values), then a count. */
const MAX_LEAKS = 20;
/** How many leaks the summary names before "…". */
const MAX_NAMED = 5;

export default defineCheck({
  id: "VIGIL.IMAGE.SECRETS",
  title: "Container images should not contain secrets in ENV, labels or build history",
  severity: "CRITICAL",
  resourceType: "AWS::ECR::Image",
  controls: ["Dockle CIS-DI-0010"],
  description:
    "Anyone who can pull the image can read its environment, labels and build history. Rotate the exposed credentials, then pass secrets at run time (Secrets Manager, ECS `secrets`) or with BuildKit `--mount=type=secret`.",
  triggers: imagePushTriggers,
  iamActions: imageReadActions,
  evaluate(state, { config }) {
    return platformViolations(state, (image) => {
      const leaks = imageConfigLeaks(image.config, config.containers.images.acceptedEnvNames);
      if (!leaks.length) return [];
      const where = leaks
        .slice(0, MAX_NAMED)
        .map((leak) => (leak.name ? `${leak.name} (${leak.location})` : leak.location))
        .join(", ");
      return [
        {
          summary: `${leaks.length} secret${leaks.length === 1 ? "" : "s"} baked into the image: ${where}${leaks.length > MAX_NAMED ? ", …" : ""}`,
          evidence: {
            leaks: leaks.slice(0, MAX_LEAKS),
            ...(leaks.length > MAX_LEAKS ? { moreLeaks: leaks.length - MAX_LEAKS } : {}),
          },
        },
      ];
    });
  },
});
