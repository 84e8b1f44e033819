import { ecrRegistryReadActions } from "../../resources/ecr-registry/adapter";
import {
  KNOWN_SCAN_TYPES,
  coversEveryRepository,
  isScanned,
} from "../../resources/ecr-repository/scan-coverage";
import { defineCheck } from "../define";
import { ECR_EVENT_SOURCE } from "./triggers";

/** Enough names to act on, few enough for an alert; the count says how many in all. */
const MAX_NAMED = 20;

/**
 * ECR.1 seen from the registry: a registry scanning change applies to every repository at once,
 * and an event can't open one ECR.1 finding per repository, so the registry gets one finding that
 * names the repositories the new rules leave unscanned (same judgement as ECR.1).
 */
export default defineCheck({
  id: "VIGIL.ECR.REGISTRY_SCANNING",
  title: "ECR registry scanning rules should leave no repository unscanned",
  severity: "HIGH",
  resourceType: "AWS::ECR::Registry",
  controls: [],
  description:
    "After this registry scanning change, images pushed to the listed repositories are no longer scanned (their scan-on-push is off and no registry rule matches them): each fails FSBP ECR.1. Add a SCAN_ON_PUSH or CONTINUOUS_SCAN rule whose filter matches them (`*` for all).",
  triggers: {
    cloudTrail: [{ eventSource: ECR_EVENT_SOURCE, eventNames: ["PutRegistryScanningConfiguration"] }],
    config: [],
  },
  iamActions: ecrRegistryReadActions,
  evaluate(state) {
    const scanning = state.scanning;
    if (!scanning || !KNOWN_SCAN_TYPES.has(scanning.scanType) || coversEveryRepository(scanning)) return [];
    const unscanned = (state.repositories ?? [])
      .filter((r) => !isScanned(r.scanOnPush, scanning, r.name))
      .map((r) => r.name)
      .sort();
    if (!unscanned.length) return [];
    const named = unscanned.slice(0, MAX_NAMED);
    const more = unscanned.length > MAX_NAMED ? ` and ${unscanned.length - MAX_NAMED} more` : "";
    return [
      {
        summary: `registry ${state.registryId} ${scanning.scanType} scanning leaves ${unscanned.length} repositories unscanned: ${named.join(", ")}${more}`,
        evidence: {
          registryId: state.registryId,
          scanType: scanning.scanType,
          rules: scanning.rules.map((r) => ({ scanFrequency: r.scanFrequency, filters: r.filters })),
          unscannedCount: unscanned.length,
          unscanned: named,
        },
      },
    ];
  },
});
