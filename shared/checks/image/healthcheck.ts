import { defineCheck } from "../define";
import { imagePushTriggers, imageReadActions, platformViolations } from "./image-push";

export default defineCheck({
  id: "VIGIL.IMAGE.HEALTHCHECK",
  title: "Container images should declare a HEALTHCHECK",
  severity: "INFORMATIONAL",
  resourceType: "AWS::ECR::Image",
  controls: ["Dockle CIS-DI-0006"],
  description:
    "Without a HEALTHCHECK, Docker can't tell a hung container from a healthy one. Add one to the Dockerfile, or define the health check where the image runs (ECS task definition `healthCheck`, Kubernetes probes).",
  triggers: imagePushTriggers,
  iamActions: imageReadActions,
  evaluate(state) {
    return platformViolations(state, (image) => {
      const test = image.config.healthcheck;
      // `HEALTHCHECK NONE` is stored as Test ["NONE"]: it switches off one inherited from the base.
      const disabled = test?.[0] === "NONE";
      if (test && !disabled) return [];
      return [
        {
          summary: disabled ? "HEALTHCHECK NONE disables the health check" : "no HEALTHCHECK",
          evidence: { healthcheck: disabled ? "disabled" : "none" },
        },
      ];
    });
  },
});
