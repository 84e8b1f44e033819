import { defineCheck } from "../define";
import { imagePushTriggers, imageReadActions, platformViolations } from "./image-push";

/**
 * Why `user` (the image's `USER`) means root, or undefined. Dockle flags only "" and "root"; the
 * numeric forms (`0`, `0:0`, `0:<group>`) and `root:<group>` are the same user and count too.
 * A non-root user in group 0 (`1000:0`) is not root.
 */
export function rootUserReason(user: string): string | undefined {
  const value = user.trim();
  if (!value) return "no USER is set, so it runs as root";
  const name = value.split(":")[0] ?? "";
  if (name === "root" || /^0+$/.test(name)) return `USER ${value} is root`;
  return undefined;
}

export default defineCheck({
  id: "VIGIL.IMAGE.ROOT_USER",
  title: "Container images should set a non-root USER",
  severity: "HIGH",
  resourceType: "AWS::ECR::Image",
  controls: ["Dockle CIS-DI-0001"],
  description:
    "The image runs as root unless the task overrides it, so a compromised process owns the container. Create a user and end the Dockerfile with `USER <name or uid>` (not 0 or root).",
  triggers: imagePushTriggers,
  iamActions: imageReadActions,
  evaluate(state) {
    return platformViolations(state, (image) => {
      // Windows images have no root user (ContainerAdministrator/ContainerUser are another model).
      if (image.config.os === "windows") return [];
      const reason = rootUserReason(image.config.user);
      return reason ? [{ summary: reason, evidence: { user: image.config.user } }] : [];
    });
  },
});
