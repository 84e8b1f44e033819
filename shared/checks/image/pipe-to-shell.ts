import { defineCheck } from "../define";
import { findInHistory } from "./history";
import { pipeToShell } from "./history-patterns";
import { imagePushTriggers, imageReadActions, platformViolations } from "./image-push";

export default defineCheck({
  id: "VIGIL.IMAGE.PIPE_TO_SHELL",
  title: "Container images should not be built by piping downloads into a shell",
  severity: "MEDIUM",
  resourceType: "AWS::ECR::Image",
  controls: [],
  description:
    "`curl … | sh` runs whatever the server (or anyone between) sends, as root, during the build, and leaves no trace of what ran. Download to a file, verify its checksum or signature, then run it.",
  triggers: imagePushTriggers,
  iamActions: imageReadActions,
  evaluate(state) {
    return platformViolations(state, (image) =>
      findInHistory(image.config.history, pipeToShell).map(({ index, found: pipe }) => ({
        summary: `history[${index}] pipes a ${pipe.downloader} download${pipe.host ? ` from ${pipe.host}` : ""} into a shell`,
        evidence: {
          historyIndex: index,
          downloader: pipe.downloader,
          ...(pipe.host ? { host: pipe.host } : {}),
        },
      })),
    );
  },
});
