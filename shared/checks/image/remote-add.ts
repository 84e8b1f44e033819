import { defineCheck } from "../define";
import { findInHistory } from "./history";
import { remoteAdd } from "./history-patterns";
import { imagePushTriggers, imageReadActions, platformViolations } from "./image-push";

/** A remote `ADD` whose content nothing verifies (`ADD --checksum=…` is verified by the builder). */
function unverifiedRemoteAdd(instruction: string) {
  const add = remoteAdd(instruction);
  return add && !add.checksumPinned ? add : undefined;
}

export default defineCheck({
  id: "VIGIL.IMAGE.REMOTE_ADD",
  title: "Container images should not ADD remote URLs without a checksum",
  severity: "MEDIUM",
  resourceType: "AWS::ECR::Image",
  controls: ["Dockle CIS-DI-0009"],
  description:
    "`ADD <url>` puts whatever the server sends into the image, unverified. Download in a RUN step and verify a checksum or signature, or use `ADD --checksum=sha256:…`; use COPY for local files.",
  triggers: imagePushTriggers,
  iamActions: imageReadActions,
  evaluate(state) {
    return platformViolations(state, (image) =>
      findInHistory(image.config.history, unverifiedRemoteAdd).map(({ index, found: add }) => ({
        summary: `history[${index}] ADDs a remote source${add.host ? ` from ${add.host}` : ""} without a checksum`,
        evidence: { historyIndex: index, instruction: "ADD", ...(add.host ? { host: add.host } : {}) },
      })),
    );
  },
});
