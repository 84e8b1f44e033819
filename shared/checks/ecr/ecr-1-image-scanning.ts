import { ecrRepositoryReadActions } from "../../resources/ecr-repository/adapter";
import { KNOWN_SCAN_TYPES, isScanned } from "../../resources/ecr-repository/scan-coverage";
import { defineCheck } from "../define";
import { repositoryTriggers } from "./triggers";

export default defineCheck({
  id: "ECR.1",
  title: "ECR private repositories should have image scanning configured",
  severity: "HIGH",
  resourceType: "AWS::ECR::Repository",
  controls: ["FSBP ECR.1"],
  description:
    "Images pushed to this repository are never scanned for vulnerabilities: no registry scanning rule matches it, and its scan-on-push is off (or ignored, under ENHANCED scanning). Add a registry scanning rule whose filter matches the repository, or (BASIC scanning) turn scan-on-push on.",
  triggers: repositoryTriggers(["CreateRepository", "PutImageScanningConfiguration"]),
  iamActions: ecrRepositoryReadActions,
  remediation: { id: "enable-ecr-scan-on-push", defaultMode: "auto" },
  evaluate(state) {
    // Flagged only when the repository's flag is known AND the registry's rules were read and
    // scan nothing here; anything less is not proof.
    const registry = state.registryScanning;
    const scanOnPush = state.scanOnPush;
    if (scanOnPush === undefined || !registry || !KNOWN_SCAN_TYPES.has(registry.scanType)) return [];
    if (isScanned(scanOnPush, registry, state.repositoryName)) return [];
    const rules = registry.rules.length
      ? registry.rules.map((r) => `${r.scanFrequency} [${r.filters.join(", ")}]`).join("; ")
      : "no rules";
    const flag = scanOnPush ? "scan-on-push on, which ENHANCED scanning ignores," : "scan-on-push off";
    return [
      {
        summary: `repository ${state.repositoryName} has ${flag} and the registry's ${registry.scanType} scanning (${rules}) does not scan it`,
        evidence: {
          repositoryName: state.repositoryName,
          registryId: state.registryId,
          scanOnPush,
          registryScanType: registry.scanType,
          registryRules: registry.rules.map((r) => ({ scanFrequency: r.scanFrequency, filters: r.filters })),
        },
      },
    ];
  },
});
